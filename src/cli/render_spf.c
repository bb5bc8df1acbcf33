/*
 * render_spf.c -- SPF results as text for people: the verdict first, then
 * the evaluation (or audit) tree with the lookups each include costs, then
 * the findings, each with its fix.  Reads results only; owns nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/render_spf.h"

#define BOLD(o) ((o)->color ? "\033[1m" : "")
#define RED(o) ((o)->color ? "\033[31m" : "")
#define GREEN(o) ((o)->color ? "\033[32m" : "")
#define YELLOW(o) ((o)->color ? "\033[33m" : "")
#define DIM(o) ((o)->color ? "\033[2m" : "")
#define OFF(o) ((o)->color ? "\033[0m" : "")

static const char *
verdict_color(const mt_render_opts *o, mt_spf_verdict v)
{
	switch (v) {
	case MT_SPF_PASS: return GREEN(o);
	case MT_SPF_FAIL:
	case MT_SPF_PERMERROR: return RED(o);
	case MT_SPF_SOFTFAIL:
	case MT_SPF_TEMPERROR: return YELLOW(o);
	default: return "";
	}
}

void
mt_render_json(FILE *out, json_t *v, bool pretty)
{
	if (v == NULL) {
		fputs("null\n", out);
		return;
	}
	json_dumpf(v, out, (pretty ? JSON_INDENT(2) : JSON_COMPACT) |
	    JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(v);
}

/* ---------------------------------------------------------------- tree */
static const char *
outcome_text(const mt_spf_trace_node *n)
{
	if (n->past_limit)
		return "not evaluated (past the verdict)";
	switch (n->outcome) {
	case MT_SPF_OUT_MATCH: return "MATCH";
	case MT_SPF_OUT_ERROR: return "ERROR";
	default: return "no match";
	}
}

static void
render_node(FILE *out, const mt_spf_result *r, size_t i,
    const mt_render_opts *o, bool audit)
{
	const mt_spf_trace_node *n = mt_spf_result_trace(r, i);
	unsigned indent = 2 + n->depth * 4;

	if (n->type == MT_SPF_NODE_RECORD) {
		fprintf(out, "%*s%s%s%s", indent, "", BOLD(o), n->domain, OFF(o));
		if (n->text != NULL)
			fprintf(out, "  \"%s\"", n->text);
		if (!audit || n->verdict == MT_SPF_NONE ||
		    n->verdict >= MT_SPF_TEMPERROR)
			fprintf(out, "  -> %s%s%s", verdict_color(o, n->verdict),
			    mt_spf_verdict_name(n->verdict), OFF(o));
		fprintf(out, "  [%s%u lookup%s]", n->depth ? "costs " : "",
		    n->subtree_lookups, n->subtree_lookups == 1 ? "" : "s");
		fputc('\n', out);
		if (n->note && (n->verdict == MT_SPF_NONE ||
		    n->verdict >= MT_SPF_TEMPERROR))
			fprintf(out, "%*s%s! %s%s\n", indent + 2, "", RED(o), n->note,
			    OFF(o));
		return;
	}
	indent += 2;
	if (audit && n->queried == NULL && !mt_spf_kind_counts(n->kind) &&
	    n->note == NULL) {
		fprintf(out, "%*s%s\n", indent, "", n->text ? n->text : "?");
		return;
	}
	fprintf(out, "%*s%-28s", indent, "", n->text ? n->text : "?");
	if (!audit)
		fprintf(out, " %s%s%s", n->outcome == MT_SPF_OUT_MATCH ? BOLD(o) :
		    "", outcome_text(n), OFF(o));
	if (!audit && !n->past_limit && (n->kind == MT_SPF_INCLUDE ||
	    n->kind == MT_SPF_REDIRECT) && n->target != NULL)
		fprintf(out, " (%s %s)", n->kind == MT_SPF_INCLUDE ? "included:" :
		    "redirected:", mt_spf_verdict_name(n->verdict));
	if (n->queried != NULL)
		fprintf(out, "  %s%s %s: %s%s", DIM(o), n->queried,
		    n->target ? n->target : "", n->answer ? n->answer : "-", OFF(o));
	if (mt_spf_kind_counts(n->kind))
		fprintf(out, "  %s[lookups so far %u/%d, void %u/%d]%s", DIM(o),
		    n->lookups, MT_SPF_MAX_LOOKUPS, n->void_lookups,
		    MT_SPF_MAX_VOID, OFF(o));
	fputc('\n', out);
	if (n->note != NULL)
		fprintf(out, "%*s%s! %s%s\n", indent + 2, "",
		    n->lookups > MT_SPF_MAX_LOOKUPS ||
		    n->void_lookups > MT_SPF_MAX_VOID ? RED(o) : YELLOW(o),
		    n->note, OFF(o));
}

static void
render_tree(FILE *out, const mt_spf_result *r, const mt_render_opts *o,
    bool audit)
{
	size_t i, n = mt_spf_result_trace_count(r);

	if (n == 0)
		return;
	fprintf(out, "\n%s%s%s\n", BOLD(o), audit ? "Include tree" :
	    "Evaluation", OFF(o));
	for (i = 0; i < n; i++)
		render_node(out, r, i, o, audit);
}

static void
render_findings(FILE *out, const mt_spf_result *r, const mt_render_opts *o)
{
	const mt_spf_finding *f;
	size_t i, n = mt_spf_result_finding_count(r);

	if (n == 0) {
		const mt_spf_trace_node *top = mt_spf_result_trace(r, 0);

		if (top == NULL || top->text == NULL)
			return;
		fprintf(out, "\n%sFindings%s\n  none: no problems found in the "
		    "record%s\n", BOLD(o), OFF(o),
		    mt_spf_result_trace_count(r) > 1 ? "s of the tree" : "");
		return;
	}
	fprintf(out, "\n%sFindings%s (%zu)\n", BOLD(o), OFF(o), n);
	for (i = 0; (f = mt_spf_result_finding(r, i)) != NULL; i++) {
		const char *c = f->severity == MT_SPF_SEV_ERROR ? RED(o) :
		    f->severity == MT_SPF_SEV_WARNING ? YELLOW(o) : "";

		fprintf(out, "  %s%-7s%s %s [%s]\n", c,
		    mt_spf_severity_name(f->severity), OFF(o), f->message, f->code);
		if (f->domain != NULL)
			fprintf(out, "          in the record of %s%s", f->domain,
			    f->offset >= 0 ? "" : "\n");
		if (f->domain != NULL && f->offset >= 0)
			fprintf(out, ", byte %ld\n", f->offset);
		if (f->fix != NULL)
			fprintf(out, "          %sfix:%s %s\n", BOLD(o), OFF(o), f->fix);
	}
}

/* ---------------------------------------------------------------- eval */
static const char *
headline(mt_spf_verdict v)
{
	switch (v) {
	case MT_SPF_PASS: return "is authorised to send for";
	case MT_SPF_FAIL: return "is NOT authorised to send for";
	case MT_SPF_SOFTFAIL: return "is probably not authorised to send for";
	case MT_SPF_NEUTRAL: return "is neither authorised nor forbidden for";
	case MT_SPF_NONE: return "cannot be checked: no SPF record at";
	case MT_SPF_TEMPERROR: return "could not be checked (DNS trouble) for";
	default: return "cannot be checked: the SPF record is broken at";
	}
}

void
mt_render_spf_eval(FILE *out, const mt_spf_result *r, const mt_render_opts *o)
{
	mt_spf_verdict v = mt_spf_result_verdict(r);
	const char *x;

	fprintf(out, "%sSPF %s%s%s: %s %s %s\n", BOLD(o), verdict_color(o, v),
	    mt_spf_result_name(r), OFF(o), mt_spf_result_ip(r), headline(v),
	    mt_spf_result_domain(r));
	fprintf(out, "  %s\n", mt_spf_result_default_explanation(r));
	fprintf(out, "\n  identity     %s\n", mt_spf_result_sender(r));
	if ((x = mt_spf_result_matched(r)) != NULL)
		fprintf(out, "  matched      %s (record of %s)\n", x,
		    mt_spf_result_matched_domain(r));
	if ((x = mt_spf_result_reason(r)) != NULL)
		fprintf(out, "  reason       %s\n", x);
	if ((x = mt_spf_result_explanation(r)) != NULL)
		fprintf(out, "  explanation  %s (the domain's exp= text)\n", x);
	fprintf(out, "  lookups      %u of %d, void lookups %u of %d\n",
	    mt_spf_result_lookups(r), MT_SPF_MAX_LOOKUPS,
	    mt_spf_result_void_lookups(r), MT_SPF_MAX_VOID);
	if (o->tree)
		render_tree(out, r, o, false);
	if (o->findings)
		render_findings(out, r, o);
}

/* ---------------------------------------------------------------- lint */
void
mt_render_spf_lint(FILE *out, const mt_spf_result *r, const mt_render_opts *o)
{
	int worst = mt_spf_result_worst_severity(r);
	mt_spf_verdict v = mt_spf_result_verdict(r);
	const char *state;

	state = v == MT_SPF_NONE ? "no SPF record" :
	    v == MT_SPF_TEMPERROR ? "could not be checked (DNS trouble)" :
	    worst == MT_SPF_SEV_ERROR ? "has errors" :
	    worst == MT_SPF_SEV_WARNING ? "works, with warnings" : "looks right";
	fprintf(out, "%sSPF audit of %s: %s%s%s\n", BOLD(o),
	    mt_spf_result_domain(r), worst == MT_SPF_SEV_ERROR ||
	    v == MT_SPF_NONE ? RED(o) : worst == MT_SPF_SEV_WARNING ? YELLOW(o) :
	    GREEN(o), state, OFF(o));
	fprintf(out, "  %s\n", mt_spf_result_default_explanation(r));
	fprintf(out, "  DNS-querying terms in the whole tree: %u (limit %d); "
	    "void lookups: %u (limit %d)\n", mt_spf_result_lookups(r),
	    MT_SPF_MAX_LOOKUPS, mt_spf_result_void_lookups(r), MT_SPF_MAX_VOID);
	render_tree(out, r, o, true);
	render_findings(out, r, o);
}

/* ---------------------------------------------------------------- flat */
void
mt_render_spf_flat(FILE *out, const mt_spf_flat *f, const mt_render_opts *o)
{
	size_t i, v4 = 0, v6 = 0;
	time_t t = (time_t)mt_spf_flat_time(f);
	char when[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	mt_spf_flat_ranges(f, &v4, &v6);
	fprintf(out, "%sFlattened SPF record for %s%s: %u DNS lookups before, "
	    "%u after\n", BOLD(o), mt_spf_flat_domain(f), OFF(o),
	    mt_spf_flat_lookups_before(f), mt_spf_flat_lookups_after(f));
	fprintf(out, "  %sSNAPSHOT taken %s%s: it copies your providers' "
	    "ranges as they are now.\n  Regenerate it whenever a provider "
	    "changes its ranges, or mail from them will fail.\n",
	    YELLOW(o), when, OFF(o));
	fprintf(out, "  %zu ip4 and %zu ip6 range%s after merging; %u lookup%s "
	    "kept as written\n", v4, v6, v6 == 1 ? "" : "s",
	    mt_spf_flat_kept_lookups(f), mt_spf_flat_kept_lookups(f) == 1 ?
	    "" : "s");
	fprintf(out, "\n%sRecord%s (TXT at %s)\n  %s\n", BOLD(o), OFF(o),
	    mt_spf_flat_domain(f), mt_spf_flat_record(f));
	fprintf(out, "\n%sAs zone-file strings%s (each at most 255 bytes)\n  %s "
	    "IN TXT", BOLD(o), OFF(o), mt_spf_flat_domain(f));
	for (i = 0; i < mt_spf_flat_string_count(f); i++)
		fprintf(out, " \"%s\"", mt_spf_flat_string(f, i));
	fputc('\n', out);
	for (i = 0; i < mt_spf_flat_chain_count(f); i++) {
		if (i == 0)
			fprintf(out, "\n%sChained records%s (the record is over 512 "
			    "bytes, so the ranges live here)\n", BOLD(o), OFF(o));
		fprintf(out, "  %s IN TXT \"%s\"\n", mt_spf_flat_chain_name(f, i),
		    mt_spf_flat_chain(f, i));
	}
	for (i = 0; i < mt_spf_flat_warning_count(f); i++)
		fprintf(out, "\n  %swarning:%s %s\n", YELLOW(o), OFF(o),
		    mt_spf_flat_warning(f, i));
}
