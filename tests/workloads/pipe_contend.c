/* pipe_contend SECONDS [THREADS]: threads (default 4) writing to one pipe and reading it back
 * at once, so that its mutex (pipe->mutex, a kernel mutex) is contended: klockstat's workload.
 * Each write and read is a syscall of its own. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static double end;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *churn(void *arg)
{
	char buf[512] = { 0 };

	(void)arg;
	while (now() < end)
		if (write(fds[1], buf, sizeof(buf)) != sizeof(buf) || read(fds[0], buf, sizeof(buf)) <= 0)
			break;
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 4;
	pthread_t t[64];

	end = now() + (argc > 1 ? atof(argv[1]) : 2);
	if (n < 1 || n > 64 || pipe(fds))
		return 1;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, churn, NULL))
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
