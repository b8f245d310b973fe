/* The handshake of the workloads that live tests trace by their functions (stackcount_target,
 * funcslower_target, ustack_entry): the test starts the workload, attaches the tracer, creates
 * GOFILE; the workload then makes its calls, creates GOFILE.done and stays until the test
 * removes GOFILE (at most 60 s), so that its symbols are still in /proc/PID when the tracer
 * prints user stacks. */
#ifndef BCCT_WORKLOAD_GOFILE_H
#define BCCT_WORKLOAD_GOFILE_H
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

/* Sleeps at least ms milliseconds (restarted on EINTR: timed calls are never shorter). */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

/* Waits until GOFILE exists: the tracer has attached. */
static void gofile_wait(const char *go)
{
	struct stat st;

	while (stat(go, &st))
		sleep_ms(10);
}

/* Creates GOFILE.done (the calls are made), then waits until GOFILE is gone, 60 s at most. */
static void gofile_done(const char *go)
{
	char path[4096];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s.done", go);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	for (int i = 0; i < 6000 && !stat(go, &st); i++)
		sleep_ms(10);
}
#endif
