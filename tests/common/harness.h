/*
 * harness.h -- the unit-test harness.
 *
 * A test file defines TEST(name) functions and a main() that calls
 * RUN(name) for each and returns DONE().  A test fails when any CHECK in it
 * fails; each binary ends with "<binary>: N passed, N failed", and
 * tests/run.sh adds the binaries up into the final line.
 */
#ifndef MT_TEST_HARNESS_H
#define MT_TEST_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int mt_t_passed, mt_t_failed, mt_t_skipped, mt_t_case_failed;
extern const char *mt_t_name;

#define TEST(name) static void name(void)

#define CHECK(cond) do {                                                    \
	if (!(cond)) {                                                      \
		fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__,  \
		    __LINE__, mt_t_name, #cond);                            \
		mt_t_case_failed = 1;                                       \
	}                                                                   \
} while (0)

#define CHECK_STR(got, want) do {                                           \
	const char *g_ = (got), *w_ = (want);                               \
	if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) {    \
		fprintf(stderr, "%s:%d: %s: %s is \"%s\", want \"%s\"\n",   \
		    __FILE__, __LINE__, mt_t_name, #got,                    \
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                \
		mt_t_case_failed = 1;                                       \
	}                                                                   \
} while (0)

#define CHECK_INT(got, want) do {                                           \
	long long g_ = (long long)(got), w_ = (long long)(want);            \
	if (g_ != w_) {                                                     \
		fprintf(stderr, "%s:%d: %s: %s is %lld, want %lld\n",       \
		    __FILE__, __LINE__, mt_t_name, #got, g_, w_);           \
		mt_t_case_failed = 1;                                       \
	}                                                                   \
} while (0)

#define RUN(fn) mt_t_run(#fn, fn)

/* Record the outcome of one externally driven case (conformance suites). */
void mt_t_record(const char *name, int ok, const char *why);
void mt_t_run(const char *name, void (*fn)(void));
/* A case that could not run (say why); counted apart, never as passed. */
void mt_t_skip(const char *name, const char *why);
int mt_t_done(const char *binary);
#define DONE() mt_t_done(__FILE__)

/* A small deterministic generator for random-input tests (xorshift32):
 * the same cases on every run for the same seed in *state (not 0). */
static inline uint32_t
mt_t_xorshift(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* The shared test data folder (MT_SHARED, default ../shared), or NULL with
 * a clear message when it is absent. */
const char *mt_t_shared(void);

#endif
