/*
 * spf_rows.h -- what the two C drivers of the SPF benchmark (spf_bench.c,
 * spf_libspf2.c) share: the input lines and the clock.  Header-only and
 * static: each driver is one C file built on its own (bench/Makefile).
 *
 * An input line (bench/spf_inputs.txt) is "DOMAIN IP SENDER HELO EXPECTED",
 * '#' starts a comment; a line without all five words is passed over.  The
 * rows live in the caller's fixed array, each field at most FIELD - 1 bytes.
 */
#ifndef MT_BENCH_SPF_ROWS_H
#define MT_BENCH_SPF_ROWS_H

#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_ROWS 64
#define FIELD 256

struct row {
	char domain[FIELD];
	char ip[FIELD];
	char sender[FIELD];
	char helo[FIELD];
};

/* At most max rows of path; -1 (said on stderr as prog) when it cannot be
 * read or holds none. */
static int
read_inputs(const char *prog, const char *path, struct row *rows, size_t max,
    size_t *nrows)
{
	char line[1024], expect[FIELD];
	FILE *f;
	size_t n = 0;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		return -1;
	}
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		char *hash = strchr(line, '#');

		if (hash != NULL)
			*hash = '\0';
		if (sscanf(line, "%255s %255s %255s %255s %255s",
		    rows[n].domain, rows[n].ip, rows[n].sender, rows[n].helo,
		    expect) == 5)
			n++;
	}
	fclose(f);
	*nrows = n;
	if (n == 0) {
		fprintf(stderr, "%s: %s: no input lines\n", prog, path);
		return -1;
	}
	return 0;
}

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
