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
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One run: its wall time, or a negative number when it could not start. */
static double
run_once(char **argv)
{
	double t0 = seconds();
	pid_t pid;
	int st, fd;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return -1;
	return seconds() - t0;
}

int
main(int argc, char **argv)
{
	double best = -1, t;
	long n, i;
	char *end;

	if (argc < 3 || (n = strtol(argv[1], &end, 10)) < 1 || *end != '\0') {
		fprintf(stderr, "usage: best_of N COMMAND [ARG ...]\n");
		return 64;
	}
	for (i = 0; i < n; i++) {
		if ((t = run_once(argv + 2)) < 0) {
			fprintf(stderr, "best_of: %s: could not run\n",
			    argv[2]);
			return 69;
		}
		if (best < 0 || t < best)
			best = t;
	}
	printf("%.6f\n", best);
	return 0;
}
