/*
 * flatten.c -- an equivalent SPF record without DNS lookups: the ranges a
 * domain's include/a/mx terms stand for today, merged into the fewest
 * ip4/ip6 terms, split into 255-byte strings and, when it is longer than
 * 512 bytes, into a chain of records under 512 bytes each.
 *
 * The result is a snapshot: providers change their ranges, so it must be
 * regenerated (the JSON says so and carries the time it was made).  Terms
 * that cannot be turned into addresses (ptr, exists, macros depending on
 * the client) are kept as written.  An include whose record excludes part
 * of its own ranges ("-ip4:... ip4:...") cannot be flattened exactly; such
 * cases are reported as warnings.
 *
 * An mt_spf_flat owns one arena holding everything it returns.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spf/eval_int.h"

typedef unsigned __int128 u128;

typedef struct range {
	u128 lo, hi;
} range;

struct mt_spf_flat {
	mt_arena *a;
	const char *domain;
	const char *record;
	spf_vec strings;      /* const char * */
	spf_vec chain;        /* const char * record texts */
	spf_vec chain_names;  /* const char * */
	spf_vec warnings;     /* const char * */
	unsigned before, kept_lookups;
	size_t v4, v6;
	long long made;
};

typedef struct flat_acc {
	mt_arena *a;
	struct mt_spf_flat *f;
	spf_vec r4, r6;       /* range */
	mt_buf head;          /* top-level terms kept as written (non-pass) */
	mt_buf tail;          /* ptr/exists/macro terms kept as written */
	char all;             /* qualifier of the top record's all, 0 = none */
	unsigned inexact;
} flat_acc;

static u128
to_u128(bool v4, const uint8_t *addr)
{
	u128 v = 0;
	int i, n = v4 ? 4 : 16;

	for (i = 0; i < n; i++)
		v = (v << 8) | addr[i];
	return v;
}

static void
on_net(void *arg, char qual, bool v4, const uint8_t *addr, unsigned bits,
    unsigned depth)
{
	flat_acc *acc = arg;
	unsigned width = v4 ? 32 : 128;
	u128 v = to_u128(v4, addr), size;
	range *r;
	char buf[INET6_ADDRSTRLEN];

	if (qual == 0) {
		acc->inexact++;
		return;
	}
	if (qual != '+') {
		if (depth == 0 && inet_ntop(v4 ? AF_INET : AF_INET6, addr, buf,
		    sizeof(buf)) != NULL)
			mt_buf_printf(&acc->head, " %c%s:%s/%u", qual,
			    v4 ? "ip4" : "ip6", buf, bits);
		else
			acc->inexact++;
		return;
	}
	size = bits == 0 ? 0 : ((u128)1 << (width - bits));
	if (bits == 0)
		v = 0;
	else
		v &= ~(size - 1) & (width == 32 ? (u128)0xffffffffu : ~(u128)0);
	if ((r = spf_vec_push(acc->a, v4 ? &acc->r4 : &acc->r6, sizeof(*r))) == NULL)
		return;
	r->lo = v;
	r->hi = bits == 0 ? (width == 32 ? (u128)0xffffffffu : ~(u128)0) :
	    v + size - 1;
}

/* Does a macro-string use %{d} (which changes meaning when the term moves
 * out of its include)? */
static bool
uses_d(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i++) {
		if (s[i] == '%' && s[i + 1] == '{' && mt_lower(s[i + 2]) == 'd')
			return true;
	}
	return false;
}

static void
on_kept(void *arg, const mt_spf_term *t, const char *text, const char *domain,
    unsigned depth)
{
	flat_acc *acc = arg;

	if (t->kind == MT_SPF_ALL) {
		if (depth == 0 && acc->all == 0)
			acc->all = t->qualifier;
		return;
	}
	if (depth > 0 && t->spec == NULL && t->kind != MT_SPF_INCLUDE) {
		/* "ptr" or "a" inside an include means that include's domain. */
		mt_buf_printf(&acc->tail, " %s%s:%s", t->qualifier == '+' ? "" :
		    (char[]){ t->qualifier, 0 }, mt_spf_kind_name(t->kind), domain);
	} else {
		mt_buf_printf(&acc->tail, " %.*s", (int)t->length, text + t->offset);
	}
	if (mt_spf_kind_counts(t->kind))
		acc->f->kept_lookups++;
	if (depth > 0 && (t->qualifier != '+' || (t->spec != NULL &&
	    uses_d(t->spec, t->spec_len))))
		acc->inexact++;
}

static int
cmp_range(const void *a, const void *b)
{
	const range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo ? 1 : 0;
}

/* Sort, merge overlapping and adjacent ranges; returns the new count. */
static size_t
merge(range *r, size_t n)
{
	size_t i, o = 0;

	if (n == 0)
		return 0;
	qsort(r, n, sizeof(*r), cmp_range);
	for (i = 1; i < n; i++) {
		if (r[i].lo <= r[o].hi || (r[o].hi != ~(u128)0 &&
		    r[i].lo == r[o].hi + 1)) {
			if (r[i].hi > r[o].hi)
				r[o].hi = r[i].hi;
		} else {
			r[++o] = r[i];
		}
	}
	return o + 1;
}

/* Write [lo, hi] as the fewest CIDR blocks. */
static size_t
emit_blocks(mt_buf *b, bool v4, u128 lo, u128 hi)
{
	unsigned width = v4 ? 32 : 128, bits;
	u128 next;
	uint8_t addr[16];
	char buf[INET6_ADDRSTRLEN];
	size_t n = 0;
	int i;

	for (;;) {
		/* The largest aligned block starting at lo that fits. */
		for (bits = 0; bits < width; bits++) {
			u128 size;

			if (width - bits >= 128)
				continue;
			size = (u128)1 << (width - bits);
			if ((lo & (size - 1)) == 0 && hi - lo >= size - 1)
				break;
		}
		if (lo == 0 && hi == (v4 ? (u128)0xffffffffu : ~(u128)0))
			bits = 0;
		for (i = (int)(width / 8) - 1; i >= 0; i--)
			addr[i] = (uint8_t)(lo >> (8 * (width / 8 - 1 - (unsigned)i)));
		inet_ntop(v4 ? AF_INET : AF_INET6, addr, buf, sizeof(buf));
		if (bits == width)
			mt_buf_printf(b, " %s:%s", v4 ? "ip4" : "ip6", buf);
		else
			mt_buf_printf(b, " %s:%s/%u", v4 ? "ip4" : "ip6", buf, bits);
		n++;
		if (bits == 0)
			break;
		next = lo + ((u128)1 << (width - bits));
		if (next - 1 >= hi || next == 0)
			break;
		lo = next;
	}
	return n;
}

static bool
push_str(mt_arena *a, spf_vec *v, const char *s)
{
	const char **slot;

	if (s == NULL || (slot = spf_vec_push(a, v, sizeof(*slot))) == NULL)
		return false;
	*slot = s;
	return true;
}

/* Split into character-strings of at most 255 bytes, before spaces. */
static void
split_strings(struct mt_spf_flat *f, const char *rec)
{
	size_t n = strlen(rec), at = 0, cut, i;

	while (n - at > 255) {
		cut = at + 255;
		for (i = cut; i > at; i--) {
			if (rec[i] == ' ') {
				cut = i;
				break;
			}
		}
		push_str(f->a, &f->strings, mt_arena_strndup(f->a, rec + at,
		    cut - at));
		at = cut;
	}
	push_str(f->a, &f->strings, mt_arena_strdup(f->a, rec + at));
}

/* Over 512 bytes: the range terms go into records _flatN.<domain>, each
 * under 512 bytes, and the main record includes them. */
static void
build_chain(struct mt_spf_flat *f, const char *terms, const char *rest)
{
	mt_buf main, part;
	const char *p = terms, *sp;
	size_t k = 0;
	char *name;

	mt_buf_init(&main);
	mt_buf_init(&part);
	mt_buf_puts(&main, "v=spf1");
	while (*p != '\0') {
		mt_buf_reset(&part);
		mt_buf_puts(&part, "v=spf1");
		while (*p == ' ')
			p++;
		while (*p != '\0') {
			sp = strchr(p + 1, ' ');
			size_t len = sp ? (size_t)(sp - p) : strlen(p);

			if (part.len + 1 + len > 450)
				break;
			mt_buf_putc(&part, ' ');
			mt_buf_append(&part, p, len);
			p += len;
			while (*p == ' ')
				p++;
		}
		if (part.len <= 6)
			break;
		k++;
		name = mt_arena_printf(f->a, "_flat%zu.%s", k, f->domain);
		push_str(f->a, &f->chain_names, name);
		push_str(f->a, &f->chain, mt_arena_strdup(f->a, part.p));
		mt_buf_printf(&main, " include:%s", name);
	}
	mt_buf_puts(&main, rest);
	if (!main.failed)
		f->record = mt_arena_strdup(f->a, main.p);
	mt_buf_free(&main);
	mt_buf_free(&part);
}

static mt_err
build(struct mt_spf_flat *f, flat_acc *acc)
{
	mt_buf ranges, rest, all;
	size_t i, n4, n6;
	range *r;

	mt_buf_init(&ranges);
	mt_buf_init(&rest);
	mt_buf_init(&all);
	n4 = merge(acc->r4.p, acc->r4.n);
	n6 = merge(acc->r6.p, acc->r6.n);
	for (i = 0, r = acc->r4.p; i < n4; i++)
		f->v4 += emit_blocks(&ranges, true, r[i].lo, r[i].hi);
	for (i = 0, r = acc->r6.p; i < n6; i++)
		f->v6 += emit_blocks(&ranges, false, r[i].lo, r[i].hi);
	mt_buf_puts(&rest, acc->tail.p ? acc->tail.p : "");
	if (acc->all)
		mt_buf_printf(&rest, " %sall", acc->all == '+' ? "+" :
		    (char[]){ acc->all, 0 });
	mt_buf_puts(&all, "v=spf1");
	mt_buf_puts(&all, acc->head.p ? acc->head.p : "");
	mt_buf_puts(&all, ranges.p ? ranges.p : "");
	mt_buf_puts(&all, rest.p ? rest.p : "");
	if (all.failed || ranges.failed || rest.failed) {
		mt_buf_free(&ranges);
		mt_buf_free(&rest);
		mt_buf_free(&all);
		return MT_ENOMEM;
	}
	if (all.len <= 512) {
		f->record = mt_arena_strdup(f->a, all.p);
	} else {
		mt_buf_reset(&all);
		mt_buf_puts(&all, acc->head.p ? acc->head.p : "");
		mt_buf_puts(&all, ranges.p ? ranges.p : "");
		build_chain(f, all.p ? all.p : "", rest.p ? rest.p : "");
	}
	if (f->record != NULL)
		split_strings(f, f->record);
	mt_buf_free(&ranges);
	mt_buf_free(&rest);
	mt_buf_free(&all);
	return f->record ? MT_OK : MT_ENOMEM;
}

mt_err
mt_spf_flatten(mt_spf_ctx *ctx, const char *domain, mt_spf_flat **out,
    char *errbuf, size_t errlen)
{
	struct mt_spf_flat *f;
	mt_spf_result *r = NULL;
	const mt_spf_trace_node *top;
	spf_collect col;
	flat_acc acc;
	mt_err e;

	*out = NULL;
	if (ctx == NULL || domain == NULL ||
	    strnlen(domain, 254) > 253 || !spf_domain_ok(domain, strlen(domain)))
		return mt_fail(MT_EINVAL, errbuf, errlen, "not a domain name");
	if ((r = spf_result_new()) == NULL)
		return MT_ENOMEM;
	if ((f = mt_arena_alloc(r->arena, sizeof(*f))) == NULL) {
		mt_spf_result_free(r);
		return MT_ENOMEM;
	}
	/* The flat object takes over the result's arena at the end. */
	memset(f, 0, sizeof(*f));
	memset(&acc, 0, sizeof(acc));
	f->a = r->arena;
	f->domain = mt_arena_strdup(f->a, domain);
	f->made = (long long)time(NULL);
	acc.a = f->a;
	acc.f = f;
	mt_buf_init(&acc.head);
	mt_buf_init(&acc.tail);
	col.net = on_net;
	col.kept = on_kept;
	col.arg = &acc;
	r->lint_only = true;
	if ((e = spf_audit(ctx, f->domain, r, &col)) != MT_OK)
		goto fail;
	top = mt_spf_result_trace(r, 0);
	if (top == NULL || top->verdict == MT_SPF_NONE) {
		e = mt_fail(MT_ENOTFOUND, errbuf, errlen, "%s has no SPF record",
		    domain);
		goto fail;
	}
	if (top->verdict == MT_SPF_TEMPERROR || top->verdict == MT_SPF_PERMERROR) {
		e = mt_fail(top->verdict == MT_SPF_TEMPERROR ? MT_ETEMP : MT_EPARSE,
		    errbuf, errlen, "%s", top->note ? top->note :
		    mt_spf_verdict_name(top->verdict));
		goto fail;
	}
	f->before = r->lookups;
	if ((e = build(f, &acc)) != MT_OK)
		goto fail;
	if (acc.inexact > 0)
		push_str(f->a, &f->warnings, mt_arena_printf(f->a, "%u term(s) "
		    "inside includes exclude or qualify ranges (or use %%{d}); "
		    "the flat record does not reproduce them exactly", acc.inexact));
	if (r->walk_cut)
		push_str(f->a, &f->warnings, mt_arena_strdup(f->a, "the tree "
		    "was too large to walk completely; the record is incomplete"));
	if (mt_spf_flat_lookups_after(f) > MT_SPF_MAX_LOOKUPS)
		push_str(f->a, &f->warnings, mt_arena_printf(f->a, "the flat "
		    "record still needs %u DNS lookups (terms kept as written)",
		    mt_spf_flat_lookups_after(f)));
	mt_buf_free(&acc.head);
	mt_buf_free(&acc.tail);
	*out = f;
	return MT_OK;
fail:
	mt_buf_free(&acc.head);
	mt_buf_free(&acc.tail);
	mt_spf_result_free(r);
	return e;
}

void
mt_spf_flat_free(mt_spf_flat *f)
{
	if (f != NULL)
		mt_arena_free(f->a);
}

const char *mt_spf_flat_record(const mt_spf_flat *f) { return f->record; }
const char *mt_spf_flat_domain(const mt_spf_flat *f) { return f->domain; }
size_t mt_spf_flat_string_count(const mt_spf_flat *f) { return f->strings.n; }
unsigned mt_spf_flat_lookups_before(const mt_spf_flat *f) { return f->before; }
unsigned mt_spf_flat_kept_lookups(const mt_spf_flat *f) { return f->kept_lookups; }
size_t mt_spf_flat_chain_count(const mt_spf_flat *f) { return f->chain.n; }
size_t mt_spf_flat_warning_count(const mt_spf_flat *f) { return f->warnings.n; }

static const char *
vec_str(const spf_vec *v, size_t i)
{
	return i < v->n ? ((const char *const *)v->p)[i] : NULL;
}

const char *
mt_spf_flat_string(const mt_spf_flat *f, size_t i)
{
	return vec_str(&f->strings, i);
}

const char *
mt_spf_flat_chain(const mt_spf_flat *f, size_t i)
{
	return vec_str(&f->chain, i);
}

const char *
mt_spf_flat_chain_name(const mt_spf_flat *f, size_t i)
{
	return vec_str(&f->chain_names, i);
}

const char *
mt_spf_flat_warning(const mt_spf_flat *f, size_t i)
{
	return vec_str(&f->warnings, i);
}

unsigned
mt_spf_flat_lookups_after(const mt_spf_flat *f)
{
	return f->kept_lookups + (unsigned)f->chain.n;
}

size_t
mt_spf_flat_ranges(const mt_spf_flat *f, size_t *v4, size_t *v6)
{
	if (v4 != NULL)
		*v4 = f->v4;
	if (v6 != NULL)
		*v6 = f->v6;
	return f->v4 + f->v6;
}

long long
mt_spf_flat_time(const mt_spf_flat *f)
{
	return f->made;
}

json_t *
mt_spf_flat_json(const mt_spf_flat *f)
{
	json_t *o, *strs, *chain, *warn;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	strs = json_array();
	chain = json_array();
	warn = json_array();
	for (i = 0; i < f->strings.n; i++)
		json_array_append_new(strs, json_string(vec_str(&f->strings, i)));
	for (i = 0; i < f->chain.n; i++)
		json_array_append_new(chain, json_pack("{s:s, s:s}", "name",
		    vec_str(&f->chain_names, i), "record", vec_str(&f->chain, i)));
	for (i = 0; i < f->warnings.n; i++)
		json_array_append_new(warn, json_string(vec_str(&f->warnings, i)));
	json_object_set_new(o, "domain", json_string(f->domain));
	json_object_set_new(o, "snapshot", json_true());
	json_object_set_new(o, "generated", json_integer(f->made));
	json_object_set_new(o, "notice", json_string("a snapshot of the "
	    "providers' ranges at the time given: regenerate it whenever a "
	    "provider changes its ranges"));
	json_object_set_new(o, "record", json_string(f->record));
	json_object_set_new(o, "strings", strs);
	json_object_set_new(o, "chain", chain);
	json_object_set_new(o, "lookups_before", json_integer(f->before));
	json_object_set_new(o, "lookups_after",
	    json_integer(mt_spf_flat_lookups_after(f)));
	json_object_set_new(o, "kept_lookups", json_integer(f->kept_lookups));
	json_object_set_new(o, "ip4_ranges", json_integer((json_int_t)f->v4));
	json_object_set_new(o, "ip6_ranges", json_integer((json_int_t)f->v6));
	json_object_set_new(o, "warnings", warn);
	return o;
}
