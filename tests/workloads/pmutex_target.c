// bcct-dynamic-too: build/tests/workloads-dynamic/pmutex_target locks through libc.so.6 (the pthread tools' default library)
/* pmutex_target MODE GOFILE: pthread mutexes with known names, for deadlock, pmlock and pmheld.
 * Waits until GOFILE exists (the tracer has attached), then by MODE:
 *   inversion  thread 1 (made by bcct_pm_spawn_q7) in bcct_pm_lock_ab_q7 locks
 *              bcct_pm_mutex_a_q7, then bcct_pm_mutex_b_q7 while holding it, unlocks both and
 *              is joined; thread 2 in bcct_pm_lock_ba_q7 locks b, then a while holding it. The
 *              threads run one after the other, so the inversion never deadlocks.
 *   contend    5 rounds of: bcct_pm_holder_q7 locks bcct_pm_mutex_c_q7 and holds it 20 ms while
 *              bcct_pm_waiter_q7 (another thread) waits for it in pthread_mutex_lock: 5 waits
 *              and 5 holds of 20-32 ms, the log2 bucket [16777216, 33554431] ns. The threads
 *              hand over with semaphores, which take no pthread mutex.
 * then creates GOFILE.done and stays until GOFILE is removed (gofile.h), so that its symbols
 * are still in /proc/PID when the tracer reports. The mutexes are zero-initialised: they live
 * in .bss, past the file-backed pages. */
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <unistd.h>
#include "gofile.h"

#define ROUNDS 5

pthread_mutex_t bcct_pm_mutex_a_q7 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t bcct_pm_mutex_b_q7 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t bcct_pm_mutex_c_q7 = PTHREAD_MUTEX_INITIALIZER;
static sem_t held, round_done;

__attribute__((noinline)) void *bcct_pm_lock_ab_q7(void *arg)
{
	pthread_mutex_lock(&bcct_pm_mutex_a_q7);
	pthread_mutex_lock(&bcct_pm_mutex_b_q7);
	pthread_mutex_unlock(&bcct_pm_mutex_b_q7);
	pthread_mutex_unlock(&bcct_pm_mutex_a_q7);
	return arg;
}

__attribute__((noinline)) void *bcct_pm_lock_ba_q7(void *arg)
{
	pthread_mutex_lock(&bcct_pm_mutex_b_q7);
	pthread_mutex_lock(&bcct_pm_mutex_a_q7);
	pthread_mutex_unlock(&bcct_pm_mutex_a_q7);
	pthread_mutex_unlock(&bcct_pm_mutex_b_q7);
	return arg;
}

__attribute__((noinline)) void *bcct_pm_waiter_q7(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		sem_wait(&held);
		pthread_mutex_lock(&bcct_pm_mutex_c_q7);   /* the holder sleeps 20 ms with it */
		pthread_mutex_unlock(&bcct_pm_mutex_c_q7);
		sem_post(&round_done);
	}
	return arg;
}

__attribute__((noinline)) void *bcct_pm_holder_q7(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&bcct_pm_mutex_c_q7);
		sem_post(&held);
		sleep_ms(20);
		pthread_mutex_unlock(&bcct_pm_mutex_c_q7);
		sem_wait(&round_done);
	}
	return arg;
}

__attribute__((noinline)) pthread_t bcct_pm_spawn_q7(void *(*fn)(void *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, NULL)) {
		perror("pthread_create");
		_exit(1);
	}
	return t;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "inversion") && strcmp(argv[1], "contend"))) {
		fprintf(stderr, "usage: pmutex_target inversion|contend GOFILE\n");
		return 2;
	}
	sem_init(&held, 0, 0);
	sem_init(&round_done, 0, 0);
	gofile_wait(argv[2]);
	if (!strcmp(argv[1], "inversion")) {
		pthread_join(bcct_pm_spawn_q7(bcct_pm_lock_ab_q7), NULL);
		pthread_join(bcct_pm_spawn_q7(bcct_pm_lock_ba_q7), NULL);
	} else {
		pthread_t w = bcct_pm_spawn_q7(bcct_pm_waiter_q7);

		bcct_pm_holder_q7(NULL);
		pthread_join(w, NULL);
	}
	gofile_done(argv[2]);
	return 0;
}
