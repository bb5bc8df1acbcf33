/*
 * paired.c -- compare two (or more) commands on a noisy machine: run them
 * in turn, N rounds, each round in a rotated order, and print for each the
 * min, first quartile and median of its wall time (fork to exit) and of
 * its CPU time (user + system, from wait4).  Alternating the commands puts
 * each through the same load of the shared machine, so their difference
 * is worth reading where one best-of-N figure of each is not.
 *
 *	paired N CMD_A ... -- CMD_B ... [-- CMD_C ...]
 *
 * Commands are looked up in PATH (execvp, no shell), output to /dev/null.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timed_run.h"

#define CMDS_MAX 8

/* One run of argv: its wall and CPU milliseconds; false when it could
 * not run or did not exit 0. */
static bool
run(char **argv, double *wall, double *cpu)
{
	int status;

	return timed_run(argv, wall, cpu, &status) && status == 0;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static void
report(char name, double *wall, double *cpu, size_t n)
{
	qsort(wall, n, sizeof(*wall), cmp_double);
	qsort(cpu, n, sizeof(*cpu), cmp_double);
	printf("%c: wall min %.2f p25 %.2f median %.2f ms | "
	    "cpu min %.2f p25 %.2f median %.2f ms\n", name, wall[0],
	    wall[n / 4], wall[n / 2], cpu[0], cpu[n / 4], cpu[n / 2]);
}

int
main(int argc, char **argv)
{
	char **cmd[CMDS_MAX];
	double *wall[CMDS_MAX], *cpu[CMDS_MAX], w, c;
	size_t ncmd = 0, rounds, r, k, i;
	int a;

	if (argc < 3 || (rounds = strtoul(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: paired N CMD_A ... -- CMD_B ...\n");
		return 64;
	}
	cmd[ncmd++] = argv + 2;
	for (a = 2; a < argc; a++) {
		if (strcmp(argv[a], "--") != 0)
			continue;
		argv[a] = NULL;
		if (ncmd == CMDS_MAX || a + 1 >= argc) {
			fprintf(stderr, "paired: at most %d commands, none "
			    "empty\n", CMDS_MAX);
			return 64;
		}
		cmd[ncmd++] = argv + a + 1;
	}
	for (k = 0; k < ncmd; k++) {
		wall[k] = calloc(rounds, sizeof(double));
		cpu[k] = calloc(rounds, sizeof(double));
		if (wall[k] == NULL || cpu[k] == NULL)
			return 70;
		/* a first run each, not counted: caches, page cache */
		if (!run(cmd[k], &w, &c)) {
			fprintf(stderr, "paired: %s failed\n", cmd[k][0]);
			return 70;
		}
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < ncmd; i++) {
			k = (i + r) % ncmd;
			if (!run(cmd[k], &wall[k][r], &cpu[k][r])) {
				fprintf(stderr, "paired: %s failed\n",
				    cmd[k][0]);
				return 70;
			}
		}
	}
	for (k = 0; k < ncmd; k++) {
		report((char)('A' + k), wall[k], cpu[k], rounds);
		free(wall[k]);
		free(cpu[k]);
	}
	return 0;
}
