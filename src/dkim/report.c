/*
 * report.c -- a verification report: one mt_dkim_sig_result per
 * signature, in field order, and the message-level verdict.  The report
 * owns an arena holding every string its results point to; the caller
 * frees the whole report with mt_dkim_report_free().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/reasons.h"
#include "dkim/verify_int.h"

#define REPORT_MAX_SIGS 1000 /* a header block holds at most 1000 fields */

mt_dkim_report *
dkim_report_new(void)
{
	mt_dkim_report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	if ((r->arena = mt_arena_new(4096)) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

mt_dkim_sig_result *
dkim_report_add(mt_dkim_report *r)
{
	mt_dkim_sig_result *nr, *res;
	size_t cap;

	if (r->n == REPORT_MAX_SIGS)
		return NULL;
	if (r->n == r->cap) {
		cap = r->cap ? r->cap * 2 : 4;
		if ((nr = realloc(r->res, cap * sizeof(*nr))) == NULL)
			return NULL;
		r->res = nr;
		r->cap = cap;
	}
	res = &r->res[r->n++];
	memset(res, 0, sizeof(*res));
	res->reason = res->fix = res->domain = res->selector = "";
	res->identity = res->algorithm = res->signed_headers = "";
	res->header_canon = res->body_canon = "simple";
	res->timestamp = res->expiration = -1;
	return res;
}

const char *
dkim_strdup(mt_dkim_report *r, const char *p, size_t n)
{
	const char *s;

	if (p == NULL || n == 0)
		return "";
	s = mt_arena_strndup(r->arena, p, n);
	return s != NULL ? s : "";
}

void
dkim_set(mt_dkim_report *r, mt_dkim_sig_result *res, mt_dkim_reason rc,
    const char *fmt, ...)
{
	const mt_dkim_reason_info *info = mt_dkim_reason_info_of(rc);
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	res->reason_code = rc;
	res->result = info->result;
	res->reason = dkim_strdup(r, text, strlen(text));
	res->fix = info->fix;
}

size_t
mt_dkim_report_count(const mt_dkim_report *r)
{
	return r != NULL ? r->n : 0;
}

const mt_dkim_sig_result *
mt_dkim_report_at(const mt_dkim_report *r, size_t i)
{
	return r != NULL && i < r->n ? &r->res[i] : NULL;
}

bool
mt_dkim_report_headers_only(const mt_dkim_report *r)
{
	return r != NULL && r->headers_only;
}

/* How telling a non-pass result is for the message: a temperror may turn
 * into a pass on retry, a fail is evidence of change, permerror least. */
static int
rank(mt_dkim_result res)
{
	switch (res) {
	case MT_DKIM_PASS:
		return 6;
	case MT_DKIM_TEMPERROR:
		return 5;
	case MT_DKIM_FAIL:
		return 4;
	case MT_DKIM_POLICY:
		return 3;
	case MT_DKIM_NEUTRAL:
		return 2;
	case MT_DKIM_PERMERROR:
		return 1;
	default:
		return 0;
	}
}

mt_dkim_result
mt_dkim_report_verdict(const mt_dkim_report *r)
{
	mt_dkim_result best = MT_DKIM_NONE;
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++) {
		if (rank(r->res[i].result) > rank(best))
			best = r->res[i].result;
	}
	return best;
}

void
mt_dkim_report_free(mt_dkim_report *r)
{
	if (r == NULL)
		return;
	mt_arena_free(r->arena);
	free(r->res);
	free(r);
}
