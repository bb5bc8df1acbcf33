/*
 * render_dkim.c -- the output of `mailtriage dkim verify`: the verdict
 * first, then each signature (domain, selector, algorithm, result, the
 * reason and the fix), or one JSON object {"dkim": [...], ...} with the
 * signatures in field order.  JSON built here is freed here.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/render_dkim.h"

#define WIDTH 78

void
mt_render_dkim_wrap(FILE *out, const char *label, const char *text)
{
	size_t indent = strlen(label), col, w;
	const char *p = text, *sp;

	fputs(label, out);
	col = indent;
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		sp = strchr(p, ' ');
		w = sp ? (size_t)(sp - p) : strlen(p);
		if (col > indent && col + 1 + w > WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, w, out);
		col += w;
		p += w;
	}
	fputc('\n', out);
}

static int
exit_code(const mt_dkim_report *r)
{
	mt_dkim_result v = mt_dkim_report_verdict(r);
	size_t i;

	if (v == MT_DKIM_PASS)
		return MT_EXIT_OK;
	for (i = 0; i < mt_dkim_report_count(r); i++) {
		if (mt_dkim_report_at(r, i)->reason_code ==
		    MT_DKIM_R_BODY_UNAVAILABLE)
			return MT_EXIT_OK;
	}
	return v == MT_DKIM_TEMPERROR ? MT_EXIT_TEMPFAIL : MT_EXIT_PROBLEM;
}

static size_t
count_result(const mt_dkim_report *r, mt_dkim_result res)
{
	size_t i, n = 0;

	for (i = 0; i < mt_dkim_report_count(r); i++)
		n += mt_dkim_report_at(r, i)->result == res;
	return n;
}

static void
print_verdict(FILE *out, const char *source, const mt_dkim_report *r)
{
	size_t n = mt_dkim_report_count(r), np = count_result(r, MT_DKIM_PASS);
	mt_dkim_result v = mt_dkim_report_verdict(r);
	char line[300];

	if (n == 0) {
		fprintf(out, "DKIM: none -- %s has no DKIM-Signature field\n\n",
		    source);
		mt_render_dkim_wrap(out, "  fix: ", "sign outgoing mail: "
		    "`mailtriage dkim keygen` makes a key and prints the DNS "
		    "record to publish; configure your mail server to sign with "
		    "it (test with `mailtriage dkim sign`).  Without a passing "
		    "signature aligned with the From domain, DMARC rests on SPF "
		    "alone.");
		return;
	}
	if (v == MT_DKIM_PASS)
		snprintf(line, sizeof(line), "DKIM: pass -- %zu of %zu "
		    "signature%s verified", np, n, n == 1 ? "" : "s");
	else if (v == MT_DKIM_NEUTRAL && mt_dkim_report_headers_only(r))
		snprintf(line, sizeof(line), "DKIM: neutral -- the header "
		    "signature checks out as far as it can; the body is not "
		    "here to check");
	else
		snprintf(line, sizeof(line), "DKIM: %s -- no signature "
		    "verified (%zu signature%s)", mt_dkim_result_name(v), n,
		    n == 1 ? "" : "s");
	fprintf(out, "%s\n", line);
	if (mt_dkim_report_headers_only(r))
		mt_render_dkim_wrap(out, "  note: ", "the message has no body "
		    "(headers only, as a bounce returns it): header signatures "
		    "are checked, body hashes cannot be; that is not a "
		    "failure.");
}

/* A colon list, broken after a colon when a line would be too long. */
static void
print_list(FILE *out, const char *label, const char *list)
{
	size_t indent = strlen(label), col = indent, w;
	const char *p = list, *c;

	fputs(label, out);
	while (*p != '\0') {
		c = strchr(p, ':');
		w = c ? (size_t)(c - p) + 1 : strlen(p);
		if (col > indent && col + w > WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		}
		fwrite(p, 1, w, out);
		col += w;
		p += w;
	}
	fputc('\n', out);
}

static void
print_sig(FILE *out, size_t i, const mt_dkim_sig_result *s)
{
	char label[64];

	fprintf(out, "\nSignature %zu: d=%s s=%s", i + 1,
	    s->domain[0] ? s->domain : "?", s->selector[0] ? s->selector : "?");
	if (s->algorithm[0] != '\0')
		fprintf(out, " a=%s", s->algorithm);
	fprintf(out, " c=%s/%s\n", s->header_canon, s->body_canon);
	snprintf(label, sizeof(label), "  result: ");
	fprintf(out, "%s%s (%s)%s\n", label, mt_dkim_result_name(s->result),
	    mt_dkim_reason_name(s->reason_code), s->testing ?
	    " [key in testing mode, t=y]" : "");
	mt_render_dkim_wrap(out, "  why:    ", s->reason);
	if (s->fix[0] != '\0')
		mt_render_dkim_wrap(out, "  fix:    ", s->fix);
	if (s->identity[0] != '\0')
		fprintf(out, "  i=      %s\n", s->identity);
	if (s->signed_headers[0] != '\0')
		print_list(out, "  h=      ", s->signed_headers);
}

static int
print_json(FILE *out, const mt_dkim_report *r)
{
	json_t *sigs = mt_dkim_report_json(r), *o;
	char *text;

	if (sigs == NULL)
		return mt_cli_error(MT_EXIT_SOFTWARE, "dkim", "out of memory");
	o = json_pack("{s:o, s:s, s:b}", "dkim", sigs, "verdict",
	    mt_dkim_result_name(mt_dkim_report_verdict(r)), "headers_only",
	    mt_dkim_report_headers_only(r));
	text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (text == NULL)
		return mt_cli_error(MT_EXIT_SOFTWARE, "dkim", "out of memory");
	fprintf(out, "%s\n", text);
	free(text);
	return exit_code(r);
}

int
mt_render_dkim_report(FILE *out, const char *source, const mt_dkim_report *r,
    bool json)
{
	size_t i;

	if (json)
		return print_json(out, r);
	print_verdict(out, source, r);
	for (i = 0; i < mt_dkim_report_count(r); i++)
		print_sig(out, i, mt_dkim_report_at(r, i));
	return exit_code(r);
}
