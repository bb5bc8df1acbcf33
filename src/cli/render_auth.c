/*
 * render_auth.c -- `mailtriage auth` output.  Human: the verdict first,
 * then SPF, DKIM and DMARC each with its evidence and the fix, then the
 * Authentication-Results field we would add.  JSON: mt_auth_result_json.
 * Exit code: 0 nothing to fix, 1 a problem, 75 a DNS failure stands in
 * the way of a verdict.
 */
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/render_auth.h"

static const char *
yes_no(int v)
{
	return v < 0 ? "n/a" : v ? "yes" : "no";
}

static void
spf_fix(FILE *out, const mt_spf_result *s, const char *ip)
{
	const char *d = mt_spf_result_domain(s);

	switch (mt_spf_result_verdict(s)) {
	case MT_SPF_PASS:
		return;
	case MT_SPF_NONE:
		fprintf(out, "  fix: publish an SPF record for %s listing the "
		    "servers that send its mail, e.g. \"v=spf1 ip4:%s -all\"\n",
		    d, ip);
		return;
	case MT_SPF_FAIL:
	case MT_SPF_SOFTFAIL:
	case MT_SPF_NEUTRAL:
		fprintf(out, "  fix: %s is not authorized by %s: add it "
		    "(%s:%s) or your provider's include: to %s's SPF record, "
		    "or send through a server it already lists\n", ip, d,
		    strchr(ip, ':') ? "ip6" : "ip4", ip, d);
		return;
	case MT_SPF_TEMPERROR:
		fprintf(out, "  fix: a DNS lookup failed; check again later "
		    "(`mailtriage spf %s` shows which)\n", d);
		return;
	case MT_SPF_PERMERROR:
		fprintf(out, "  fix: the SPF record of %s is broken for every "
		    "receiver; `mailtriage spf %s` shows where\n", d, d);
		return;
	}
}

static void
render_spf(FILE *out, const mt_auth_result *r)
{
	const mt_spf_result *s = mt_auth_spf(r);
	const char *v;

	if (s == NULL) {
		fprintf(out, "SPF: not checked\n  %s\n", mt_auth_spf_note(r));
		return;
	}
	fprintf(out, "SPF: %s for %s (%s %s, client %s)\n",
	    mt_spf_result_name(s), mt_spf_result_domain(s),
	    strcmp(mt_auth_spf_identity(r), "helo") == 0 ?
	    "null reverse-path, so the HELO name" : "MAIL FROM",
	    strcmp(mt_auth_spf_identity(r), "helo") == 0 ? mt_auth_helo(r) :
	    mt_auth_mail_from(r), mt_auth_ip(r));
	if ((v = mt_spf_result_default_explanation(s)) != NULL)
		fprintf(out, "  evidence: %s\n", v);
	if ((v = mt_spf_result_matched(s)) != NULL)
		fprintf(out, "  decided by \"%s\" in the record of %s\n", v,
		    mt_spf_result_matched_domain(s) ?
		    mt_spf_result_matched_domain(s) : mt_spf_result_domain(s));
	if ((v = mt_spf_result_reason(s)) != NULL)
		fprintf(out, "  reason: %s\n", v);
	if ((v = mt_spf_result_explanation(s)) != NULL)
		fprintf(out, "  the domain's explanation: %s\n", v);
	spf_fix(out, s, mt_auth_ip(r));
}

static void
render_dkim(FILE *out, const mt_auth_result *r)
{
	const mt_dkim_report *d = mt_auth_dkim(r);
	const mt_dkim_sig_result *s;
	size_t i, n = mt_dkim_report_count(d);

	if (n == 0) {
		fprintf(out, "DKIM: none (the message is not signed)\n");
		fprintf(out, "  fix: sign outgoing mail with d=%s (`mailtriage "
		    "dkim keygen` writes a key and the DNS record to publish)\n",
		    mt_auth_from_domain(r) ? mt_auth_from_domain(r) :
		    "your From domain");
		return;
	}
	fprintf(out, "DKIM: %s (%zu signature%s)\n", mt_dkim_result_name(
	    mt_dkim_report_verdict(d)), n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		s = mt_dkim_report_at(d, i);
		fprintf(out, "  [%zu] %s  d=%s s=%s a=%s%s\n", i + 1,
		    mt_dkim_result_name(s->result), s->domain, s->selector,
		    s->algorithm, s->testing ? " (key in test mode, t=y)" : "");
		if (s->reason && *s->reason)
			fprintf(out, "      %s\n", s->reason);
		if (s->fix && *s->fix)
			fprintf(out, "      fix: %s\n", s->fix);
	}
	if (mt_dkim_report_headers_only(d))
		fprintf(out, "  (headers only: the body is missing, which is "
		    "not a DKIM failure)\n");
}

static void
dmarc_fix(FILE *out, const mt_auth_result *r, const mt_dmarc_verdict *v)
{
	const char *from = mt_auth_from_domain(r);

	switch (v->result) {
	case MT_DMARC_FAIL:
		fprintf(out, "  fix: make one identifier align with %s: have "
		    "the sending service sign with d=%s (its \"custom DKIM "
		    "domain\" setting), or use a MAIL FROM (bounce domain) "
		    "under %s.  DKIM is the one that survives forwarding.\n",
		    from, v->org_domain[0] ? v->org_domain : from, from);
		break;
	case MT_DMARC_NONE:
		fprintf(out, "  fix: publish a policy at _dmarc.%s, e.g. "
		    "\"v=DMARC1; p=none; rua=mailto:dmarc@%s\", read the "
		    "reports, then move to p=quarantine and p=reject\n", from,
		    from);
		break;
	case MT_DMARC_TEMPERROR:
		fprintf(out, "  fix: a DNS lookup failed; check again later\n");
		break;
	case MT_DMARC_PERMERROR:
		fprintf(out, "  fix: `mailtriage dmarc %s` audits the record\n",
		    from);
		break;
	default:
		break;
	}
}

static void
verdict_lines(FILE *out, const char *label, const mt_dmarc_verdict *v)
{
	fprintf(out, "%s%s", label, mt_dmarc_result_name(v->result));
	if (v->domain[0])
		fprintf(out, ", policy domain %s", v->domain);
	if (mt_dmarc_policy_name(v->policy))
		fprintf(out, ", %s=%s", v->policy_tag ? v->policy_tag : "p",
		    mt_dmarc_policy_name(v->policy));
	if (mt_dmarc_policy_name(v->disposition))
		fprintf(out, ", disposition %s",
		    mt_dmarc_policy_name(v->disposition));
	if (v->testing)
		fprintf(out, " (test mode)");
	fputc('\n', out);
}

static void
render_dmarc(FILE *out, const mt_auth_result *r)
{
	const mt_dmarc_eval *e = mt_auth_dmarc(r);
	const mt_dmarc_verdict *v;

	if (e == NULL) {
		fprintf(out, "DMARC: %s\n  %s\n", mt_auth_dmarc_result(r),
		    "DMARC could not be evaluated: the message needs exactly "
		    "one From address with a domain");
		return;
	}
	v = &e->v[MT_DMARC_RFC9989];
	fprintf(out, "DMARC for %s: ", mt_auth_from_domain(r));
	verdict_lines(out, "", v);
	fprintf(out, "  SPF aligned: %s   DKIM aligned: %s%s%s%s\n",
	    yes_no(v->spf_aligned), yes_no(v->dkim_aligned),
	    v->aligned_dkim[0] ? " (d=" : "", v->aligned_dkim,
	    v->aligned_dkim[0] ? ")" : "");
	if (v->record[0])
		fprintf(out, "  record: %s\n", v->record);
	if (v->why[0])
		fprintf(out, "  why: %s\n", v->why);
	if (e->differs) {
		fprintf(out, "  ");
		verdict_lines(out, "RFC 7489 (receivers not yet on RFC 9989): ",
		    &e->v[MT_DMARC_RFC7489]);
	}
	dmarc_fix(out, r, v);
}

static void
render_arc(FILE *out, const mt_auth_result *r)
{
	const mt_arc_verdict *a = mt_auth_arc(r);

	if (a->instances == 0 && a->cv == MT_ARC_NONE)
		return;
	fprintf(out, "\nARC: %s (%d set%s)\n  %s\n", mt_arc_result_name(a->cv),
	    a->instances, a->instances == 1 ? "" : "s", a->why);
	if (a->cv == MT_ARC_FAIL)
		fprintf(out, "  fix: the hop that added ARC set %d (or a later "
		    "one) broke the chain; receivers ignore every ARC set\n",
		    a->failed_instance ? a->failed_instance : a->instances);
}

/* 75 when a DNS failure stands between the message and a verdict: DMARC
 * itself, or SPF / a signature / the ARC chain when DMARC did not pass. */
static int
exit_code(const mt_auth_result *r)
{
	const mt_dmarc_eval *e = mt_auth_dmarc(r);
	const mt_dkim_report *d = mt_auth_dkim(r);
	bool temp = false;
	size_t i;

	if (e != NULL && e->v[MT_DMARC_RFC9989].result == MT_DMARC_TEMPERROR)
		return MT_EXIT_TEMPFAIL;
	if (!mt_auth_problem(r))
		return MT_EXIT_OK;
	if (mt_auth_spf(r) != NULL &&
	    mt_spf_result_verdict(mt_auth_spf(r)) == MT_SPF_TEMPERROR)
		temp = true;
	for (i = 0; i < mt_dkim_report_count(d); i++) {
		if (mt_dkim_report_at(d, i)->result == MT_DKIM_TEMPERROR)
			temp = true;
	}
	return temp ? MT_EXIT_TEMPFAIL : MT_EXIT_PROBLEM;
}

int
mt_render_auth(FILE *out, const mt_auth_result *r, bool json)
{
	json_t *j;
	size_t i;

	if (json) {
		if ((j = mt_auth_result_json(r)) == NULL)
			return mt_cli_error(MT_EXIT_SOFTWARE, "auth",
			    "out of memory");
		json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(j);
		return exit_code(r);
	}
	fprintf(out, "%s\n\n", mt_auth_summary(r));
	render_spf(out, r);
	fputc('\n', out);
	render_dkim(out, r);
	fputc('\n', out);
	render_dmarc(out, r);
	render_arc(out, r);
	for (i = 0; i < mt_auth_note_count(r); i++)
		fprintf(out, "\nnote: %s\n", mt_auth_note(r, i));
	fprintf(out, "\nAuthentication-Results we would add:\n%s\n",
	    mt_auth_field_folded(r));
	return exit_code(r);
}
