/*
 * fuzz_dmarc_report.c -- libFuzzer target for the aggregate report reader
 * (mt_dmarc_report_parse: encoding conversion, the forgiving XML walk,
 * the field parsers) and its JSON.  Checks the bounds the API promises.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/dmarc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mt_dmarc_report *r = NULL;
	char err[200];
	json_t *j;
	size_t i;

	if (size > (1u << 20))
		return 0;
	if (mt_dmarc_report_parse((const char *)data, size, &r, err,
	    sizeof(err)) != MT_OK) {
		if (r != NULL || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		return 0;
	}
	if (r->nrows > MT_DMARC_REPORT_MAX_ROWS ||
	    r->nproblems > MT_DMARC_REPORT_MAX_PROBLEMS)
		abort();
	for (i = 0; i < r->nrows; i++) {
		const mt_dmarc_report_row *w = &r->rows[i];

		if (w->ndkim > MT_DMARC_REPORT_MAX_AUTH ||
		    w->nspf > MT_DMARC_REPORT_MAX_AUTH ||
		    memchr(w->header_from, '\0', sizeof(w->header_from)) == NULL)
			abort();
		(void)mt_dmarc_report_row_pass(r, w, NULL);
	}
	if ((j = mt_dmarc_report_json(r, NULL)) != NULL) {
		char *s = json_dumps(j, 0);

		free(s);
		json_decref(j);
	}
	mt_dmarc_report_free(r);
	return 0;
}
