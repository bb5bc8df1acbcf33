/*
 * audit.c -- walking a domain's whole SPF tree without a connecting IP:
 * the base of mt_spf_lint() and mt_spf_flatten(), and of the findings a
 * traced evaluation asks for (MT_SPF_LINT).
 *
 * The walk is check_host() in audit mode: every term of every record is
 * visited, every include and redirect followed, DNS asked and the answers
 * noted, the lookup counters kept running past the limits (up to
 * SPF_AUDIT_MAX_LOOKUPS) so the report shows where the limit is crossed.
 * Everything lands in the result's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "spf/eval_int.h"

static void
free_owned(mt_spf_record *rec)
{
	mt_spf_record *next;

	for (; rec != NULL; rec = next) {
		next = rec->next;
		free(rec);
	}
}

mt_err
spf_audit(mt_spf_ctx *ctx, const char *domain, mt_spf_result *r,
    const spf_collect *col)
{
	spf_eval st;
	spf_host h;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.dns = ctx->dns;
	st.r = r;
	st.a = r->arena;
	st.trace = true;
	st.use_cache = true;
	st.audit = true;
	st.col = col;
	st.helo = "";
	st.local = "postmaster";
	st.sender_dom = domain;
	st.sender = mt_arena_printf(st.a, "postmaster@%s", domain);
	if (st.sender == NULL)
		return MT_ENOMEM;
	spf_ctx_begin(ctx);
	spf_check_host(&st, domain, 0, -1, &h);
	free_owned(st.owned);
	r->lookups = st.lookups;
	r->void_lookups = st.voids;
	if (st.walk_cut)
		r->walk_cut = true;
	return MT_OK;
}

/* The verdict of an audit: none, permerror (broken for every client, or
 * for every client the first terms do not match) or neutral. */
static void
audit_verdict(mt_spf_result *r)
{
	const mt_spf_trace_node *top = mt_spf_result_trace(r, 0);

	r->verdict = MT_SPF_NEUTRAL;
	if (top == NULL)
		return;
	if (top->verdict == MT_SPF_NONE || top->verdict == MT_SPF_TEMPERROR ||
	    top->verdict == MT_SPF_PERMERROR) {
		r->verdict = top->verdict;
		r->reason = top->note;
	} else if (r->lookups > MT_SPF_MAX_LOOKUPS) {
		r->verdict = MT_SPF_PERMERROR;
		r->reason = mt_arena_printf(r->arena, "the tree needs %u%s "
		    "DNS-querying terms; from the %dth on, every client not "
		    "matched yet gets permerror", r->lookups,
		    r->walk_cut ? " or more" : "", MT_SPF_MAX_LOOKUPS + 1);
	} else if (r->void_lookups > MT_SPF_MAX_VOID) {
		r->verdict = MT_SPF_PERMERROR;
		r->reason = mt_arena_printf(r->arena, "%u void lookups (more "
		    "than %d is a permerror)", r->void_lookups, MT_SPF_MAX_VOID);
	}
}

mt_err
mt_spf_lint(mt_spf_ctx *ctx, const char *domain, mt_spf_result **out)
{
	mt_spf_result *r;
	size_t n;
	mt_err e;

	*out = NULL;
	if (ctx == NULL || domain == NULL ||
	    (n = strnlen(domain, MT_SPF_MAX_IDENTITY + 1)) > MT_SPF_MAX_IDENTITY ||
	    !spf_domain_ok(domain, n) || strpbrk(domain, " \t\r\n") != NULL)
		return MT_EINVAL;
	if ((r = spf_result_new()) == NULL)
		return MT_ENOMEM;
	r->lint_only = true;
	if (n > 1 && domain[n - 1] == '.')
		n--;
	if ((r->domain = mt_arena_strndup(r->arena, domain, n)) == NULL) {
		e = MT_ENOMEM;
		goto fail;
	}
	r->sender = mt_arena_printf(r->arena, "postmaster@%s", r->domain);
	if ((e = spf_audit(ctx, r->domain, r, NULL)) != MT_OK)
		goto fail;
	audit_verdict(r);
	spf_lint_rules(ctx, r);
	r->default_explanation = r->verdict == MT_SPF_NEUTRAL ?
	    mt_arena_printf(r->arena, "the record of %s evaluates without "
	    "errors for a client that reaches its end", r->domain) :
	    r->verdict == MT_SPF_NONE ?
	    mt_arena_printf(r->arena, "%s publishes no SPF record", r->domain) :
	    mt_arena_printf(r->arena, "the SPF record of %s is broken: %s",
	    r->domain, r->reason ? r->reason : "see the findings");
	*out = r;
	return MT_OK;
fail:
	mt_spf_result_free(r);
	return e;
}

/* Findings for an evaluation that asked MT_SPF_LINT: an audit into a
 * scratch result (its trace would mix with the evaluation's), the lint
 * rules, and the findings copied over. */
void
spf_lint_into(mt_spf_ctx *ctx, const char *domain, mt_spf_result *r)
{
	mt_spf_result *tmp;
	const mt_spf_finding *f;
	size_t i;

	if ((tmp = spf_result_new()) == NULL)
		return;
	tmp->lint_only = true;
	tmp->domain = domain;
	if (spf_audit(ctx, domain, tmp, NULL) == MT_OK) {
		audit_verdict(tmp);
		spf_lint_rules(ctx, tmp);
		for (i = 0; (f = mt_spf_result_finding(tmp, i)) != NULL; i++)
			spf_finding_add(r, f->code, f->severity, f->domain,
			    f->offset, f->length, f->fix, "%s", f->message);
	}
	mt_spf_result_free(tmp);
}
