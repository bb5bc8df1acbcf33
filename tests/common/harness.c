/* harness.c -- counters and reporting for tests/common/harness.h. */
#include <sys/stat.h>

#include "common/harness.h"

int mt_t_passed, mt_t_failed, mt_t_skipped, mt_t_case_failed;
const char *mt_t_name = "";

void
mt_t_run(const char *name, void (*fn)(void))
{
	mt_t_name = name;
	mt_t_case_failed = 0;
	fn();
	if (mt_t_case_failed) {
		mt_t_failed++;
		fprintf(stderr, "FAIL %s\n", name);
	} else {
		mt_t_passed++;
	}
}

void
mt_t_record(const char *name, int ok, const char *why)
{
	if (ok) {
		mt_t_passed++;
	} else {
		mt_t_failed++;
		fprintf(stderr, "FAIL %s%s%s\n", name, why ? ": " : "", why ? why : "");
	}
}

void
mt_t_skip(const char *name, const char *why)
{
	mt_t_skipped++;
	fprintf(stderr, "SKIP %s: %s\n", name, why);
}

int
mt_t_done(const char *file)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	if (mt_t_skipped)
		printf("%s: %d passed, %d failed, %d skipped\n", base, mt_t_passed,
		    mt_t_failed, mt_t_skipped);
	else
		printf("%s: %d passed, %d failed\n", base, mt_t_passed, mt_t_failed);
	return mt_t_failed ? 1 : 0;
}

const char *
mt_t_shared(void)
{
	static int warned;
	const char *p = getenv("MT_SHARED");
	struct stat st;

	if (p == NULL || *p == '\0')
		p = "../shared";
	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
		return p;
	if (!warned++)
		fprintf(stderr, "NOTE: shared test data not found at %s; "
		    "the suites that need it are SKIPPED, not passed\n", p);
	return NULL;
}
