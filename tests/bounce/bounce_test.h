/*
 * bounce_test.h -- what the bounce tests share: reading one of our sample
 * messages from tests/bounce/data and taking its records.  The buffer of
 * the last sample read stays alive until the next load (a record's strings
 * belong to the mt_bounce, not to it, but readers are checked on it).
 */
#ifndef MT_BOUNCE_TEST_H
#define MT_BOUNCE_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include <mailtriage/bounce.h>
#include <mailtriage/msg.h>

#ifndef DATA_DIR
#define DATA_DIR "tests/bounce/data"
#endif

static char *buf;
static size_t len;

/* The sample NAME read as one bounce; NULL (and a line why) on failure. */
static inline mt_bounce *
load(const char *name)
{
	char path[512];
	mt_bounce *b = NULL;

	free(buf);
	buf = NULL;
	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	if (mt_msg_read_file(path, &buf, &len) != MT_OK) {
		fprintf(stderr, "cannot read %s\n", path);
		return NULL;
	}
	if (mt_bounce_read(buf, len, name, &b) != MT_OK)
		return NULL;
	return b;
}

/* Record i, or NULL when there is no such record. */
static inline const mt_bounce_record *
rec(mt_bounce *b, size_t i)
{
	return b != NULL && i < mt_bounce_count(b) ? mt_bounce_at(b, i) : NULL;
}

#endif
