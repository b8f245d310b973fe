/* trace_target GOFILE [N]: waits until GOFILE exists (so the tracer can attach first), then N
 * times (default 3) calls bcct_tr_outer(i), which calls bcct_tr_inner(i, tag) and allocates
 * known sizes: 24 bytes 5 times, 200 bytes 3 times, 5000 bytes 2 times (malloc from the static
 * libc of this binary); then opens GOFILE.done and lingers one second. Known functions, arguments, return values and
 * allocation sizes for trace and argdist. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile long sink;

__attribute__((noinline)) long bcct_tr_inner(long i, const char *tag)
{
	asm volatile("" ::: "memory");
	sink += (long)strlen(tag);
	return i * 10 + 7;
}

__attribute__((noinline)) void bcct_tr_outer(long i)
{
	static const size_t sizes[] = { 24, 24, 24, 24, 24, 200, 200, 200, 5000, 5000 };

	sink += bcct_tr_inner(i, "bcct-tag");
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		char *volatile p = malloc(sizes[k]);

		if (p)
			p[0] = 1;
		free(p);
	}
}

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long n = argc > 2 ? atol(argv[2]) : 3;
	char done[4096];
	struct stat st;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: trace_target GOFILE [N]\n");
		return 2;
	}
	while (stat(argv[1], &st))
		nanosleep(&ts, NULL);
	for (long i = 0; i < n; i++)
		bcct_tr_outer(i);
	snprintf(done, sizeof(done), "%s.done", argv[1]);
	fd = open(done, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	/* Linger so a tracer can still read this process's maps for its stacks' symbols. */
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	nanosleep(&ts, NULL);
	return 0;
}
