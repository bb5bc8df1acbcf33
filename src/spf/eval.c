/*
 * eval.c -- check_host() of RFC 7208 section 4: record selection, the walk
 * over a record's mechanisms, redirect=, and the entry points
 * mt_spf_eval() / mt_spf_check().
 *
 * Each evaluation gets one arena (the result's); cached parsed records are
 * borrowed from the context for the duration of the call and whatever the
 * result keeps of them is copied.  Trace nodes are cheap structs written
 * only when MT_SPF_TRACE is asked; nothing is rendered here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "spf/eval_int.h"

/* ---------------------------------------------------------------- trace */
int
spf_node_push(spf_eval *st, mt_spf_node_type type, int parent, unsigned depth,
    const char *domain)
{
	mt_spf_trace_node *n;

	if (!st->trace)
		return -1;
	if (st->r->trace.n >= SPF_AUDIT_MAX_NODES) {
		st->walk_cut = true;
		return -1;
	}
	if ((n = spf_vec_push(st->a, &st->r->trace, sizeof(*n))) == NULL)
		return -1;
	n->type = type;
	n->parent = parent;
	n->depth = depth;
	n->domain = domain;
	n->past_limit = st->fixed || (st->audit && st->have_ip);
	n->outcome = n->past_limit ? MT_SPF_OUT_NOT_EVALUATED : MT_SPF_OUT_NOMATCH;
	n->lookups = st->lookups;
	n->void_lookups = st->voids;
	return (int)(st->r->trace.n - 1);
}

mt_spf_trace_node *
spf_node(spf_eval *st, int idx)
{
	if (idx < 0 || (size_t)idx >= st->r->trace.n)
		return NULL;
	return (mt_spf_trace_node *)st->r->trace.p + idx;
}

spf_outcome
spf_error(spf_eval *st, mt_spf_verdict v, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	st->err_verdict = v;
	st->err_reason = mt_arena_strdup(st->a, buf);
	return SPF_ERROR;
}

/* ---------------------------------------------------------------- records */
/* Find the one "v=spf1" TXT record of domain (RFC 7208 4.4, 4.5).  Returns
 * NONE (no record), PERMERROR/TEMPERROR (st->err_* set) or PASS meaning
 * "found", with *rec set. */
static mt_spf_verdict
select_record(spf_eval *st, const char *domain, const mt_spf_record **rec,
    int node)
{
	const mt_dns_answer *ans = NULL;
	const mt_dns_rr *found = NULL;
	mt_spf_verdict v = MT_SPF_PASS;
	mt_spf_record *parsed;
	mt_spf_trace_node *n;
	size_t i, count = 0;
	bool owned;

	if (mt_dns_query(st->dns, domain, MT_DNS_TXT, &ans) != MT_OK) {
		spf_error(st, MT_SPF_TEMPERROR, "out of memory asking TXT %s", domain);
		return MT_SPF_TEMPERROR;
	}
	switch (ans->status) {
	case MT_DNS_OK:
		break;
	case MT_DNS_TEMPFAIL:
		spf_error(st, MT_SPF_TEMPERROR, "TXT lookup for %s failed (%s)",
		    domain, ans->why ? ans->why : "temporary DNS error");
		v = MT_SPF_TEMPERROR;
		goto done;
	default:
		v = MT_SPF_NONE;
		goto done;
	}
	for (i = 0; i < ans->count; i++) {
		if (ans->rr[i].type == MT_DNS_TXT &&
		    mt_spf_is_record(ans->rr[i].u.txt.data, ans->rr[i].u.txt.len)) {
			found = &ans->rr[i];
			count++;
		}
	}
	if (count == 0) {
		v = MT_SPF_NONE;
		goto done;
	}
	if (count > 1) {
		spf_error(st, MT_SPF_PERMERROR, "%s publishes %zu SPF records; "
		    "there must be exactly one", domain, count);
		v = MT_SPF_PERMERROR;
		goto done;
	}
	parsed = spf_ctx_record(st->ctx, found->u.txt.data, found->u.txt.len,
	    st->use_cache, &owned);
	if (parsed == NULL) {
		spf_error(st, MT_SPF_PERMERROR, "the SPF record of %s is longer "
		    "than %d bytes", domain, MT_SPF_MAX_RECORD);
		v = MT_SPF_PERMERROR;
		goto done;
	}
	if (owned) {
		parsed->next = st->owned;
		st->owned = parsed;
	}
	*rec = parsed;
	if ((n = spf_node(st, node)) != NULL)
		n->text = mt_arena_strndup(st->a, parsed->text, parsed->len);
	if (parsed->nerrors > 0) {
		spf_error(st, MT_SPF_PERMERROR, "syntax error in the SPF record "
		    "of %s at byte %zu: %s", domain, parsed->err.offset,
		    parsed->err.message);
		v = MT_SPF_PERMERROR;
	}
done:
	mt_dns_answer_release(ans);
	return v;
}

static mt_spf_verdict
qualifier_verdict(char q)
{
	switch (q) {
	case '-': return MT_SPF_FAIL;
	case '~': return MT_SPF_SOFTFAIL;
	case '?': return MT_SPF_NEUTRAL;
	default: return MT_SPF_PASS;
	}
}

static void
term_node_done(spf_eval *st, int node, spf_outcome o)
{
	mt_spf_trace_node *n;

	if ((n = spf_node(st, node)) == NULL)
		return;
	n->lookups = st->lookups;
	n->void_lookups = st->voids;
	if (n->past_limit)
		return;
	n->outcome = o == SPF_MATCH ? MT_SPF_OUT_MATCH :
	    o == SPF_ERROR ? MT_SPF_OUT_ERROR : MT_SPF_OUT_NOMATCH;
	if (o == SPF_ERROR && n->note == NULL)
		n->note = st->err_reason;
}

static bool
budget_left(spf_eval *st)
{
	if (!st->audit)
		return true;
	if (st->lookups >= SPF_AUDIT_MAX_LOOKUPS ||
	    st->r->trace.n >= SPF_AUDIT_MAX_NODES) {
		st->walk_cut = true;
		return false;
	}
	return true;
}

/* A limit (lookups, void lookups) decided the verdict.  Without a trace we
 * stop here; with one, the verdict is fixed and the walk goes on for the
 * report, so the user sees every term past the limit. */
static bool
fix_verdict(spf_eval *st)
{
	if (!st->trace || st->audit)
		return false;
	st->fixed = true;
	st->audit = true;
	st->fixed_verdict = st->err_verdict;
	st->fixed_reason = st->err_reason;
	st->fixed_lookups = st->lookups;
	st->fixed_voids = st->voids;
	return true;
}

static void
redirect(spf_eval *st, const mt_spf_record *rec, const char *domain,
    unsigned depth, int parent, spf_host *out)
{
	const mt_spf_term *t = &rec->terms[rec->redirect];
	char buf[SPF_NAME_BUF];
	const char *target;
	spf_outcome o;
	int node;

	node = spf_node_push(st, MT_SPF_NODE_TERM, parent, depth, domain);
	if (node >= 0) {
		spf_node(st, node)->kind = t->kind;
		spf_node(st, node)->text = mt_arena_strndup(st->a,
		    rec->text + t->offset, t->length);
	}
	o = spf_count_lookup(st, node);
	if (o == SPF_ERROR) {
		term_node_done(st, node, o);
		if (!fix_verdict(st)) {
			out->v = st->err_verdict;
			return;
		}
	}
	if ((target = spf_target(st, t, domain, buf, sizeof(buf))) == NULL) {
		term_node_done(st, node, SPF_ERROR);
		out->v = st->err_verdict;
		return;
	}
	if (*target == '\0') {
		term_node_done(st, node, SPF_NOMATCH);
		out->v = MT_SPF_NEUTRAL;
		return;
	}
	target = mt_arena_strdup(st->a, target);
	if (node >= 0)
		spf_node(st, node)->target = target;
	spf_check_host(st, target, depth + 1, node, out);
	if (out->v == MT_SPF_NONE) {
		spf_error(st, MT_SPF_PERMERROR, "redirect=%s: that domain has no "
		    "SPF record", target);
		out->v = MT_SPF_PERMERROR;
	}
	term_node_done(st, node, out->v == MT_SPF_PERMERROR ||
	    out->v == MT_SPF_TEMPERROR ? SPF_ERROR : SPF_MATCH);
	if (spf_node(st, node) != NULL)
		spf_node(st, node)->verdict = out->v;
}

static bool
has_all(const mt_spf_record *rec)
{
	size_t i;

	for (i = 0; i < rec->nterms; i++) {
		if (rec->terms[i].kind == MT_SPF_ALL)
			return true;
	}
	return false;
}

/* Evaluate the mechanisms of rec in order; then redirect=; else neutral. */
static void
walk_record(spf_eval *st, const mt_spf_record *rec, const char *domain,
    unsigned depth, int parent, spf_host *out)
{
	const mt_spf_term *t;
	spf_outcome o;
	size_t i;
	int node;

	for (i = 0; i < rec->nterms; i++) {
		t = &rec->terms[i];
		if (t->kind >= MT_SPF_REDIRECT)
			continue;
		if (!budget_left(st))
			break;
		node = spf_node_push(st, MT_SPF_NODE_TERM, parent, depth, domain);
		if (node >= 0) {
			spf_node(st, node)->kind = t->kind;
			spf_node(st, node)->text = mt_arena_strndup(st->a,
			    rec->text + t->offset, t->length);
		}
		o = spf_mechanism(st, rec, t, domain, depth, node);
		term_node_done(st, node, o);
		if (st->audit)
			continue;
		if (o == SPF_MATCH) {
			out->v = qualifier_verdict(t->qualifier);
			out->term = t;
			return;
		}
		if (o == SPF_ERROR) {
			if (fix_verdict(st))
				continue;
			out->v = st->err_verdict;
			return;
		}
	}
	/* A record with "all" never reaches its redirect= (RFC 7208 6.1);
	 * an audit walk must not follow it either. */
	if (rec->redirect >= 0 && !has_all(rec) && budget_left(st)) {
		redirect(st, rec, domain, depth, parent, out);
		return;
	}
	out->v = MT_SPF_NEUTRAL;
}

/* Does a RECORD node above `node` evaluate `domain`? */
static bool
is_ancestor(spf_eval *st, int node, const char *domain)
{
	mt_spf_trace_node *n = spf_node(st, node);

	while (n != NULL && n->parent >= 0) {
		n = spf_node(st, n->parent);
		if (n != NULL && n->type == MT_SPF_NODE_RECORD &&
		    strcasecmp(n->domain, domain) == 0)
			return true;
	}
	return false;
}

void
spf_check_host(spf_eval *st, const char *domain, unsigned depth, int parent,
    spf_host *out)
{
	const mt_spf_record *rec = NULL;
	mt_spf_trace_node *n;
	/* An include or redirect counted its lookup just before calling us;
	 * the subtree's cost includes it. */
	unsigned before = st->lookups - (depth > 0 && st->lookups > 0);
	int node;

	memset(out, 0, sizeof(*out));
	out->domain = domain;
	node = spf_node_push(st, MT_SPF_NODE_RECORD, parent, depth, domain);
	if (depth > SPF_MAX_DEPTH) {
		spf_error(st, MT_SPF_PERMERROR, "includes nested deeper than %d",
		    SPF_MAX_DEPTH);
		out->v = MT_SPF_PERMERROR;
		goto done;
	}
	/* An audit walks every include; one that leads back to a record
	 * being walked would repeat forever, so it stops there.  (An
	 * evaluation ends such loops at the lookup limit, as RFC 7208 says.) */
	if (st->audit && !st->have_ip && is_ancestor(st, node, domain)) {
		spf_error(st, MT_SPF_PERMERROR, "loop: %s is already being "
		    "evaluated further up", domain);
		out->v = MT_SPF_PERMERROR;
		goto done;
	}
	/* RFC 7208 4.3: a malformed or single-label domain is "none". */
	if (!spf_domain_ok(domain, strlen(domain))) {
		out->v = MT_SPF_NONE;
		if ((n = spf_node(st, node)) != NULL)
			n->note = "not a valid domain name";
		goto done;
	}
	out->v = select_record(st, domain, &rec, node);
	if (out->v != MT_SPF_PASS)
		goto done;
	out->rec = rec;
	walk_record(st, rec, domain, depth, node, out);
done:
	if ((n = spf_node(st, node)) != NULL) {
		n->verdict = out->v;
		n->lookups = st->lookups;
		n->void_lookups = st->voids;
		n->subtree_lookups = st->lookups - before;
		if (n->note == NULL && (out->v == MT_SPF_PERMERROR ||
		    out->v == MT_SPF_TEMPERROR))
			n->note = st->err_reason;
		if (n->note == NULL && out->v == MT_SPF_NONE)
			n->note = "no SPF record";
	}
}

/* ---------------------------------------------------------------- entry */
static char *
strip_brackets(mt_arena *a, const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		return mt_arena_strndup(a, s + 1, n - 2);
	return mt_arena_strdup(a, s);
}

static char *
without_dot(mt_arena *a, const char *s)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '.')
		n--;
	return mt_arena_strndup(a, s, n);
}

/* local "@" domain, without stdio. */
static char *
join_at(mt_arena *a, const char *local, const char *dom)
{
	size_t l = strlen(local), d = strlen(dom);
	char *s;

	if ((s = mt_arena_alloc(a, l + d + 2)) == NULL)
		return NULL;
	memcpy(s, local, l);
	s[l] = '@';
	memcpy(s + l + 1, dom, d + 1);
	return s;
}

/* Decimal text of a non-negative number, without stdio. */
static void
utoa(unsigned long long v, char *buf, size_t len)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < sizeof(tmp));
	if (n >= len) {
		buf[0] = '\0';
		return;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

/* Fill the identities: sender, local-part, sender domain (RFC 7208 4.3,
 * 2.4: a null reverse-path checks postmaster@HELO). */
static mt_err
identities(spf_eval *st, const mt_spf_request *req, const char **domain)
{
	const char *mf, *at;
	char *helo;

	helo = req->helo ? without_dot(st->a, req->helo) : NULL;
	mf = req->mail_from ? strip_brackets(st->a, req->mail_from) : "";
	if (mf == NULL || (req->helo && helo == NULL))
		return MT_ENOMEM;
	st->helo = helo ? helo : "";
	if (*mf == '\0') {
		st->local = "postmaster";
		st->sender_dom = helo;
	} else if ((at = strrchr(mf, '@')) != NULL) {
		st->local = at == mf ? "postmaster" :
		    mt_arena_strndup(st->a, mf, (size_t)(at - mf));
		st->sender_dom = without_dot(st->a, at + 1);
	} else {
		st->local = "postmaster";
		st->sender_dom = without_dot(st->a, mf);
	}
	if (st->local == NULL || (st->sender_dom == NULL && *mf != '\0'))
		return MT_ENOMEM;
	*domain = req->domain ? without_dot(st->a, req->domain) : st->sender_dom;
	if (*domain == NULL)
		return MT_EINVAL;
	st->sender = join_at(st->a, st->local, st->sender_dom ?
	    st->sender_dom : *domain);
	return st->sender ? MT_OK : MT_ENOMEM;
}

static bool
too_long(const char *s)
{
	return s != NULL && strnlen(s, MT_SPF_MAX_IDENTITY + 1) >
	    MT_SPF_MAX_IDENTITY;
}

static void
free_owned(spf_eval *st)
{
	mt_spf_record *rec, *next;

	for (rec = st->owned; rec != NULL; rec = next) {
		next = rec->next;
		free(rec);
	}
	st->owned = NULL;
}

static void
finish(spf_eval *st, const spf_host *h)
{
	mt_spf_result *r = st->r;

	r->verdict = h->v;
	r->lookups = st->lookups;
	r->void_lookups = st->voids;
	if (st->fixed) {
		r->verdict = st->fixed_verdict;
		r->reason = st->fixed_reason;
		r->lookups = st->fixed_lookups;
		r->void_lookups = st->fixed_voids;
	} else if (h->v == MT_SPF_PERMERROR || h->v == MT_SPF_TEMPERROR) {
		r->reason = st->err_reason;
	}
	if (!st->fixed && h->term != NULL && h->rec != NULL) {
		r->matched = mt_arena_strndup(st->a, h->rec->text +
		    h->term->offset, h->term->length);
		r->matched_domain = h->domain;
	}
	if (r->verdict == MT_SPF_FAIL && !st->fixed)
		spf_explain(st, h);
	r->default_explanation = spf_default_explanation(st);
}

mt_err
mt_spf_eval(mt_spf_ctx *ctx, const mt_spf_request *req, mt_spf_result **out)
{
	spf_eval st;
	spf_host h;
	const char *domain = NULL;
	mt_err e;

	*out = NULL;
	if (ctx == NULL || req == NULL || req->ip == NULL)
		return MT_EINVAL;
	if (too_long(req->mail_from) || too_long(req->helo) ||
	    too_long(req->domain) || too_long(req->receiver))
		return MT_EINVAL;
	memset(&st, 0, sizeof(st));
	if (!spf_ip_parse(req->ip, &st.ip))
		return MT_EINVAL;
	st.have_ip = true;
	st.ctx = ctx;
	st.dns = ctx->dns;
	st.trace = (req->flags & MT_SPF_TRACE) != 0;
	st.use_cache = (req->flags & MT_SPF_NO_CACHE) == 0;
	if ((st.r = spf_result_new()) == NULL)
		return MT_ENOMEM;
	st.a = st.r->arena;
	if ((e = identities(&st, req, &domain)) != MT_OK)
		goto fail;
	st.receiver = req->receiver;
	spf_ip_text(&st.ip, st.ip_text, sizeof(st.ip_text));
	spf_ip_macro_i(&st.ip, st.ip_i, sizeof(st.ip_i));
	utoa((unsigned long long)time(NULL), st.now, sizeof(st.now));
	st.r->domain = domain;
	st.r->sender = st.sender;
	st.r->ip = mt_arena_strdup(st.a, st.ip_text);
	spf_ctx_begin(ctx);
	spf_check_host(&st, domain, 0, -1, &h);
	finish(&st, &h);
	if (req->flags & MT_SPF_LINT)
		spf_lint_into(ctx, domain, st.r);
	free_owned(&st);
	*out = st.r;
	return MT_OK;
fail:
	free_owned(&st);
	mt_spf_result_free(st.r);
	return e;
}

mt_err
mt_spf_check(mt_dns *dns, const mt_spf_request *req, mt_spf_result **out)
{
	mt_spf_ctx *ctx;
	mt_err e;

	*out = NULL;
	if ((ctx = mt_spf_ctx_new(dns)) == NULL)
		return MT_ENOMEM;
	e = mt_spf_eval(ctx, req, out);
	mt_spf_ctx_free(ctx);
	return e;
}
