/*
 * render_dmarc.c -- the output of `mailtriage dmarc`: the verdict first,
 * then the record, the discovery trace and the findings with their fixes;
 * or one JSON object.  Reads the library's result structs only; JSON
 * objects built here are freed here.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/render_dmarc.h"

static const char *
rfc_name(mt_dmarc_rfc r)
{
	return r == MT_DMARC_RFC9989 ? "9989" : "7489";
}

static const char *
or_dash(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

/* ---- pieces shared by both forms ---- */

static json_t *
trace_json(const mt_dmarc_eval *ev)
{
	json_t *arr = json_array();
	char tb[16];
	size_t i;

	for (i = 0; arr != NULL && i < ev->ntrace; i++) {
		const mt_dmarc_query *q = &ev->trace[i];

		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:i}",
		    "rfc", rfc_name(q->rfc), "name", q->name, "type",
		    mt_dns_type_name(q->type, tb), "status",
		    mt_dns_status_name(q->status), "dmarc_records",
		    (int)q->ndmarc));
	}
	return arr;
}

static void
print_trace(FILE *out, const mt_dmarc_eval *ev)
{
	char tb[16];
	size_t i;

	if (ev->ntrace == 0)
		return;
	fprintf(out, "\nDiscovery (the DNS questions a receiver asks)\n");
	for (i = 0; i < ev->ntrace; i++) {
		const mt_dmarc_query *q = &ev->trace[i];

		fprintf(out, "  RFC %s  %-40s %-4s %s", rfc_name(q->rfc),
		    q->name, mt_dns_type_name(q->type, tb),
		    mt_dns_status_name(q->status));
		if (q->type == MT_DNS_TXT && q->status == MT_DNS_OK)
			fprintf(out, ", %u DMARC record%s", q->ndmarc,
			    q->ndmarc == 1 ? "" : "s");
		fputc('\n', out);
	}
}

/* "fail -> reject (p from _dmarc.example.com)" */
static void
print_outcome(FILE *out, const mt_dmarc_verdict *v)
{
	fprintf(out, "%s", mt_dmarc_result_name(v->result));
	if (v->domain[0] == '\0') {
		fprintf(out, " (no policy applies)");
		return;
	}
	if (v->result == MT_DMARC_PASS)
		fprintf(out, ", delivered (%s=%s from _dmarc.%s is not applied "
		    "to passing mail)", v->policy_tag ? v->policy_tag : "p",
		    or_dash(mt_dmarc_policy_name(v->policy)), v->domain);
	if (v->result == MT_DMARC_PASS)
		return;
	fprintf(out, " -> %s (%s=%s from _dmarc.%s", or_dash(
	    mt_dmarc_policy_name(v->disposition)), v->policy_tag ?
	    v->policy_tag : "p", or_dash(mt_dmarc_policy_name(v->policy)),
	    v->domain);
	if (v->testing)
		fprintf(out, ", %s", v->pct == 0 ? "pct=0" : "t=y: testing");
	fputc(')', out);
}

static int
eval_exit(const mt_dmarc_verdict *v)
{
	if (v->result == MT_DMARC_PASS)
		return MT_EXIT_OK;
	return v->result == MT_DMARC_TEMPERROR ? MT_EXIT_TEMPFAIL :
	    MT_EXIT_PROBLEM;
}

static int
emit_json(FILE *out, json_t *o)
{
	if (o == NULL)
		return mt_cli_error(MT_EXIT_SOFTWARE, "dmarc", "out of memory");
	json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
	return 0;
}

/* ---- the audit ---- */

static void
print_record(FILE *out, const char *where, const mt_dmarc_record *r,
    const char *text)
{
	size_t i;

	fprintf(out, "\nRecord at _dmarc.%s\n  \"%s\"\n", where, text);
	if (!r->is_dmarc) {
		fprintf(out, "  (not a DMARC record: receivers ignore it)\n");
		return;
	}
	fprintf(out, "  p=%s sp=%s np=%s adkim=%c aspf=%c t=%c psd=%c",
	    or_dash(mt_dmarc_policy_name(r->p)),
	    or_dash(mt_dmarc_policy_name(r->sp)),
	    or_dash(mt_dmarc_policy_name(r->np)), r->adkim, r->aspf, r->t,
	    r->psd);
	if (r->pct >= 0)
		fprintf(out, " pct=%d", r->pct);
	fputc('\n', out);
	for (i = 0; i < r->nrua; i++)
		fprintf(out, "  rua %s%s\n", r->rua[i].uri, r->rua[i].valid ?
		    "" : "  (not usable)");
	for (i = 0; i < r->nruf; i++)
		fprintf(out, "  ruf %s%s\n", r->ruf[i].uri, r->ruf[i].valid ?
		    "" : "  (not usable)");
}

static void
print_findings(FILE *out, const mt_dmarc_audit *a)
{
	static const mt_dmarc_severity order[] = { MT_DMARC_ERROR,
	    MT_DMARC_WARNING, MT_DMARC_INFO };
	size_t i, k;

	if (a->nfindings == 0) {
		fprintf(out, "\nFindings\n  none\n");
		return;
	}
	fprintf(out, "\nFindings\n");
	for (k = 0; k < 3; k++) {
		for (i = 0; i < a->nfindings; i++) {
			const mt_dmarc_finding *f = &a->findings[i];

			if (mt_dmarc_code_severity(f->code) != order[k])
				continue;
			fprintf(out, "  %-7s %s: %s\n", mt_dmarc_severity_name(
			    order[k]), mt_dmarc_code_name(f->code), f->detail);
			if (f->fix[0] != '\0' && order[k] != MT_DMARC_INFO)
				fprintf(out, "          fix: %s\n", f->fix);
		}
	}
}

static int
audit_exit(const mt_dmarc_audit *a)
{
	size_t i;

	for (i = 0; i < a->nfindings; i++)
		if (a->findings[i].code == MT_DMARC_DNS_TEMP)
			return MT_EXIT_TEMPFAIL;
	return a->worst == MT_DMARC_ERROR ? MT_EXIT_PROBLEM : MT_EXIT_OK;
}

int
mt_render_dmarc_audit(FILE *out, const mt_dmarc_audit *a,
    const mt_dmarc_eval *spoof, bool json)
{
	char verdict[300];

	mt_dmarc_audit_verdict(a, verdict, sizeof(verdict));
	if (json) {
		json_t *o = mt_dmarc_audit_json(a);

		if (o != NULL) {
			json_object_set_new(o, "unauthenticated",
			    mt_dmarc_eval_json(spoof));
			json_object_set_new(o, "trace", trace_json(spoof));
		}
		if (emit_json(out, o) != 0)
			return MT_EXIT_SOFTWARE;
		return audit_exit(a);
	}
	fprintf(out, "%s: %s\n", a->domain, verdict);
	if (spoof->ntrace > 0) {
		fprintf(out, "  Unauthenticated mail from %s: RFC 9989 ",
		    a->domain);
		print_outcome(out, &spoof->v[MT_DMARC_RFC9989]);
		if (spoof->differs) {
			fprintf(out, "\n    (RFC 7489 receivers: ");
			print_outcome(out, &spoof->v[MT_DMARC_RFC7489]);
			fputc(')', out);
		} else {
			fprintf(out, "; RFC 7489 the same");
		}
		fputc('\n', out);
	}
	if (a->text[0] != '\0')
		print_record(out, a->domain, &a->record, a->text);
	else if (a->inherited_from[0] != '\0')
		print_record(out, a->inherited_from, &a->inherited,
		    spoof->v[MT_DMARC_RFC9989].record);
	print_trace(out, spoof);
	print_findings(out, a);
	return audit_exit(a);
}

/* ---- what if ---- */

static void
print_ident(FILE *out, mt_dns *dns, const mt_psl *psl, const char *what,
    const mt_dmarc_ident *id, char mode, const char *author,
    const mt_dmarc_verdict *v)
{
	bool policy = v->domain[0] != '\0';
	bool passed = id->result != NULL && strcasecmp(id->result, "pass") == 0;
	int a9, a7;

	fprintf(out, "  %-4s %-32s %-9s ", what, or_dash(id->domain),
	    or_dash(id->result));
	if (!policy) {
		fprintf(out, "(no policy: alignment not checked)\n");
		return;
	}
	if (!passed) {
		fprintf(out, "cannot align: only a pass counts\n");
		return;
	}
	a9 = mt_dmarc_aligned(dns, psl, MT_DMARC_RFC9989, mode, id->domain,
	    author);
	a7 = mt_dmarc_aligned(dns, psl, MT_DMARC_RFC7489, mode, id->domain,
	    author);
	if (a9 < 0)
		fprintf(out, "unknown: a DNS lookup failed");
	else if (mode == 's')
		fprintf(out, "%s (strict: must be exactly %s)", a9 ?
		    "aligned" : "not aligned", author);
	else
		fprintf(out, "%s (relaxed: %s Organizational Domain %s)", a9 ?
		    "aligned" : "not aligned", a9 ? "shares the" :
		    "does not share the", or_dash(v->org_domain));
	if (a7 != a9)
		fprintf(out, "; RFC 7489: %s", a7 > 0 ? "aligned" :
		    "not aligned");
	fputc('\n', out);
}

static void
print_fix(FILE *out, const mt_dmarc_input *in, const mt_dmarc_verdict *v)
{
	if (v->result != MT_DMARC_FAIL)
		return;
	fprintf(out, "\nFix\n  Make one identifier pass and align with %s: "
	    "sign with DKIM d=%s (or a name that shares its Organizational "
	    "Domain %s), or send with a MAIL FROM (Return-Path) under %s "
	    "whose SPF record authorizes the sending IP.\n", in->from_domain,
	    v->org_domain[0] ? v->org_domain : in->from_domain,
	    or_dash(v->org_domain), or_dash(v->org_domain));
}

int
mt_render_dmarc_eval(FILE *out, mt_dns *dns, const mt_psl *psl,
    const mt_dmarc_input *in, const mt_dmarc_eval *ev, bool json)
{
	const mt_dmarc_verdict *v9 = &ev->v[MT_DMARC_RFC9989];
	const mt_dmarc_verdict *v7 = &ev->v[MT_DMARC_RFC7489];
	mt_dmarc_record *rec;
	size_t i;

	if (json) {
		json_t *o = json_object();

		if (o != NULL) {
			json_object_set_new(o, "from_domain",
			    json_string(in->from_domain));
			json_object_set_new(o, "dmarc", mt_dmarc_eval_json(ev));
			json_object_set_new(o, "why", json_pack("{s:s, s:s}",
			    "rfc9989", v9->why, "rfc7489", v7->why));
			json_object_set_new(o, "record", v9->record[0] ?
			    json_string(v9->record) : json_null());
			json_object_set_new(o, "trace", trace_json(ev));
		}
		if (emit_json(out, o) != 0)
			return MT_EXIT_SOFTWARE;
		return eval_exit(v9);
	}
	fprintf(out, "%s: DMARC ", in->from_domain);
	print_outcome(out, v9);
	fprintf(out, " under RFC 9989\n");
	if (ev->differs) {
		fprintf(out, "  RFC 7489 receivers: ");
		print_outcome(out, v7);
		fputc('\n', out);
	}
	fprintf(out, "  %s\n", v9->why);
	if (ev->differs && strcmp(v9->why, v7->why) != 0)
		fprintf(out, "  RFC 7489: %s\n", v7->why);
	if ((rec = malloc(sizeof(*rec))) == NULL)
		return mt_cli_error(MT_EXIT_SOFTWARE, "dmarc", "out of memory");
	mt_dmarc_parse(v9->record, strlen(v9->record), rec);
	fprintf(out, "\nIdentifiers\n");
	if (in->spf.domain != NULL)
		print_ident(out, dns, psl, "SPF", &in->spf, rec->aspf,
		    in->from_domain, v9);
	for (i = 0; i < in->ndkim; i++)
		print_ident(out, dns, psl, "DKIM", &in->dkim[i], rec->adkim,
		    in->from_domain, v9);
	free(rec);
	if (v9->record[0] != '\0')
		fprintf(out, "\nPolicy record _dmarc.%s\n  \"%s\"\n",
		    v9->domain, v9->record);
	print_trace(out, ev);
	print_fix(out, in, v9);
	return eval_exit(v9);
}
