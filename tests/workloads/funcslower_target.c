/* funcslower_target GOFILE NSLOW NFAST: waits until GOFILE exists (so the tracer can attach
 * first), then calls bcct_fs_work(50, 0xbeef, 7) NSLOW times and bcct_fs_work(5, 0xf00d, 3)
 * NFAST times: a function with known arguments, durations (50 ms and 5 ms sleeps) and return
 * value (ms + tag + extra), interleaved slow and fast. Then creates GOFILE.done and waits until
 * GOFILE is removed (at most 60 s), so that its symbols are there when the tracer prints user
 * stacks. For funcslower. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	/* Restarted on EINTR so the latency is at least ms. */
	while (nanosleep(&ts, &ts))
		;
}

__attribute__((noinline)) long bcct_fs_work(long ms, long tag, long extra)
{
	sleep_ms(ms);
	return ms + tag + extra;
}

__attribute__((noinline)) long bcct_fs_caller(long ms, long tag, long extra)
{
	return bcct_fs_work(ms, tag, extra) + 1;
}

/* Creates GOFILE.done: the calls are made. */
static void done(const char *go)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.done", go);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	struct stat st;
	long nslow, nfast;

	if (argc != 4 || (nslow = atol(argv[2])) < 0 || (nfast = atol(argv[3])) < 0) {
		fprintf(stderr, "usage: funcslower_target GOFILE NSLOW NFAST\n");
		return 2;
	}
	while (stat(argv[1], &st))
		sleep_ms(10);
	for (long i = 0; i < nslow || i < nfast; i++) {
		if (i < nslow)
			bcct_fs_caller(50, 0xbeef, 7);
		if (i < nfast)
			bcct_fs_caller(5, 0xf00d, 3);
	}
	done(argv[1]);
	for (int i = 0; i < 6000 && !stat(argv[1], &st); i++)
		sleep_ms(10);
	return 0;
}
