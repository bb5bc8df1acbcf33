/*
 * render_dmarc_report.c -- the output of `mailtriage dmarc --report`:
 * the summary first (who reported, for which days, how much mail passed),
 * then the sources by volume with what failed, then what in the report
 * itself was odd.  Reads the report only; the sort index is a heap block
 * freed here.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/render_dmarc.h"

#define SHOW_ROWS 25

static int
by_count(const void *a, const void *b, void *arg)
{
	const mt_dmarc_report *r = arg;
	const mt_dmarc_report_row *x = &r->rows[*(const size_t *)a];
	const mt_dmarc_report_row *y = &r->rows[*(const size_t *)b];

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

static void
day(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "?");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static void
print_auth(FILE *out, const char *what, const mt_dmarc_report_auth *a,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s %s %s%s", i ? "," : what, a[i].domain[0] ?
		    a[i].domain : "?", a[i].result[0] ? a[i].result : "?",
		    i + 1 == n ? ";" : "");
	if (n == 0)
		fprintf(out, "%s none;", what);
}

int
mt_render_dmarc_report(FILE *out, const mt_dmarc_report *r,
    const mt_psl *psl, bool json)
{
	uint64_t total = 0, pass = 0;
	char b[32], e[32];
	size_t *idx, i, nfail = 0;

	for (i = 0; i < r->nrows; i++) {
		total += r->rows[i].count;
		if (mt_dmarc_report_row_pass(r, &r->rows[i], psl))
			pass += r->rows[i].count;
		else
			nfail++;
	}
	if (json) {
		json_t *o = mt_dmarc_report_json(r, psl);

		if (o == NULL)
			return mt_cli_error(MT_EXIT_SOFTWARE, "dmarc",
			    "out of memory");
		json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(o);
		return pass == total ? MT_EXIT_OK : MT_EXIT_PROBLEM;
	}
	day(r->begin, b, sizeof(b));
	day(r->end, e, sizeof(e));
	fprintf(out, "%s: %llu message%s, %llu passed DMARC (%.0f%%), %llu "
	    "failed; report by %s, %s to %s UTC\n", r->domain[0] ? r->domain :
	    "(no domain)", (unsigned long long)total, total == 1 ? "" : "s",
	    (unsigned long long)pass, total ? 100.0 * (double)pass /
	    (double)total : 100.0, (unsigned long long)(total - pass),
	    r->org_name[0] ? r->org_name : "?", b, e);
	fprintf(out, "  published policy: p=%s sp=%s adkim=%c aspf=%c",
	    r->p ? mt_dmarc_policy_name(r->p) : "-", r->sp ?
	    mt_dmarc_policy_name(r->sp) : "-", r->adkim ? r->adkim : '-',
	    r->aspf ? r->aspf : '-');
	if (r->pct >= 0)
		fprintf(out, " pct=%d", r->pct);
	fputc('\n', out);
	if ((idx = malloc((r->nrows + 1) * sizeof(*idx))) == NULL)
		return mt_cli_error(MT_EXIT_SOFTWARE, "dmarc", "out of memory");
	for (i = 0; i < r->nrows; i++)
		idx[i] = i;
	qsort_r(idx, r->nrows, sizeof(*idx), by_count, (void *)r);
	fprintf(out, "\nSources (%zu, largest first%s)\n", r->nrows,
	    r->nrows > SHOW_ROWS ? "; --json lists all" : "");
	for (i = 0; i < r->nrows && i < SHOW_ROWS; i++) {
		const mt_dmarc_report_row *w = &r->rows[idx[i]];

		fprintf(out, "  %-4s %-15s %8llu  %-10s ", mt_dmarc_report_row_pass(
		    r, w, psl) ? "pass" : "FAIL", w->source_ip,
		    (unsigned long long)w->count, w->disposition[0] ?
		    w->disposition : "-");
		print_auth(out, "dkim", w->dkim, w->ndkim);
		print_auth(out, " spf", w->spf, w->nspf);
		fputc('\n', out);
	}
	free(idx);
	if (r->nproblems > 0) {
		fprintf(out, "\nProblems in the report itself\n");
		for (i = 0; i < r->nproblems; i++)
			fprintf(out, "  %s\n", r->problems[i]);
	}
	if (nfail > 0)
		fprintf(out, "\nFix\n  For each failing source: if it sends "
		    "for you (an ESP, a CRM, a forwarder), make it sign with "
		    "DKIM d=%s or use a MAIL FROM under %s that its SPF "
		    "allows; if it is not yours, it is spoofing, and p=%s "
		    "is what stops it.\n", r->domain[0] ? r->domain : "<domain>",
		    r->domain[0] ? r->domain : "<domain>", r->p ?
		    mt_dmarc_policy_name(r->p) : "reject");
	return pass == total ? MT_EXIT_OK : MT_EXIT_PROBLEM;
}
