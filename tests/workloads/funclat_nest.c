/* funclat_nest GOFILE DEPTH: waits until GOFILE exists, then calls bcct_fl_nest(DEPTH) once:
 * each level sleeps 10 ms and calls the next, so the calls last 10 * DEPTH, ..., 20, 10 ms.
 * For funclatency -l (nested calls of one function). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

__attribute__((noinline)) void bcct_fl_nest(int n)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	while (nanosleep(&ts, &ts))
		;
	if (n > 1)
		bcct_fl_nest(n - 1);
	asm volatile("" ::: "memory");   /* no tail call: every level returns through its caller */
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct stat st;
	int depth;

	if (argc != 3 || (depth = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: funclat_nest GOFILE DEPTH\n");
		return 2;
	}
	while (stat(argv[1], &st))
		nanosleep(&tick, NULL);
	bcct_fl_nest(depth);
	return 0;
}
