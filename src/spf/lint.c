/*
 * lint.c -- findings on SPF records, each with a severity and a fix.
 *
 * The rules run over a finished audit (audit.c): per record of the tree
 * (the top record, each include and redirect target) and then over the
 * tree as a whole (lookup and void counts, loops).  Knowledge lives in the
 * rule table below; each rule is a short function.  Records are re-parsed
 * leniently from the trace text (cheap, and the trace never points into a
 * cache); TXT and SPF-type answers are asked again through the DNS layer,
 * which answers from its cache.  Findings go to the result's arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf/eval_int.h"

typedef struct lint {
	mt_spf_ctx *ctx;
	mt_spf_result *r;
	const mt_spf_trace_node *node; /* the RECORD node */
	size_t index;
	bool top;                      /* the top record or a redirect of it */
	const mt_spf_record *rec;      /* NULL when there is none */
	const char *dom;
} lint;

static void
add(lint *l, const char *code, mt_spf_severity sev, const mt_spf_term *t,
    const char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
add(lint *l, const char *code, mt_spf_severity sev, const mt_spf_term *t,
    const char *fix, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	spf_finding_add(l->r, code, sev, l->dom, t ? (long)t->offset : -1,
	    t ? t->length : 0, fix, "%s", msg);
}

#define TERM_FMT "'%.*s'"
#define TERM_ARG(l, t) (int)(t)->length, (l)->rec->text + (t)->offset

/* ---------------------------------------------------------------- DNS view */
struct txtview {
	size_t spf, other, total;
	char near[128];        /* a TXT that looks like a misspelled v=spf1 */
};

static bool
looks_like_spf(const char *s, size_t n)
{
	size_t i, w;

	for (i = 0; i < n && s[i] == ' '; i++)
		;
	for (w = i; w < n && s[w] != ' ' && w - i < 16; w++)
		;
	if (w == i)
		return false;
	/* "v=spf1" mistyped: "v=spf", "v=spf 1", "spf1", "v=sfp1", "v:spf1" */
	if (mt_edit_distance(s + i, w - i, "v=spf1", 6) <= 2)
		return true;
	return mt_strn_iprefix(s + i, n - i, "v=spf1") && (i > 0 ||
	    (n > 6 && s[6] != ' '));
}

static void
txt_view(lint *l, struct txtview *v)
{
	const mt_dns_answer *ans;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (mt_dns_query(l->ctx->dns, l->dom, MT_DNS_TXT, &ans) != MT_OK)
		return;
	for (i = 0; ans->status == MT_DNS_OK && i < ans->count; i++) {
		const mt_dns_rr *rr = &ans->rr[i];

		if (rr->type != MT_DNS_TXT)
			continue;
		if (mt_spf_is_record(rr->u.txt.data, rr->u.txt.len)) {
			v->spf++;
			v->total = rr->u.txt.len;
		} else {
			v->other++;
			if (v->near[0] == '\0' &&
			    looks_like_spf(rr->u.txt.data, rr->u.txt.len))
				snprintf(v->near, sizeof(v->near), "%.*s",
				    (int)(rr->u.txt.len > 60 ? 60 : rr->u.txt.len),
				    rr->u.txt.data);
		}
	}
	mt_dns_answer_release(ans);
}

/* ---------------------------------------------------------------- record rules */
static void
rule_presence(lint *l)
{
	struct txtview v;
	const mt_spf_trace_node *parent;

	if (l->rec != NULL && l->node->verdict != MT_SPF_PERMERROR) {
		txt_view(l, &v);
		if (v.total > 512)
			add(l, "record-too-long", MT_SPF_SEV_WARNING, NULL,
			    "shorten the record (flatten includes, merge ranges) or "
			    "split it into includes; over 512 bytes the answer may "
			    "not fit a UDP packet", "the SPF record is %zu bytes "
			    "long", v.total);
		return;
	}
	if (l->node->verdict == MT_SPF_TEMPERROR)
		return;
	txt_view(l, &v);
	if (v.spf > 1) {
		add(l, "multiple-records", MT_SPF_SEV_ERROR, NULL,
		    "merge them into one TXT record starting with v=spf1; with "
		    "more than one, every check is a permerror (RFC 7208 4.5)",
		    "%s publishes %zu SPF records", l->dom, v.spf);
		return;
	}
	if (v.near[0] != '\0') {
		add(l, "misspelled-version", MT_SPF_SEV_ERROR, NULL,
		    "start the record with exactly \"v=spf1\" followed by a space",
		    "the TXT record \"%s\" looks like SPF but does not start "
		    "with \"v=spf1 \", so receivers ignore it", v.near);
		return;
	}
	if (l->rec != NULL || l->node->verdict != MT_SPF_NONE)
		return;
	parent = l->node->parent >= 0 ?
	    mt_spf_result_trace(l->r, (size_t)l->node->parent) : NULL;
	if (parent == NULL)
		add(l, "no-record", MT_SPF_SEV_WARNING, NULL,
		    "publish a TXT record such as \"v=spf1 mx -all\" listing the "
		    "servers that send for this domain", "%s has no SPF record",
		    l->dom);
	else if (parent->kind == MT_SPF_INCLUDE)
		add(l, "include-no-record", MT_SPF_SEV_ERROR, NULL,
		    "remove the include or correct the name; an include of a "
		    "domain without SPF is a permerror (RFC 7208 5.2)",
		    "include:%s: that domain has no SPF record", l->dom);
	else
		add(l, "redirect-no-record", MT_SPF_SEV_ERROR, NULL,
		    "point redirect= at a domain that publishes SPF",
		    "redirect=%s: that domain has no SPF record", l->dom);
}

static void
rule_deprecated_rr(lint *l)
{
	const mt_dns_answer *ans;

	if (mt_dns_query(l->ctx->dns, l->dom, MT_DNS_SPF, &ans) != MT_OK)
		return;
	if (ans->status == MT_DNS_OK && ans->count > 0)
		add(l, "deprecated-spf-rr", MT_SPF_SEV_WARNING, NULL,
		    "delete the type SPF (99) record and keep the TXT one; RFC "
		    "7208 3.1 removed the SPF RR type and receivers ignore it",
		    "%s publishes a record of the deprecated SPF RR type",
		    l->dom);
	mt_dns_answer_release(ans);
}

static const char *const known_terms[] = {
	"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists",
	"redirect", "exp",
};

/* The valid term name nearest to s[0..n), or NULL when none is close. */
static const char *
nearest(const char *s, size_t n)
{
	const char *best = NULL;
	unsigned d, bd = 3;
	size_t i;

	for (i = 0; i < MT_ARRAY_LEN(known_terms); i++) {
		d = mt_edit_distance(s, n, known_terms[i], strlen(known_terms[i]));
		if (d < bd && (d < strlen(known_terms[i]) || n > 2)) {
			bd = d;
			best = known_terms[i];
		}
	}
	return bd <= (n <= 3 ? 1u : 2u) ? best : NULL;
}

static void
rule_invalid(lint *l, const mt_spf_term *t)
{
	const char *s = l->rec->text + t->offset, *near;
	size_t n = t->length, i, name;
	char fix[256];

	if (memchr(s, ',', n) != NULL || memchr(s, ';', n) != NULL) {
		add(l, "stray-comma", MT_SPF_SEV_ERROR, t, "separate terms with "
		    "single spaces only; commas and semicolons are not part of "
		    "SPF", "stray comma or semicolon in " TERM_FMT, TERM_ARG(l, t));
		return;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i] < 0x21) {
			add(l, "bad-character", MT_SPF_SEV_ERROR, t, "retype the "
			    "term in plain ASCII (word processors turn '-' into "
			    "dashes and add invisible characters)", "non-ASCII or "
			    "control byte 0x%02x in a term", (unsigned char)s[i]);
			return;
		}
	}
	if (n == 1 && strchr("+-~?", s[0]) != NULL) {
		add(l, "stray-qualifier", MT_SPF_SEV_ERROR, t, "write the "
		    "qualifier directly before its mechanism, as in \"-all\"",
		    "'%c' stands alone", s[0]);
		return;
	}
	i = strchr("+-~?", s[0]) != NULL ? 1 : 0;
	for (name = i; name < n && s[name] != ':' && s[name] != '/' &&
	    s[name] != '='; name++)
		;
	near = nearest(s + i, name - i);
	if (near != NULL && !mt_strn_ieq(s + i, name - i, near)) {
		snprintf(fix, sizeof(fix), "did you mean '%s%s%.*s'?",
		    i ? (char[]){ s[0], 0 } : "", near, (int)(n - name), s + name);
		add(l, "unknown-mechanism", MT_SPF_SEV_ERROR, t, fix,
		    "unknown term '%.*s'", (int)(name - i), s + i);
		return;
	}
	if (l->rec->err.offset >= t->offset &&
	    l->rec->err.offset <= t->offset + t->length)
		add(l, "syntax-error", MT_SPF_SEV_ERROR, t, "correct the term; a "
		    "syntax error anywhere makes every check a permerror",
		    "syntax error in " TERM_FMT " at byte %zu: %s", TERM_ARG(l, t),
		    l->rec->err.offset, l->rec->err.message);
	else
		add(l, "syntax-error", MT_SPF_SEV_ERROR, t, "correct the term; a "
		    "syntax error anywhere makes every check a permerror",
		    "syntax error in " TERM_FMT " at byte %zu", TERM_ARG(l, t),
		    t->offset);
}

static void
rule_terms(lint *l)
{
	const mt_spf_record *rec = l->rec;
	const mt_spf_term *t;
	bool all = false;
	size_t i;
	char fix[256];

	for (i = 0; i < rec->nterms; i++) {
		t = &rec->terms[i];
		switch (t->kind) {
		case MT_SPF_INVALID:
			rule_invalid(l, t);
			break;
		case MT_SPF_PTR:
			add(l, "ptr-used", MT_SPF_SEV_WARNING, t, "replace ptr with "
			    "ip4/ip6 or a terms for the sending servers; ptr is slow, "
			    "unreliable and discouraged (RFC 7208 5.5)",
			    TERM_FMT " uses the ptr mechanism", TERM_ARG(l, t));
			break;
		case MT_SPF_ALL:
			all = true;
			if (t->qualifier == '+' && l->top)
				add(l, "all-pass", MT_SPF_SEV_ERROR, t, "end the record "
				    "with -all or ~all; +all authorises every host "
				    "on the Internet", TERM_FMT " lets anyone send as "
				    "%s", TERM_ARG(l, t), l->dom);
			else if (t->qualifier == '?' && l->top)
				add(l, "all-neutral", MT_SPF_SEV_WARNING, t, "end the "
				    "record with ~all or -all once every sender is "
				    "listed", TERM_FMT " makes no statement about "
				    "unlisted hosts", TERM_ARG(l, t));
			break;
		case MT_SPF_UNKNOWN_MOD:
			if (nearest(t->name, t->name_len) != NULL) {
				const char *m = nearest(t->name, t->name_len);

				snprintf(fix, sizeof(fix), "write '%s%s%.*s'", m,
				    strcmp(m, "redirect") && strcmp(m, "exp") ?
				    ":" : "=", (int)t->spec_len, t->spec);
				add(l, "unknown-modifier", MT_SPF_SEV_ERROR, t, fix,
				    TERM_FMT " is an unknown modifier, so receivers "
				    "ignore it", TERM_ARG(l, t));
			} else {
				add(l, "unknown-modifier", MT_SPF_SEV_INFO, t,
				    "remove it unless a tool of yours reads it",
				    TERM_FMT " is a modifier receivers ignore",
				    TERM_ARG(l, t));
			}
			break;
		default:
			break;
		}
	}
	if (l->top && !all && rec->redirect < 0 && rec->nerrors == 0)
		add(l, "no-all", MT_SPF_SEV_WARNING, NULL, "end the record with "
		    "~all (or -all) so unlisted hosts get a clear verdict",
		    "the record has no 'all' and no redirect=: unlisted hosts "
		    "get neutral");
	if (all && rec->redirect >= 0)
		add(l, "redirect-ignored", MT_SPF_SEV_WARNING,
		    &rec->terms[rec->redirect], "remove the redirect= or the "
		    "all; with 'all' present redirect= is never used (RFC 7208 "
		    "6.1)", "redirect= is ignored because the record has 'all'");
}

static void
rule_spaces(lint *l)
{
	const char *s = l->rec->text;
	size_t n = l->rec->len;

	if (memmem(s, n, "  ", 2) != NULL || (n > 0 && s[n - 1] == ' '))
		add(l, "extra-space", MT_SPF_SEV_INFO, NULL, "separate terms with "
		    "single spaces and drop trailing spaces; some receivers "
		    "reject anything else", "the record has repeated or "
		    "trailing spaces");
}

/* a inside b? */
static bool
range_in(const mt_spf_term *a, const mt_spf_term *b)
{
	unsigned max = a->kind == MT_SPF_IP4 ? 32 : 128;
	unsigned pa = a->kind == MT_SPF_IP4 ? (a->cidr4 < 0 ? max : (unsigned)a->cidr4) :
	    (a->cidr6 < 0 ? max : (unsigned)a->cidr6);
	unsigned pb = b->kind == MT_SPF_IP4 ? (b->cidr4 < 0 ? max : (unsigned)b->cidr4) :
	    (b->cidr6 < 0 ? max : (unsigned)b->cidr6);

	return a->kind == b->kind && pb <= pa &&
	    spf_prefix_match(a->addr, b->addr, pb);
}

static void
rule_ranges(lint *l)
{
	const mt_spf_record *rec = l->rec;
	const mt_spf_term *a, *b;
	size_t i, j;

	for (i = 0; i < rec->nterms; i++) {
		a = &rec->terms[i];
		if (a->kind != MT_SPF_IP4 && a->kind != MT_SPF_IP6)
			continue;
		for (j = 0; j < rec->nterms; j++) {
			b = &rec->terms[j];
			if (i == j || !range_in(a, b) || a->qualifier != b->qualifier)
				continue;
			/* Equal ranges: report the later one only. */
			if (range_in(b, a) && j > i)
				continue;
			add(l, "redundant-range", MT_SPF_SEV_WARNING, a, "remove it; "
			    "the larger range already covers it", TERM_FMT " is "
			    "inside '%.*s'", TERM_ARG(l, a), (int)b->length,
			    rec->text + b->offset);
			break;
		}
	}
}

static void
rule_mx_names(lint *l)
{
	const mt_spf_trace_node *n;
	const mt_dns_answer *ans;
	size_t i;

	for (i = l->index + 1; (n = mt_spf_result_trace(l->r, i)) != NULL; i++) {
		if (n->parent != (int)l->index || n->type != MT_SPF_NODE_TERM ||
		    n->kind != MT_SPF_MX || n->target == NULL)
			continue;
		if (mt_dns_query(l->ctx->dns, n->target, MT_DNS_MX, &ans) != MT_OK)
			continue;
		if (ans->status == MT_DNS_OK && ans->count > MT_SPF_MAX_MX_NAMES)
			spf_finding_add(l->r, "mx-too-many", MT_SPF_SEV_ERROR, l->dom,
			    -1, 0, "list the sending servers with ip4/ip6 instead "
			    "of mx; an mx with more than 10 names is a permerror "
			    "(RFC 7208 4.6.4)", "'%s' has %zu MX names", n->text,
			    ans->count);
		mt_dns_answer_release(ans);
	}
}

/* ---------------------------------------------------------------- tree rules */
static bool
is_loop(const mt_spf_result *r, const mt_spf_trace_node *n)
{
	const mt_spf_trace_node *p = n;

	while (p->parent >= 0 &&
	    (p = mt_spf_result_trace(r, (size_t)p->parent)) != NULL) {
		if (p->type == MT_SPF_NODE_RECORD &&
		    strcasecmp(p->domain, n->domain) == 0)
			return true;
	}
	return false;
}

static void
rule_lookups(mt_spf_result *r)
{
	const mt_spf_trace_node *n, *c;
	mt_buf b;
	size_t i;

	if (r->lookups <= MT_SPF_MAX_LOOKUPS)
		return;
	mt_buf_init(&b);
	/* The top record's counting terms, each with its subtree's cost. */
	for (i = 1; (n = mt_spf_result_trace(r, i)) != NULL; i++) {
		if (n->parent != 0 || n->type != MT_SPF_NODE_TERM ||
		    !mt_spf_kind_counts(n->kind))
			continue;
		c = mt_spf_result_trace(r, i + 1);
		mt_buf_printf(&b, "%s%s (%u)", b.len ? ", " : "", n->text,
		    c && c->parent == (int)i && c->type == MT_SPF_NODE_RECORD ?
		    c->subtree_lookups : 1);
	}
	n = r->over_node > 0 ? mt_spf_result_trace(r, (size_t)r->over_node - 1) :
	    NULL;
	spf_finding_add(r, "too-many-lookups", MT_SPF_SEV_ERROR, r->domain, -1, 0,
	    "bring the count to 10 or less: remove includes you no longer use, "
	    "replace a/mx with ip4/ip6, or flatten (mailtriage spf DOMAIN "
	    "--flatten)", "%u%s DNS-querying terms, the limit is %d: %s%s%s%s%s",
	    r->lookups, r->walk_cut ? " or more" : "", MT_SPF_MAX_LOOKUPS,
	    b.p ? b.p : "", n ? "; the 11th is '" : "", n ? n->text : "",
	    n ? "' in the record of " : "", n ? n->domain : "");
	mt_buf_free(&b);
}

static void
rule_voids(mt_spf_result *r)
{
	const mt_spf_trace_node *n;
	mt_buf b;
	size_t i;
	unsigned seen = 0;

	if (r->void_lookups <= MT_SPF_MAX_VOID)
		return;
	mt_buf_init(&b);
	for (i = 0; (n = mt_spf_result_trace(r, i)) != NULL; i++) {
		if (n->type == MT_SPF_NODE_TERM && n->void_lookups > seen) {
			mt_buf_printf(&b, "%s'%s' in %s", b.len ? ", " : "", n->text,
			    n->domain);
			seen = n->void_lookups;
		}
	}
	spf_finding_add(r, "too-many-void-lookups", MT_SPF_SEV_ERROR, r->domain,
	    -1, 0, "remove the terms whose names do not exist (or add the "
	    "missing records); more than 2 void lookups is a permerror",
	    "%u DNS lookups found no records (limit %d): %s", r->void_lookups,
	    MT_SPF_MAX_VOID, b.p ? b.p : "");
	mt_buf_free(&b);
}

/* ---------------------------------------------------------------- driver */
static const struct {
	void (*fn)(lint *l);
	bool needs_record;
} record_rules[] = {
	{ rule_presence, false },
	{ rule_deprecated_rr, false },
	{ rule_terms, true },
	{ rule_spaces, true },
	{ rule_ranges, true },
	{ rule_mx_names, true },
};

/* Is the RECORD node at i the top or reached from it through redirects? */
static bool
top_chain(const mt_spf_result *r, const mt_spf_trace_node *n)
{
	const mt_spf_trace_node *p;

	while (n->parent >= 0) {
		if ((p = mt_spf_result_trace(r, (size_t)n->parent)) == NULL ||
		    p->kind != MT_SPF_REDIRECT)
			return false;
		if ((n = mt_spf_result_trace(r, (size_t)p->parent)) == NULL)
			return false;
	}
	return true;
}

void
spf_lint_rules(mt_spf_ctx *ctx, mt_spf_result *r)
{
	const mt_spf_trace_node *n;
	mt_spf_record *rec;
	size_t i, k, nodes = r->trace.n;
	lint l;

	for (i = 0; i < nodes; i++) {
		n = mt_spf_result_trace(r, i);
		if (n->type != MT_SPF_NODE_RECORD || n->domain == NULL)
			continue;
		if (n->verdict == MT_SPF_PERMERROR && n->text == NULL &&
		    is_loop(r, n)) {
			spf_finding_add(r, "include-loop", MT_SPF_SEV_ERROR, n->domain,
			    -1, 0, "remove the include or redirect that leads back; "
			    "a loop always ends in a permerror", "%s includes or "
			    "redirects to itself through its own tree", n->domain);
			continue;
		}
		memset(&l, 0, sizeof(l));
		l.ctx = ctx;
		l.r = r;
		l.node = n;
		l.index = i;
		l.dom = n->domain;
		l.top = top_chain(r, n);
		rec = n->text ? spf_parse_lenient(n->text, strlen(n->text), NULL) :
		    NULL;
		l.rec = rec;
		for (k = 0; k < MT_ARRAY_LEN(record_rules); k++) {
			if (!record_rules[k].needs_record || rec != NULL)
				record_rules[k].fn(&l);
		}
		free(rec);
	}
	rule_lookups(r);
	rule_voids(r);
	if (r->walk_cut)
		spf_finding_add(r, "walk-cut", MT_SPF_SEV_INFO, r->domain, -1, 0,
		    NULL, "the tree is larger than this report walks (%d lookups);"
		    " it was cut", SPF_AUDIT_MAX_LOOKUPS);
}
