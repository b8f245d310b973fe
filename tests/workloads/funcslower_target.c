/* funcslower_target GOFILE NSLOW NFAST: waits until GOFILE exists (so the tracer can attach
 * first), then calls bcct_fs_work(50, 0xbeef, 7) NSLOW times and bcct_fs_work(5, 0xf00d, 3)
 * NFAST times: a function with known arguments, durations (50 ms and 5 ms sleeps) and return
 * value (ms + tag + extra), interleaved slow and fast. Then creates GOFILE.done and waits until
 * GOFILE is removed (at most 60 s), so that its symbols are there when the tracer prints user
 * stacks. For funcslower. */
#include <stdio.h>
#include <stdlib.h>
#include "gofile.h"

__attribute__((noinline)) long bcct_fs_work(long ms, long tag, long extra)
{
	sleep_ms(ms);
	return ms + tag + extra;
}

__attribute__((noinline)) long bcct_fs_caller(long ms, long tag, long extra)
{
	return bcct_fs_work(ms, tag, extra) + 1;
}

int main(int argc, char **argv)
{
	long nslow, nfast;

	if (argc != 4 || (nslow = atol(argv[2])) < 0 || (nfast = atol(argv[3])) < 0) {
		fprintf(stderr, "usage: funcslower_target GOFILE NSLOW NFAST\n");
		return 2;
	}
	gofile_wait(argv[1]);
	for (long i = 0; i < nslow || i < nfast; i++) {
		if (i < nslow)
			bcct_fs_caller(50, 0xbeef, 7);
		if (i < nfast)
			bcct_fs_caller(5, 0xf00d, 3);
	}
	gofile_done(argv[1]);
	return 0;
}
