/*
 * mech.c -- the mechanisms of RFC 7208 section 5 (all, include, a, mx, ptr,
 * ip4, ip6, exists), the lookup and void-lookup counters of 4.6.4, and the
 * target names of terms (domain-spec expansion, 7.3 truncation).
 *
 * Every DNS answer is released before the function that asked returns;
 * what the trace keeps of it (a short text) is copied into the result's
 * arena.  In an audit walk (lint, flatten, or a traced evaluation after a
 * limit fixed the verdict) the mechanisms still ask DNS and report what
 * answered, but the counters never stop the walk; the walk's own budget
 * (SPF_AUDIT_MAX_LOOKUPS) does.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spf/eval_int.h"

/* ---------------------------------------------------------------- counters */
spf_outcome
spf_count_lookup(spf_eval *st, int node)
{
	mt_spf_trace_node *n;

	st->lookups++;
	if (st->lookups <= MT_SPF_MAX_LOOKUPS)
		return SPF_NOMATCH;
	if (st->lookups == MT_SPF_MAX_LOOKUPS + 1 && node >= 0)
		st->r->over_node = node + 1;
	if ((n = spf_node(st, node)) != NULL && n->note == NULL)
		n->note = mt_arena_printf(st->a, "lookup %u: over the limit of %d",
		    st->lookups, MT_SPF_MAX_LOOKUPS);
	if (st->audit)
		return SPF_NOMATCH;
	return spf_error(st, MT_SPF_PERMERROR, "more than %d DNS-querying "
	    "terms (RFC 7208 4.6.4)", MT_SPF_MAX_LOOKUPS);
}

static bool
is_void(const mt_dns_answer *ans)
{
	return ans->status == MT_DNS_NXDOMAIN || ans->status == MT_DNS_NODATA ||
	    (ans->status == MT_DNS_OK && ans->count == 0);
}

/* Count a void lookup (RFC 7208 4.6.4): SPF_ERROR past the second. */
static spf_outcome
count_void(spf_eval *st, int node)
{
	mt_spf_trace_node *n;

	st->voids++;
	if (st->voids <= MT_SPF_MAX_VOID)
		return SPF_NOMATCH;
	if ((n = spf_node(st, node)) != NULL && n->note == NULL)
		n->note = mt_arena_printf(st->a, "void lookup %u: over the limit "
		    "of %d", st->voids, MT_SPF_MAX_VOID);
	if (st->audit)
		return SPF_NOMATCH;
	return spf_error(st, MT_SPF_PERMERROR, "more than %d void lookups "
	    "(RFC 7208 4.6.4)", MT_SPF_MAX_VOID);
}

/* ---------------------------------------------------------------- trace */
/* A short text of an answer for the trace ("192.0.2.1, 192.0.2.2",
 * "NXDOMAIN", "timeout"). */
static void
note_answer(spf_eval *st, int node, const char *type, const mt_dns_answer *ans)
{
	mt_spf_trace_node *n;
	mt_buf b;
	char ip[64];
	size_t i, shown;

	if ((n = spf_node(st, node)) == NULL)
		return;
	mt_buf_init(&b);
	/* A+AAAA in an audit: the second answer joins the first. */
	if (n->answer != NULL && n->queried != NULL && strcmp(n->queried,
	    type) == 0)
		mt_buf_printf(&b, "%s; ", n->answer);
	n->queried = type;
	if (ans->status != MT_DNS_OK || ans->count == 0) {
		mt_buf_puts(&b, ans->status == MT_DNS_TEMPFAIL ?
		    (ans->why ? ans->why : "temporary failure") :
		    mt_dns_status_name(ans->count == 0 && ans->status == MT_DNS_OK ?
		    MT_DNS_NODATA : ans->status));
		if (!b.failed && b.p != NULL)
			n->answer = mt_arena_strdup(st->a, b.p);
		mt_buf_free(&b);
		return;
	}
	for (i = 0, shown = 0; i < ans->count && shown < 6; i++) {
		const mt_dns_rr *rr = &ans->rr[i];

		if (shown > 0)
			mt_buf_puts(&b, ", ");
		if (rr->type == MT_DNS_A || rr->type == MT_DNS_AAAA) {
			spf_ip tmp;

			memset(&tmp, 0, sizeof(tmp));
			tmp.v4 = rr->type == MT_DNS_A;
			memcpy(tmp.b, rr->type == MT_DNS_A ? rr->u.a : rr->u.aaaa,
			    tmp.v4 ? 4 : 16);
			spf_ip_text(&tmp, ip, sizeof(ip));
			mt_buf_puts(&b, ip);
		} else if (rr->type == MT_DNS_MX) {
			mt_buf_printf(&b, "%u %s", rr->u.mx.pref,
			    *rr->u.mx.host ? rr->u.mx.host : ".");
		} else if (rr->type == MT_DNS_PTR) {
			mt_buf_puts(&b, rr->u.name);
		} else {
			mt_buf_puts(&b, "(record)");
		}
		shown++;
	}
	if (ans->count > shown)
		mt_buf_printf(&b, ", ... (%zu in all)", ans->count);
	if (!b.failed && b.p != NULL)
		n->answer = mt_arena_strdup(st->a, b.p);
	mt_buf_free(&b);
}

static void
note_append(spf_eval *st, int node, const char *type, const char *text)
{
	mt_spf_trace_node *n;

	if ((n = spf_node(st, node)) == NULL)
		return;
	n->queried = type;
	if (n->answer == NULL)
		n->answer = text;
	else
		n->answer = mt_arena_printf(st->a, "%s; %s", n->answer, text);
}

/* ---------------------------------------------------------------- targets */
/* Does the macro-string use a letter other than d (the only one an audit
 * without a client can expand)? */
static bool
client_dependent(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i++) {
		if (s[i] == '%' && s[i + 1] == '%') {
			i++;
			continue;
		}
		if (s[i] == '%' && s[i + 1] == '{' && mt_lower(s[i + 2]) != 'd')
			return true;
	}
	return false;
}

const char *
spf_target(spf_eval *st, const mt_spf_term *t, const char *domain, char *buf,
    size_t cap)
{
	spf_macro_vals v;
	struct spf_pctx pc;
	size_t len, i;
	mt_err e;

	if (t->spec == NULL || t->kind == MT_SPF_IP4 || t->kind == MT_SPF_IP6) {
		len = strnlen(domain, cap - 1);
		memcpy(buf, domain, len);
		buf[len] = '\0';
		return buf;
	}
	if (!t->has_macros) {
		/* The common case: a plain name, nothing to expand. */
		len = t->spec_len < cap - 1 ? t->spec_len : cap - 1;
		memcpy(buf, t->spec, len);
		buf[len] = '\0';
	} else if (!st->have_ip && client_dependent(t->spec, t->spec_len)) {
		buf[0] = '\0';
		return buf;
	} else {
		spf_macro_env(st, domain, &v, &pc);
		e = spf_macro_expand(t->spec, t->spec_len, SPF_MACRO_DOMAIN, &v,
		    buf, cap, &len);
		if (e != MT_OK) {
			spf_error(st, MT_SPF_PERMERROR, "'%.*s': %s",
			    (int)t->spec_len, t->spec, e == MT_ELIMIT ?
			    "the expansion is too long" : "bad macro");
			return NULL;
		}
	}
	if (len > 0 && buf[len - 1] == '.')
		buf[--len] = '\0';
	/* RFC 7208 7.3: over 253 octets, drop labels from the left. */
	i = 0;
	while (len - i > 253) {
		const char *dot = memchr(buf + i, '.', len - i);

		if (dot == NULL)
			break;
		i = (size_t)(dot - buf) + 1;
	}
	if (i > 0) {
		memmove(buf, buf + i, len - i + 1);
		len -= i;
	}
	return buf;
}

/* ---------------------------------------------------------------- helpers */
static void
set_target(spf_eval *st, int node, const char *target)
{
	mt_spf_trace_node *n;

	if ((n = spf_node(st, node)) != NULL && n->target == NULL)
		n->target = mt_arena_strdup(st->a, target);
}

static unsigned
bits_for(const mt_spf_term *t, bool v4)
{
	if (v4)
		return t->cidr4 >= 0 ? (unsigned)t->cidr4 : 32;
	return t->cidr6 >= 0 ? (unsigned)t->cidr6 : 128;
}

/* Report an address a term stands for to the audit collector. */
static void
collect(spf_eval *st, const mt_spf_term *t, bool v4, const uint8_t *addr)
{
	char q;

	if (st->col == NULL || st->col->net == NULL)
		return;
	q = st->incl_depth == 0 ? t->qualifier :
	    (t->qualifier == '+' && st->incl_exact ? st->incl_qual : 0);
	st->col->net(st->col->arg, q, v4, addr, bits_for(t, v4), st->incl_depth);
}

static void
keep(spf_eval *st, const mt_spf_term *t, const mt_spf_record *rec,
    const char *domain)
{
	if (st->col != NULL && st->col->kept != NULL)
		st->col->kept(st->col->arg, t, rec->text, domain, st->incl_depth);
}

/* Query the addresses of name: A or AAAA for the client's family, both
 * in an audit without a client.  Calls `each` per address; returns the
 * worst status seen (TEMPFAIL wins, then OK). */
typedef bool (*addr_fn)(spf_eval *st, const mt_spf_term *t, bool v4,
    const uint8_t *a);

static mt_dns_status
addresses(spf_eval *st, const char *name, const mt_spf_term *t, int node,
    bool note, addr_fn each, bool *matched, mt_buf *txt)
{
	static const uint16_t fam[2] = { MT_DNS_A, MT_DNS_AAAA };
	const mt_dns_answer *ans;
	mt_dns_status worst = MT_DNS_NXDOMAIN;
	size_t f, i, shown = 0;
	char ip[64];
	spf_ip tmp;

	for (f = 0; f < 2; f++) {
		if (st->have_ip && st->ip.v4 != (fam[f] == MT_DNS_A))
			continue;
		if (mt_dns_query(st->dns, name, fam[f], &ans) != MT_OK)
			return MT_DNS_TEMPFAIL;
		if (note)
			note_answer(st, node, st->have_ip ? (fam[f] == MT_DNS_A ?
			    "A" : "AAAA") : "A+AAAA", ans);
		if (ans->status == MT_DNS_TEMPFAIL)
			worst = MT_DNS_TEMPFAIL;
		else if (ans->status == MT_DNS_OK && ans->count > 0 &&
		    worst != MT_DNS_TEMPFAIL)
			worst = MT_DNS_OK;
		else if (ans->status == MT_DNS_NODATA && worst == MT_DNS_NXDOMAIN)
			worst = MT_DNS_NODATA;
		for (i = 0; i < ans->count && ans->status == MT_DNS_OK; i++) {
			const mt_dns_rr *rr = &ans->rr[i];

			if (rr->type != fam[f])
				continue;
			if (each(st, t, fam[f] == MT_DNS_A, fam[f] == MT_DNS_A ?
			    rr->u.a : rr->u.aaaa))
				*matched = true;
			if (txt != NULL && shown++ < 4) {
				memset(&tmp, 0, sizeof(tmp));
				tmp.v4 = fam[f] == MT_DNS_A;
				memcpy(tmp.b, tmp.v4 ? rr->u.a : rr->u.aaaa,
				    tmp.v4 ? 4 : 16);
				spf_ip_text(&tmp, ip, sizeof(ip));
				mt_buf_printf(txt, "%s%s", shown > 1 ? " " : "", ip);
			}
		}
		mt_dns_answer_release(ans);
	}
	if (txt != NULL && shown == 0)
		mt_buf_puts(txt, worst == MT_DNS_TEMPFAIL ? "timeout" : "no address");
	return worst;
}

/* Does the client fall in addr/cidr?  In an audit: collect instead. */
static bool
match_net(spf_eval *st, const mt_spf_term *t, bool v4, const uint8_t *a)
{
	if (!st->have_ip || st->audit) {
		collect(st, t, v4, a);
		if (!st->have_ip)
			return false;
	}
	if (v4 != st->ip.v4)
		return false;
	return spf_prefix_match(st->ip.b, a, bits_for(t, v4));
}

/* Is the client exactly this address (ptr and %{p} validation)? */
static bool
match_exact(spf_eval *st, const mt_spf_term *t, bool v4, const uint8_t *a)
{
	return st->have_ip && v4 == st->ip.v4 &&
	    memcmp(a, st->ip.b, v4 ? 4 : 16) == 0;
}

static spf_outcome
dns_temp(spf_eval *st, const char *what, const char *name)
{
	if (st->audit)
		return SPF_NOMATCH;
	return spf_error(st, MT_SPF_TEMPERROR, "%s lookup for %s failed "
	    "(temporary DNS error)", what, name);
}

/* ---------------------------------------------------------------- mechanisms */
static spf_outcome
mech_ip(spf_eval *st, const mt_spf_term *t)
{
	bool v4 = t->kind == MT_SPF_IP4;

	if (!st->have_ip || st->audit) {
		collect(st, t, v4, t->addr);
		if (!st->have_ip)
			return SPF_NOMATCH;
	}
	if (v4 != st->ip.v4)
		return SPF_NOMATCH;
	return spf_prefix_match(st->ip.b, t->addr, bits_for(t, v4)) ?
	    SPF_MATCH : SPF_NOMATCH;
}

static spf_outcome
mech_a(spf_eval *st, const mt_spf_term *t, const char *target, int node)
{
	mt_dns_status s;
	bool matched = false;

	s = addresses(st, target, t, node, true, match_net, &matched, NULL);
	if (s == MT_DNS_TEMPFAIL)
		return dns_temp(st, "address", target);
	if (s != MT_DNS_OK && count_void(st, node) == SPF_ERROR)
		return SPF_ERROR;
	return matched ? SPF_MATCH : SPF_NOMATCH;
}

static spf_outcome
mech_mx(spf_eval *st, const mt_spf_term *t, const char *target, int node)
{
	const mt_dns_answer *ans;
	spf_outcome o = SPF_NOMATCH;
	mt_spf_trace_node *n;
	mt_dns_status s;
	bool matched = false;
	size_t i, names = 0;
	mt_buf hosts;

	mt_buf_init(&hosts);
	if (mt_dns_query(st->dns, target, MT_DNS_MX, &ans) != MT_OK)
		return dns_temp(st, "MX", target);
	note_answer(st, node, "MX", ans);
	if (ans->status == MT_DNS_TEMPFAIL) {
		mt_dns_answer_release(ans);
		return dns_temp(st, "MX", target);
	}
	if (is_void(ans)) {
		mt_dns_answer_release(ans);
		return count_void(st, node);
	}
	for (i = 0; i < ans->count; i++)
		names += ans->rr[i].type == MT_DNS_MX;
	if (names > MT_SPF_MAX_MX_NAMES && !st->audit) {
		mt_dns_answer_release(ans);
		return spf_error(st, MT_SPF_PERMERROR, "mx:%s has %zu MX names; "
		    "more than %d is a permerror (RFC 7208 4.6.4)", target, names,
		    MT_SPF_MAX_MX_NAMES);
	}
	for (i = 0, names = 0; i < ans->count && names < MT_SPF_MAX_MX_NAMES; i++) {
		const mt_dns_rr *rr = &ans->rr[i];

		if (rr->type != MT_DNS_MX)
			continue;
		names++;
		if (*rr->u.mx.host == '\0')
			continue; /* null MX (RFC 7505): no host */
		/* The trace shows each host with its addresses. */
		if (node >= 0)
			mt_buf_printf(&hosts, "%s%u %s (", hosts.len ? ", " : "",
			    rr->u.mx.pref, rr->u.mx.host);
		s = addresses(st, rr->u.mx.host, t, node, false, match_net,
		    &matched, node >= 0 ? &hosts : NULL);
		if (node >= 0)
			mt_buf_putc(&hosts, ')');
		if (s == MT_DNS_TEMPFAIL && !matched) {
			o = dns_temp(st, "address", rr->u.mx.host);
			if (o == SPF_ERROR)
				break;
		}
		if (matched && !st->audit)
			break;
	}
	mt_dns_answer_release(ans);
	if ((n = spf_node(st, node)) != NULL && hosts.len > 0 && !hosts.failed)
		n->answer = mt_arena_strdup(st->a, hosts.p);
	mt_buf_free(&hosts);
	if (matched)
		return SPF_MATCH;
	return o;
}

/* Is name equal to domain or below it (case-insensitive)? */
static bool
within(const char *name, const char *domain)
{
	size_t n = strlen(name), d = strlen(domain);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (d > 0 && domain[d - 1] == '.')
		d--;
	if (n < d || d == 0)
		return false;
	if (strncasecmp(name + n - d, domain, d) != 0)
		return false;
	return n == d || name[n - d - 1] == '.';
}

/* The validated names of the client (RFC 7208 5.5): PTR names whose
 * address records lead back to the client.  Calls `want` until it says
 * stop; returns false when the PTR lookup itself produced nothing. */
typedef bool (*name_fn)(void *arg, const char *name);

static mt_dns_status
validated_names(spf_eval *st, int node, name_fn want, void *arg)
{
	const mt_dns_answer *ans;
	char rev[80];
	mt_dns_status s;
	bool ok;
	size_t i, names = 0;

	spf_ip_reverse_name(&st->ip, rev, sizeof(rev));
	if (mt_dns_query(st->dns, rev, MT_DNS_PTR, &ans) != MT_OK)
		return MT_DNS_TEMPFAIL;
	if (node >= 0)
		note_answer(st, node, "PTR", ans);
	s = ans->status == MT_DNS_OK && ans->count == 0 ? MT_DNS_NODATA :
	    ans->status;
	for (i = 0; i < ans->count && names < MT_SPF_MAX_PTR_NAMES; i++) {
		const mt_dns_rr *rr = &ans->rr[i];

		if (rr->type != MT_DNS_PTR)
			continue;
		names++;
		ok = false;
		if (addresses(st, rr->u.name, NULL, -1, false, match_exact,
		    &ok, NULL) == MT_DNS_TEMPFAIL && !ok)
			continue; /* RFC 7208 5.5: errors skip the name */
		if (ok && !want(arg, rr->u.name))
			break;
	}
	mt_dns_answer_release(ans);
	return s;
}

struct ptr_want {
	const char *target;
	bool matched;
};

static bool
ptr_match(void *arg, const char *name)
{
	struct ptr_want *w = arg;

	if (within(name, w->target)) {
		w->matched = true;
		return false;
	}
	return true;
}

static spf_outcome
mech_ptr(spf_eval *st, const mt_spf_term *t, const mt_spf_record *rec,
    const char *domain, const char *target, int node)
{
	struct ptr_want w = { target, false };
	mt_dns_status s;

	if (!st->have_ip) {
		keep(st, t, rec, domain);
		return SPF_NOMATCH;
	}
	s = validated_names(st, node, ptr_match, &w);
	/* A PTR lookup that fails is a no-match, never an error (5.5). */
	if (s == MT_DNS_NXDOMAIN || s == MT_DNS_NODATA)
		return count_void(st, node);
	return w.matched ? SPF_MATCH : SPF_NOMATCH;
}

static spf_outcome
mech_exists(spf_eval *st, const mt_spf_term *t, const mt_spf_record *rec,
    const char *domain, const char *target, int node)
{
	const mt_dns_answer *ans;
	spf_outcome o;

	if (st->col != NULL)
		keep(st, t, rec, domain);
	if (*target == '\0')
		return SPF_NOMATCH;
	/* Always an A query, whatever the client's family (RFC 7208 5.7). */
	if (mt_dns_query(st->dns, target, MT_DNS_A, &ans) != MT_OK)
		return dns_temp(st, "A", target);
	note_answer(st, node, "A", ans);
	if (ans->status == MT_DNS_TEMPFAIL) {
		mt_dns_answer_release(ans);
		return dns_temp(st, "A", target);
	}
	o = is_void(ans) ? count_void(st, node) : SPF_MATCH;
	mt_dns_answer_release(ans);
	if (o == SPF_MATCH && !st->have_ip)
		return SPF_NOMATCH;
	return o;
}

static spf_outcome
mech_include(spf_eval *st, const mt_spf_term *t, const char *target,
    unsigned depth, int node)
{
	mt_spf_trace_node *n;
	spf_host h;
	bool exact = st->incl_exact;
	char qual = st->incl_qual;

	if (*target == '\0')
		return SPF_NOMATCH;
	target = mt_arena_strdup(st->a, target);
	if (st->incl_depth == 0) {
		st->incl_qual = t->qualifier;
		st->incl_exact = true;
	} else if (t->qualifier != '+') {
		st->incl_exact = false;
	}
	st->incl_depth++;
	spf_check_host(st, target, depth + 1, node, &h);
	st->incl_depth--;
	st->incl_exact = exact;
	st->incl_qual = qual;
	if ((n = spf_node(st, node)) != NULL)
		n->verdict = h.v;
	switch (h.v) {
	case MT_SPF_PASS:
		return SPF_MATCH;
	case MT_SPF_FAIL:
	case MT_SPF_SOFTFAIL:
	case MT_SPF_NEUTRAL:
		return SPF_NOMATCH;
	case MT_SPF_NONE:
		if (st->audit)
			return SPF_NOMATCH;
		return spf_error(st, MT_SPF_PERMERROR, "include:%s: that domain "
		    "has no SPF record", target);
	case MT_SPF_TEMPERROR:
	case MT_SPF_PERMERROR:
	default:
		if (st->audit)
			return SPF_NOMATCH;
		st->err_verdict = h.v;
		return SPF_ERROR;
	}
}

spf_outcome
spf_mechanism(spf_eval *st, const mt_spf_record *rec, const mt_spf_term *t,
    const char *domain, unsigned depth, int node)
{
	char buf[SPF_NAME_BUF];
	const char *target;

	switch (t->kind) {
	case MT_SPF_ALL:
		keep(st, t, rec, domain);
		return SPF_MATCH;
	case MT_SPF_IP4:
	case MT_SPF_IP6:
		return mech_ip(st, t);
	case MT_SPF_INCLUDE:
	case MT_SPF_A:
	case MT_SPF_MX:
	case MT_SPF_PTR:
	case MT_SPF_EXISTS:
		break;
	default:
		return SPF_NOMATCH;
	}
	if (spf_count_lookup(st, node) == SPF_ERROR)
		return SPF_ERROR;
	if ((target = spf_target(st, t, domain, buf, sizeof(buf))) == NULL)
		return SPF_ERROR;
	if (*target == '\0' && t->kind != MT_SPF_EXISTS) {
		note_append(st, node, NULL, "depends on the client; not resolved");
		keep(st, t, rec, domain);
		return SPF_NOMATCH;
	}
	set_target(st, node, target);
	switch (t->kind) {
	case MT_SPF_INCLUDE:
		return mech_include(st, t, target, depth, node);
	case MT_SPF_A:
		return mech_a(st, t, target, node);
	case MT_SPF_MX:
		return mech_mx(st, t, target, node);
	case MT_SPF_PTR:
		return mech_ptr(st, t, rec, domain, target, node);
	default:
		return mech_exists(st, t, rec, domain, target, node);
	}
}

/* ---------------------------------------------------------------- %{p} */
struct p_want {
	const char *domain;
	const char *exact, *sub, *first;
	mt_arena *a;
};

static bool
p_pick(void *arg, const char *name)
{
	struct p_want *w = arg;
	size_t n = strlen(name), d = strlen(w->domain);

	if (n == d && strncasecmp(name, w->domain, d) == 0) {
		w->exact = mt_arena_strdup(w->a, name);
		return false;
	}
	if (w->sub == NULL && within(name, w->domain))
		w->sub = mt_arena_strdup(w->a, name);
	if (w->first == NULL)
		w->first = mt_arena_strdup(w->a, name);
	return true;
}

/* %{p}: a validated name of the client, the <domain> itself preferred,
 * then a name below it, then any (RFC 7208 7.3); "unknown" if none. */
const char *
spf_validated_name(spf_eval *st, const char *domain)
{
	struct p_want w;

	if (!st->have_ip)
		return "unknown";
	memset(&w, 0, sizeof(w));
	w.domain = domain;
	w.a = st->a;
	(void)validated_names(st, -1, p_pick, &w);
	if (w.exact)
		return w.exact;
	if (w.sub)
		return w.sub;
	return w.first ? w.first : "unknown";
}
