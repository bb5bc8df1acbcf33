/*
 * fuzz_authres.c -- libFuzzer target for the Authentication-Results
 * reader: the first input byte picks the kind (AR or ARC), the rest is the
 * field value.  Every parse is also rendered as JSON and, when it has an
 * authserv-id, written back through the writer and re-parsed: the writer
 * must accept what the reader produced (after keyword checks) and the
 * re-read must keep the result count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <mailtriage/authres.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
rewrite(const mt_authres *ar)
{
	mt_authres_writer *w;
	mt_authres *back = NULL;
	size_t i, k, kept = 0;
	char *f;

	if (mt_authres_authserv_id(ar) == NULL)
		return;
	w = mt_authres_writer_new(mt_authres_authserv_id(ar), MT_AUTHRES_AR, 0);
	if (w == NULL)
		return;
	for (i = 0; i < mt_authres_count(ar); i++) {
		const mt_authres_result *r = mt_authres_at(ar, i);

		if (mt_authres_writer_result(w, r->method, r->result) != MT_OK)
			continue;
		kept++;
		for (k = 0; k < r->nprops; k++) {
			if (*r->props[k].ptype)
				(void)mt_authres_writer_prop(w, r->props[k].ptype,
				    r->props[k].property, r->props[k].value);
		}
	}
	f = mt_authres_writer_field(w, 78);
	if (f != NULL && mt_authres_parse_field(f, strlen(f), &back, NULL,
	    0) == MT_OK) {
		if (mt_authres_count(back) != kept)
			abort();
	}
	mt_authres_free(back);
	free(f);
	mt_authres_writer_free(w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mt_authres *ar = NULL;
	json_t *j;

	if (size < 1)
		return 0;
	if (mt_authres_parse((const char *)data + 1, size - 1,
	    (data[0] & 1) ? MT_AUTHRES_ARC : MT_AUTHRES_AR, &ar, NULL,
	    0) != MT_OK)
		return 0;
	j = mt_authres_json(ar);
	json_decref(j);
	rewrite(ar);
	mt_authres_free(ar);
	return 0;
}
