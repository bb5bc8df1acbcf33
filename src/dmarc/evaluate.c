/*
 * evaluate.c -- the DMARC verdict for one message: discovery, identifier
 * alignment (strict: the same name; relaxed: the same Organizational
 * Domain), the policy that applies (p, sp or np) and the disposition after
 * t= (RFC 9989) or pct= (RFC 7489).  Both RFCs are evaluated; the caller
 * reports where they differ.  The policy record is a heap block freed
 * before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc_int.h"

static bool
is_pass(const char *result)
{
	return result != NULL && mt_strn_ieq(result, strlen(result), "pass");
}

/* 1 aligned, 0 not, -1 DNS failure. */
static int
aligned(mt_dmarc_ctx *ctx, char mode, const char *ident_raw,
    const char *author, const char *author_org)
{
	char ident[MT_DMARC_NAME_MAX], org[MT_DMARC_NAME_MAX];
	mt_err err;

	if (ident_raw == NULL || !mt_dmarc_norm_domain(ident_raw,
	    strlen(ident_raw), ident, sizeof(ident)))
		return 0;
	if (strcmp(ident, author) == 0)
		return 1;
	if (mode == 's')
		return 0;
	/* An Organizational Domain is its name or an ancestor, so relaxed
	 * alignment needs ident at or below the author's: skip the walk
	 * for names that cannot align. */
	if (!mt_domain_is_under(ident, author_org))
		return 0;
	err = mt_dmarc_org_of(ctx, ident, org, sizeof(org));
	if (err == MT_ETEMP)
		return -1;
	if (err != MT_OK)
		return 0;
	return strcmp(org, author_org) == 0;
}

int
mt_dmarc_aligned(mt_dns *dns, const mt_psl *psl, mt_dmarc_rfc rfc,
    char mode, const char *ident, const char *author_raw)
{
	mt_dmarc_ctx ctx = { dns, psl, NULL, rfc };
	char author[MT_DMARC_NAME_MAX], org[MT_DMARC_NAME_MAX];

	if (!mt_dmarc_norm_domain(author_raw, strlen(author_raw), author,
	    sizeof(author)))
		return 0;
	if (mt_dmarc_org_of(&ctx, author, org, sizeof(org)) != MT_OK)
		return -1;
	return aligned(&ctx, mode, ident, author, org);
}

static mt_dmarc_policy
one_step_down(mt_dmarc_policy p)
{
	if (p == MT_DMARC_P_REJECT)
		return MT_DMARC_P_QUARANTINE;
	return p == MT_DMARC_P_UNSET ? p : MT_DMARC_P_NONE;
}

/* RFC 9989 A.4 / 3.2.13: a name exists unless the answer is NXDOMAIN. */
static int
author_exists(mt_dmarc_ctx *ctx, const char *author)
{
	const mt_dns_answer *ans = NULL;
	mt_dmarc_query *q;
	int exists;

	if (mt_dns_query(ctx->dns, author, MT_DNS_A, &ans) != MT_OK)
		return -1;
	exists = ans->status == MT_DNS_NXDOMAIN ? 0 :
	    ans->status == MT_DNS_TEMPFAIL ? -1 : 1;
	if (ctx->ev != NULL && ctx->ev->ntrace < MT_DMARC_MAX_TRACE) {
		q = &ctx->ev->trace[ctx->ev->ntrace++];
		snprintf(q->name, sizeof(q->name), "%s", author);
		q->type = MT_DNS_A;
		q->status = ans->status;
		q->ndmarc = 0;
		q->rfc = ctx->rfc;
	}
	mt_dns_answer_release(ans);
	return exists;
}

/* p, sp or np for this author (RFC 9989 4.10.1 and 4.7 np; RFC 7489 6.3
 * sp).  Returns false on a DNS failure of the existence check. */
static bool
choose_policy(mt_dmarc_ctx *ctx, const char *author,
    const mt_dmarc_policy_rec *pr, const mt_dmarc_effective *e,
    mt_dmarc_verdict *v)
{
	int exists;

	v->author_exists = true;
	if (strcmp(author, pr->domain) == 0) {
		v->policy = e->p;
		v->policy_tag = "p";
		return true;
	}
	if (e->np != MT_DMARC_P_UNSET) {
		if ((exists = author_exists(ctx, author)) < 0)
			return false;
		if (!exists) {
			v->author_exists = false;
			v->policy = e->np;
			v->policy_tag = "np";
			return true;
		}
	}
	v->policy = e->sp != MT_DMARC_P_UNSET ? e->sp : e->p;
	v->policy_tag = e->sp != MT_DMARC_P_UNSET ? "sp" : "p";
	return true;
}

static void
set_disposition(mt_dmarc_ctx *ctx, const mt_dmarc_record *r,
    mt_dmarc_verdict *v)
{
	v->pct = -1;
	if (ctx->rfc == MT_DMARC_RFC9989) {
		v->testing = r->t == 'y';
	} else {
		v->pct = r->pct;
		v->testing = r->pct == 0;
	}
	if (v->result != MT_DMARC_FAIL) {
		v->disposition = MT_DMARC_P_NONE;
		return;
	}
	v->disposition = v->testing ? one_step_down(v->policy) : v->policy;
}

static void
check_alignment(mt_dmarc_ctx *ctx, const mt_dmarc_input *in,
    const char *author, const mt_dmarc_record *r, mt_dmarc_verdict *v,
    bool *temp)
{
	int a;
	size_t i;

	v->spf_aligned = 0;
	v->dkim_aligned = 0;
	if (in->spf.domain != NULL && is_pass(in->spf.result)) {
		a = aligned(ctx, r->aspf, in->spf.domain, author,
		    v->org_domain);
		*temp |= a < 0;
		v->spf_aligned = a > 0;
	}
	for (i = 0; i < in->ndkim && in->dkim != NULL; i++) {
		if (!is_pass(in->dkim[i].result))
			continue;
		a = aligned(ctx, r->adkim, in->dkim[i].domain, author,
		    v->org_domain);
		*temp |= a < 0;
		if (a > 0 && !v->dkim_aligned) {
			v->dkim_aligned = 1;
			snprintf(v->aligned_dkim, sizeof(v->aligned_dkim), "%s",
			    in->dkim[i].domain);
		}
	}
}

static void
explain(const mt_dmarc_policy_rec *pr, const mt_dmarc_effective *e,
    mt_dmarc_rfc rfc, mt_dmarc_verdict *v)
{
	const char *how = v->result == MT_DMARC_PASS ? "passes" : "fails";
	const char *what = v->spf_aligned && v->dkim_aligned ?
	    "SPF and DKIM align" : v->spf_aligned ? "SPF aligns" :
	    v->dkim_aligned ? "DKIM aligns" :
	    "neither an SPF nor a DKIM pass aligns with the From domain";

	if (v->result == MT_DMARC_TEMPERROR) {
		snprintf(v->why, sizeof(v->why), "%.300s", pr->why[0] ? pr->why :
		    "a DNS lookup failed");
		return;
	}
	snprintf(v->why, sizeof(v->why), "%s: %s; policy %s=%s from "
	    "_dmarc.%.200s%s%s%s", how, what, v->policy_tag,
	    mt_dmarc_policy_name(v->policy), pr->domain,
	    e->from_rua ? " (no valid p=, treated as p=none because of rua)" :
	    "", v->testing && rfc == MT_DMARC_RFC9989 ? "; t=y: testing" : "",
	    v->testing && rfc == MT_DMARC_RFC7489 ? "; pct=0" : "");
}

static void
no_policy(mt_dmarc_verdict *v, mt_dmarc_result result, const char *why)
{
	v->result = result;
	v->domain[0] = '\0';
	v->policy = MT_DMARC_P_UNSET;
	v->policy_tag = NULL;
	v->disposition = MT_DMARC_P_NONE;
	v->spf_aligned = -1;
	v->dkim_aligned = -1;
	v->pct = -1;
	snprintf(v->why, sizeof(v->why), "%.399s", why);
}

static mt_err
evaluate_one(mt_dmarc_ctx *ctx, const mt_dmarc_input *in, const char *author,
    mt_dmarc_policy_rec *pr, mt_dmarc_verdict *v)
{
	mt_dmarc_effective e;
	bool temp = false;
	mt_err err;

	memset(v, 0, sizeof(*v));
	if ((err = mt_dmarc_discover(ctx, author, pr)) != MT_OK)
		return err;
	snprintf(v->org_domain, sizeof(v->org_domain), "%s", pr->org_domain);
	if (pr->found == MT_DMARC_FOUND_TEMP) {
		no_policy(v, MT_DMARC_TEMPERROR, pr->why);
		return MT_OK;
	}
	if (pr->found != MT_DMARC_FOUND_RECORD) {
		no_policy(v, ctx->psl == NULL && ctx->rfc == MT_DMARC_RFC7489 ?
		    MT_DMARC_PERMERROR : MT_DMARC_NONE, pr->why);
		return MT_OK;
	}
	snprintf(v->record, sizeof(v->record), "%s", pr->text);
	mt_dmarc_effective_policy(&pr->rec, ctx->rfc, &e);
	if (!e.applies) {
		char why[400];

		snprintf(why, sizeof(why), "the record at _dmarc.%s has no "
		    "valid policy and no valid rua, so no DMARC applies "
		    "(RFC %s)", pr->domain, ctx->rfc == MT_DMARC_RFC9989 ?
		    "9989 4.10.1" : "7489 6.6.3");
		no_policy(v, MT_DMARC_NONE, why);
		return MT_OK;
	}
	snprintf(v->domain, sizeof(v->domain), "%s", pr->domain);
	if (!choose_policy(ctx, author, pr, &e, v)) {
		no_policy(v, MT_DMARC_TEMPERROR, "the existence check of the "
		    "From domain failed");
		return MT_OK;
	}
	check_alignment(ctx, in, author, &pr->rec, v, &temp);
	v->result = v->spf_aligned || v->dkim_aligned ? MT_DMARC_PASS :
	    temp ? MT_DMARC_TEMPERROR : MT_DMARC_FAIL;
	set_disposition(ctx, &pr->rec, v);
	explain(pr, &e, ctx->rfc, v);
	return MT_OK;
}

static bool
verdicts_differ(const mt_dmarc_verdict *a, const mt_dmarc_verdict *b)
{
	return a->result != b->result || strcmp(a->domain, b->domain) != 0 ||
	    a->policy != b->policy || a->disposition != b->disposition;
}

mt_err
mt_dmarc_evaluate(mt_dns *dns, const mt_psl *psl, const mt_dmarc_input *in,
    mt_dmarc_eval *out)
{
	char author[MT_DMARC_NAME_MAX];
	mt_dmarc_policy_rec *pr;
	mt_dmarc_ctx ctx;
	mt_err err = MT_OK;
	int rfc;

	memset(out, 0, sizeof(*out));
	if (in == NULL || in->from_domain == NULL)
		return MT_EINVAL;
	if (!mt_dmarc_norm_domain(in->from_domain, strlen(in->from_domain),
	    author, sizeof(author)) || strchr(author, '.') == NULL) {
		for (rfc = 0; rfc < 2; rfc++)
			no_policy(&out->v[rfc], MT_DMARC_PERMERROR, "the From "
			    "domain is not a usable domain name");
		return MT_OK;
	}
	if ((pr = malloc(sizeof(*pr))) == NULL)
		return MT_ENOMEM;
	for (rfc = 0; rfc < 2 && err == MT_OK; rfc++) {
		ctx.dns = dns;
		ctx.psl = psl;
		ctx.ev = out;
		ctx.rfc = (mt_dmarc_rfc)rfc;
		err = evaluate_one(&ctx, in, author, pr, &out->v[rfc]);
	}
	free(pr);
	out->differs = verdicts_differ(&out->v[0], &out->v[1]);
	return err;
}
