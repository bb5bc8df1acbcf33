/*
 * summary.c -- the verdict sentence that comes first in every report:
 * what DMARC concluded, why, and what a receiver does about it.
 */
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"

const char *
mt_auth_dmarc_result(const mt_auth_result *r)
{
	if (r->dmarc == NULL)
		return "permerror";
	return mt_dmarc_result_name(r->dmarc->v[MT_DMARC_RFC9989].result);
}

/* "SPF pass for a.example, DKIM pass for b.example": what authenticated
 * without aligning, so the reader sees which domain to fix. */
static void
passing_ids(const mt_auth_result *r, mt_buf *b)
{
	size_t i, n = mt_dkim_report_count(r->dkim), k = 0;
	const mt_dkim_sig_result *s;

	if (r->spf != NULL && mt_spf_result_verdict(r->spf) == MT_SPF_PASS) {
		mt_buf_printf(b, " (SPF passed for %s", mt_spf_result_domain(r->spf));
		k++;
	}
	for (i = 0; i < n; i++) {
		s = mt_dkim_report_at(r->dkim, i);
		if (s->result != MT_DKIM_PASS)
			continue;
		mt_buf_printf(b, "%sDKIM passed for %s", k ? ", " : " (",
		    s->domain);
		k++;
	}
	if (k > 0)
		mt_buf_puts(b, ", not aligned)");
}

static void
consequence(const mt_dmarc_verdict *v, mt_buf *b)
{
	const char *p = mt_dmarc_policy_name(v->policy);

	if (p == NULL)
		return;
	switch (v->disposition) {
	case MT_DMARC_P_REJECT:
		mt_buf_printf(b, " \xe2\x86\x92 receivers applying p=%s reject "
		    "this", p);
		break;
	case MT_DMARC_P_QUARANTINE:
		mt_buf_printf(b, " \xe2\x86\x92 receivers applying p=%s%s treat "
		    "this as spam (quarantine)", p, v->testing ? " with t=y" :
		    "");
		break;
	default:
		if (v->policy == MT_DMARC_P_NONE)
			mt_buf_puts(b, " \xe2\x86\x92 p=none: receivers still "
			    "deliver it, and report the failure");
		else
			mt_buf_printf(b, " \xe2\x86\x92 p=%s is in test mode: "
			    "receivers deliver it for now", p);
		break;
	}
}

static const char *
aligned_by(const mt_auth_result *r, const mt_dmarc_verdict *v, char *buf,
    size_t len)
{
	if (v->spf_aligned == 1 && v->dkim_aligned == 1)
		snprintf(buf, len, "SPF (%s) and DKIM (%s)",
		    mt_spf_result_domain(r->spf), v->aligned_dkim);
	else if (v->dkim_aligned == 1)
		snprintf(buf, len, "DKIM (%s)", v->aligned_dkim[0] ?
		    v->aligned_dkim : "signature");
	else
		snprintf(buf, len, "SPF (%s)", r->spf ?
		    mt_spf_result_domain(r->spf) : "?");
	return buf;
}

/* What receivers still on RFC 7489 conclude, when it is not the same. */
static void
rfc7489_difference(const mt_auth_result *r, mt_buf *b)
{
	const mt_dmarc_verdict *n = &r->dmarc->v[MT_DMARC_RFC9989];
	const mt_dmarc_verdict *o = &r->dmarc->v[MT_DMARC_RFC7489];
	const char *od = mt_dmarc_policy_name(o->disposition);

	if (o->result != n->result)
		mt_buf_printf(b, "; receivers still on RFC 7489 conclude %s",
		    mt_dmarc_result_name(o->result));
	else if (o->disposition != n->disposition)
		mt_buf_printf(b, "; receivers still on RFC 7489%s apply %s",
		    o->pct >= 0 && o->pct < 100 ? " (pct sampling)" : "",
		    od ? od : "no policy");
	else
		mt_buf_printf(b, "; receivers still on RFC 7489 take the policy "
		    "from %s", o->domain[0] ? o->domain : "no record");
}

mt_err
mt_auth_build_summary(mt_auth_result *r)
{
	const mt_dmarc_verdict *v;
	char who[600];
	mt_buf b;

	mt_buf_init(&b);
	if (r->dmarc == NULL) {
		mt_buf_printf(&b, "DMARC permerror: %s", r->dmarc_note ?
		    r->dmarc_note : "not evaluated");
		goto out;
	}
	v = &r->dmarc->v[MT_DMARC_RFC9989];
	switch (v->result) {
	case MT_DMARC_PASS:
		mt_buf_printf(&b, "DMARC pass: %s aligned with %s",
		    aligned_by(r, v, who, sizeof(who)), r->from_domain);
		if (mt_dmarc_policy_name(v->policy))
			mt_buf_printf(&b, " (policy p=%s)",
			    mt_dmarc_policy_name(v->policy));
		break;
	case MT_DMARC_FAIL:
		mt_buf_printf(&b, "DMARC fail: neither SPF nor DKIM aligned "
		    "with %s", r->from_domain);
		passing_ids(r, &b);
		consequence(v, &b);
		break;
	case MT_DMARC_NONE:
		mt_buf_printf(&b, "DMARC none: %s publishes no DMARC policy, so "
		    "receivers judge SPF (%s) and DKIM (%s) on their own",
		    r->from_domain, r->spf ? mt_spf_result_name(r->spf) :
		    "not checked", mt_dkim_result_name(
		    mt_dkim_report_verdict(r->dkim)));
		break;
	case MT_DMARC_TEMPERROR:
		mt_buf_printf(&b, "DMARC temperror: the policy of %s could not "
		    "be read (DNS failure): receivers defer the message; try "
		    "again", r->from_domain);
		break;
	default:
		mt_buf_printf(&b, "DMARC %s: %s", mt_dmarc_result_name(v->result),
		    v->why[0] ? v->why : "the policy could not be applied");
		break;
	}
	if (v->result == MT_DMARC_FAIL && r->arc.cv == MT_ARC_PASS)
		mt_buf_printf(&b, "; the ARC chain (sealed by %s) is intact, so a "
		    "receiver that trusts that forwarder may still accept it",
		    r->arc.sealer);
	if (r->dmarc->differs)
		rfc7489_difference(r, &b);
out:
	if (b.failed) {
		mt_buf_free(&b);
		return MT_ENOMEM;
	}
	r->summary = mt_arena_strdup(r->arena, b.p);
	mt_buf_free(&b);
	return r->summary ? MT_OK : MT_ENOMEM;
}

bool
mt_auth_problem(const mt_auth_result *r)
{
	bool spf_ok, dkim_ok;

	if (r->dmarc != NULL) {
		switch (r->dmarc->v[MT_DMARC_RFC9989].result) {
		case MT_DMARC_PASS:
			return false;
		case MT_DMARC_NONE:
			break;
		default:
			return true;
		}
	}
	spf_ok = r->spf != NULL && mt_spf_result_verdict(r->spf) ==
	    MT_SPF_PASS;
	dkim_ok = mt_dkim_report_verdict(r->dkim) == MT_DKIM_PASS;
	return r->dmarc == NULL || !(spf_ok || dkim_ok);
}
