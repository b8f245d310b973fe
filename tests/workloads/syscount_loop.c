/* syscount_loop GOFILE COUNT: waits until GOFILE exists (so the tracer can attach first), then
 * makes COUNT getppid() calls and COUNT fchdir(-1) calls, which fail with EBADF: two syscalls
 * few other programs make, with known counts. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void wait_for(const char *path)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat st;

	while (stat(path, &st))
		nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	long count;

	if (argc != 3 || (count = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: syscount_loop GOFILE COUNT\n");
		return 2;
	}
	wait_for(argv[1]);
	/* syscall() so that no libc caching can skip the kernel. */
	for (long i = 0; i < count; i++)
		syscall(SYS_getppid);
	for (long i = 0; i < count; i++)
		syscall(SYS_fchdir, -1);
	return 0;
}
