// bcct-dynamic-too: build/tests/workloads-dynamic/threads calls libc.so.6's pthread_create (threadsnoop)
/* threads N [HOLD_MS [GOFILE]]: starts N threads running bcct_ts_worker_q5, one after another, and
 * joins each; then stays HOLD_MS, so that a tracer printing late can still read its maps to name
 * the start routine. With GOFILE, it first waits until that file exists (a tracer of this PID,
 * uthreads, has attached). */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "gofile.h"

static volatile int sink;

__attribute__((noinline)) void *bcct_ts_worker_q5(void *arg)
{
	sink += (int)(long)arg;
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;

	if (argc > 3)
		gofile_wait(argv[3]);

	for (int i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, bcct_ts_worker_q5, (void *)(long)i) == 0)
			pthread_join(t, NULL);
	}
	if (argc > 2) {
		long ms = atol(argv[2]);
		struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

		nanosleep(&ts, NULL);
	}
	return 0;
}
