/*
 * best_of.c -- the best wall-clock time of N runs of a command, whole
 * process (fork to exit), its output thrown away.
 *
 *	best_of N COMMAND [ARG ...]     (prints seconds, e.g. 0.024518)
 *
 * bench/bounce.sh timed runs with `date` before and after, which adds the
 * start-up of a second `date` and a subshell to every figure: about 2.5 ms
 * here, a tenth of a corpus pass.  This times the command alone, the same
 * way for every tool of the comparison.
 */
#include <stdio.h>
#include <stdlib.h>

#include "timed_run.h"

int
main(int argc, char **argv)
{
	double best = -1, t, cpu;
	long n, i;
	char *end;
	int status;

	if (argc < 3 || (n = strtol(argv[1], &end, 10)) < 1 || *end != '\0') {
		fprintf(stderr, "usage: best_of N COMMAND [ARG ...]\n");
		return 64;
	}
	for (i = 0; i < n; i++) {
		if (!timed_run(argv + 2, &t, &cpu, &status)) {
			fprintf(stderr, "best_of: %s: could not run\n",
			    argv[2]);
			return 69;
		}
		if (best < 0 || t < best)
			best = t;
	}
	printf("%.6f\n", best / 1e3);
	return 0;
}
