/*
 * fuzz_spf_record.c -- libFuzzer target for the SPF record parser: the
 * strict parse (mt_spf_parse) and the lenient one the evaluator and the
 * linter use, on arbitrary bytes up to MT_SPF_MAX_RECORD.  Checks that
 * every term lies inside the record and that the two parsers agree.
 */
#include <stdlib.h>
#include <string.h>

#include <mailtriage/spf.h>

#include "spf/spf_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mt_spf_record *rec = NULL, *lax;
	mt_spf_parse_error err;
	const mt_spf_term *t;
	char buf[MT_SPF_MAX_RECORD + 16];
	size_t i, n;
	mt_err e;

	if (size > sizeof(buf) - 8)
		return 0;
	/* Half the inputs get the version tag, so the term parser is reached. */
	n = 0;
	if (size > 0 && (data[0] & 1)) {
		memcpy(buf, "v=spf1 ", 7);
		n = 7;
		data++;
		size--;
	}
	memcpy(buf + n, data, size);
	n += size;
	e = mt_spf_parse(buf, n, &rec, &err);
	lax = spf_parse_lenient(buf, n, NULL);
	if (e == MT_OK) {
		if (rec == NULL || lax == NULL || lax->nerrors != 0)
			abort();
		for (i = 0; (t = mt_spf_record_term(rec, i)) != NULL; i++) {
			if (t->offset + t->length > n || t->length == 0)
				abort();
			if (t->spec != NULL && (t->spec < mt_spf_record_text(rec, NULL) ||
			    t->spec + t->spec_len > mt_spf_record_text(rec, NULL) + n))
				abort();
			(void)mt_spf_kind_name(t->kind);
		}
		mt_spf_record_free(rec);
	} else {
		if (rec != NULL || err.offset > n)
			abort();
		if (lax != NULL && lax->nerrors == 0)
			abort();
	}
	free(lax);
	return 0;
}
