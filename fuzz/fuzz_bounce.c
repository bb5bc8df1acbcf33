/*
 * fuzz_bounce.c -- mt_bounce_read and mt_bounce_classify_reply on arbitrary
 * bytes: every reader, the classifier and the JSON writer.  Every string of
 * every record must be valid UTF-8 and NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

static void
check(const mt_bounce *b)
{
	size_t i;

	for (i = 0; i < mt_bounce_count(b); i++) {
		const mt_bounce_record *r = mt_bounce_at(b, i);
		json_t *j;
		char *s;

		if (!mt_utf8_valid(r->diagnostic, strlen(r->diagnostic)) ||
		    !mt_utf8_valid(r->recipient, strlen(r->recipient)) ||
		    !mt_utf8_valid(r->original->subject,
		    strlen(r->original->subject)))
			abort();
		j = mt_bounce_record_json(r, true);
		s = json_dumps(j, JSON_COMPACT);
		if (s == NULL)  /* jansson refuses invalid UTF-8 */
			abort();
		free(s);
		json_decref(j);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mt_bounce *b = NULL;

	if (mt_bounce_read((const char *)data, size, "fuzz", &b) == MT_OK) {
		check(b);
		mt_bounce_free(b);
	}
	b = NULL;
	if (mt_bounce_classify_reply((const char *)data, size, "fuzz",
	    &b) == MT_OK) {
		check(b);
		mt_bounce_free(b);
	}
	return 0;
}
