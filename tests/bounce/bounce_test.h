/*
 * bounce_test.h -- what the bounce tests share: reading one of our sample
 * messages from tests/bounce/data and taking its records.  The buffer of
 * the last sample read stays alive until the next load (a record's strings
 * belong to the mt_bounce, not to it, but readers are checked on it).
 * check_sample() reads a sample and checks its records against a table of
 * wants; the mt_bounce it returns is the caller's to free.  The checks are
 * common/harness.h's, which each test file includes before this one.
 */
#ifndef MT_BOUNCE_TEST_H
#define MT_BOUNCE_TEST_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Each of our samples (the .eml files of DATA_DIR, in the order the
 * folder lists them) loaded in turn and handed to fn with its name and
 * arg; a sample that cannot be read fails the test.  Returns how many
 * were. */
static inline int
each_sample(void (*fn)(const char *name, mt_bounce *b, void *arg), void *arg)
{
	DIR *dir = opendir(DATA_DIR);
	struct dirent *e;
	int n = 0;

	CHECK(dir != NULL);
	while (dir != NULL && (e = readdir(dir)) != NULL) {
		mt_bounce *b;

		if (strstr(e->d_name, ".eml") == NULL)
			continue;
		if ((b = load(e->d_name)) == NULL) {
			fprintf(stderr, "%s: not read\n", e->d_name);
			CHECK(b != NULL);
			continue;
		}
		fn(e->d_name, b, arg);
		mt_bounce_free(b);
		n++;
	}
	if (dir != NULL)
		closedir(dir);
	return n;
}

/* msg[0..n) is read, and is no bounce. */
static inline void
check_not_a_bounce(const char *msg, size_t n, const char *name)
{
	mt_bounce *b = NULL;

	CHECK(mt_bounce_read(msg, n, name, &b) == MT_OK);
	if (b != NULL && mt_bounce_is_bounce(b))
		fprintf(stderr, "%s: read as a bounce\n", name);
	CHECK(b != NULL && !mt_bounce_is_bounce(b));
	mt_bounce_free(b);
}

/* Record i, or NULL when there is no such record. */
static inline const mt_bounce_record *
rec(mt_bounce *b, size_t i)
{
	return b != NULL && i < mt_bounce_count(b) ? mt_bounce_at(b, i) : NULL;
}

/* The one record of the message msg[0..n) read as a bounce, NULL when it
 * gives none or several (a message that cannot be read fails the test);
 * *b is the caller's to free. */
static inline const mt_bounce_record *
read_record(const char *msg, size_t n, const char *name, mt_bounce **b)
{
	*b = NULL;
	CHECK(mt_bounce_read(msg, n, name, b) == MT_OK);
	return *b != NULL && mt_bounce_count(*b) == 1 ? mt_bounce_at(*b, 0) :
	    NULL;
}

/* For hard and action: not checked. */
#define W_ANY (-1)

/* The number of wants in the array W (for check_sample). */
#define NWANT(w) (sizeof(w) / sizeof((w)[0]))

/*
 * What one record must be; a test names only the fields it checks:
 *   - a NULL string is not checked ("" is checked: the field is empty);
 *   - reply_code 0 is not checked; -1 means "no reply code" (the record's
 *     reply_code is -1 then), any other value is checked as it is;
 *   - hard and action are checked unless W_ANY, so a test states them
 *     (left out, they are 0 and checked as 0; hard: 1 the address is bad,
 *     0 it is not; action: an MT_BOUNCE_ACT_* value);
 *   - message_id is compared with r->original->message_id;
 *   - diagnostic is compared whole: the remote's words and nothing else.
 * The strings are the test's own (static); nothing here is freed.
 */
typedef struct want {
	const char *recipient;
	const char *status;
	int reply_code;
	const char *reason;
	const char *cause;
	int hard;
	int action;
	const char *provider;
	const char *remote_mta;
	const char *smtp_command;
	const char *format;
	const char *dsn_action;
	const char *message_id;
	const char *diagnostic;
} want;

/* Check record R against W, field by field, as said above. */
static inline void
check_record(const mt_bounce_record *r, const want *w)
{
	CHECK(r != NULL);
	if (r == NULL)
		return;
	if (w->recipient != NULL)
		CHECK_STR(r->recipient, w->recipient);
	if (w->status != NULL)
		CHECK_STR(r->status, w->status);
	if (w->reply_code != 0)
		CHECK_INT(r->reply_code, w->reply_code);
	if (w->reason != NULL)
		CHECK_STR(r->reason, w->reason);
	if (w->cause != NULL)
		CHECK_STR(r->cause, w->cause);
	if (w->hard != W_ANY)
		CHECK_INT(r->hard, w->hard);
	if (w->action != W_ANY)
		CHECK_INT(r->action, w->action);
	if (w->provider != NULL)
		CHECK_STR(r->provider, w->provider);
	if (w->remote_mta != NULL)
		CHECK_STR(r->remote_mta, w->remote_mta);
	if (w->smtp_command != NULL)
		CHECK_STR(r->smtp_command, w->smtp_command);
	if (w->format != NULL)
		CHECK_STR(r->format, w->format);
	if (w->dsn_action != NULL)
		CHECK_STR(r->dsn_action, w->dsn_action);
	if (w->message_id != NULL) {
		CHECK(r->original != NULL);
		if (r->original != NULL)
			CHECK_STR(r->original->message_id, w->message_id);
	}
	if (w->diagnostic != NULL)
		CHECK_STR(r->diagnostic, w->diagnostic);
}

/* The sample NAME, checked to be a bounce of exactly N records, record i
 * checked against W[i] (a failed check is followed by a line naming the
 * record, the check's own line being in this file).  Returns the
 * mt_bounce (NULL when it could not be read) for the caller's further
 * checks; the caller frees it. */
static inline mt_bounce *
check_sample(const char *name, const want *w, size_t n)
{
	mt_bounce *b = load(name);
	int failed = mt_t_case_failed;
	size_t i;

	CHECK(b != NULL && mt_bounce_is_bounce(b));
	CHECK_INT(b ? mt_bounce_count(b) : 0, n);
	for (i = 0; i < n; i++) {
		failed |= mt_t_case_failed;
		mt_t_case_failed = 0;
		check_record(rec(b, i), &w[i]);
		if (mt_t_case_failed)
			fprintf(stderr, "  (record %zu of %s)\n", i, name);
	}
	mt_t_case_failed |= failed;
	return b;
}

#endif
