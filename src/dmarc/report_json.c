/*
 * report_json.c -- an aggregate report as a jansson object: metadata, the
 * published policy, a summary (messages that passed and failed DMARC) and
 * every row.  The caller owns the returned object (json_decref).
 */
#include <jansson.h>

#include "dmarc/dmarc_int.h"

static json_t *
str_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *
auth_json(const mt_dmarc_report_auth *a, size_t n, bool dkim)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < n; i++)
		json_array_append_new(arr, json_pack("{s:o, s:o, s:o}",
		    "domain", str_or_null(a[i].domain), dkim ? "selector" :
		    "scope", str_or_null(dkim ? a[i].selector : a[i].scope),
		    "result", str_or_null(a[i].result)));
	return arr;
}

static json_t *
row_json(const mt_dmarc_report *r, const mt_dmarc_report_row *w,
    const mt_psl *psl)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:o}",
	    "source_ip", str_or_null(w->source_ip),
	    "count", w->count_valid ? json_integer((json_int_t)w->count) :
	    json_null(),
	    "disposition", str_or_null(w->disposition),
	    "header_from", str_or_null(w->header_from),
	    "dmarc", mt_dmarc_report_row_pass(r, w, psl) ? "pass" : "fail",
	    "dkim", auth_json(w->dkim, w->ndkim, true),
	    "spf", auth_json(w->spf, w->nspf, false));
}

json_t *
mt_dmarc_report_json(const mt_dmarc_report *r, const mt_psl *psl)
{
	json_t *o = json_object(), *rows = json_array(), *probs = json_array();
	uint64_t total = 0, pass = 0;
	char ca[2] = { 0, 0 }, cs[2] = { 0, 0 };
	size_t i;

	if (o == NULL || rows == NULL || probs == NULL) {
		json_decref(o);
		json_decref(rows);
		json_decref(probs);
		return NULL;
	}
	for (i = 0; i < r->nrows; i++) {
		const mt_dmarc_report_row *w = &r->rows[i];

		total += w->count;
		if (mt_dmarc_report_row_pass(r, w, psl))
			pass += w->count;
		json_array_append_new(rows, row_json(r, w, psl));
	}
	for (i = 0; i < r->nproblems; i++)
		json_array_append_new(probs, json_string(r->problems[i]));
	json_object_set_new(o, "org_name", str_or_null(r->org_name));
	json_object_set_new(o, "email", str_or_null(r->email));
	json_object_set_new(o, "report_id", str_or_null(r->report_id));
	json_object_set_new(o, "begin", r->begin >= 0 ?
	    json_integer(r->begin) : json_null());
	json_object_set_new(o, "end", r->end >= 0 ? json_integer(r->end) :
	    json_null());
	ca[0] = r->adkim;
	cs[0] = r->aspf;
	json_object_set_new(o, "policy_published", json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "domain", str_or_null(r->domain),
	    "adkim", str_or_null(ca),
	    "aspf", str_or_null(cs),
	    "p", str_or_null(mt_dmarc_policy_name(r->p)),
	    "sp", str_or_null(mt_dmarc_policy_name(r->sp)),
	    "np", str_or_null(mt_dmarc_policy_name(r->np)),
	    "pct", r->pct >= 0 ? json_integer(r->pct) : json_null()));
	json_object_set_new(o, "summary", json_pack("{s:I, s:I, s:I, s:I, "
	    "s:I}", "rows", (json_int_t)r->nrows, "messages",
	    (json_int_t)total, "pass", (json_int_t)pass, "fail",
	    (json_int_t)(total - pass), "dropped", (json_int_t)r->dropped));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "problems", probs);
	return o;
}
