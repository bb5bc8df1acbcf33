/*
 * timed_run.h -- one run of a command, timed from fork to exit, its output
 * thrown away: what bench/best_of.c and bench/paired.c both measure.  A
 * header of static functions, so that each stays one file to compile.
 */
#ifndef MT_BENCH_TIMED_RUN_H
#define MT_BENCH_TIMED_RUN_H

#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

/*
 * Run argv (looked up in PATH) with stdout and stderr to /dev/null.  On
 * return *wall_ms is its wall time and *cpu_ms its user + system time
 * (from wait4), *status its exit status (-1 when it did not exit).  False
 * when it could not be started (fork failed, or exit 127: no such
 * command).
 */
static bool
timed_run(char **argv, double *wall_ms, double *cpu_ms, int *status)
{
	struct timespec a, b;
	struct rusage ru;
	pid_t pid;
	int st, fd;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((pid = fork()) < 0)
		return false;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return false;
	clock_gettime(CLOCK_MONOTONIC, &b);
	*wall_ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return *status != 127;
}

#endif
