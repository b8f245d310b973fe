/* callstorm SECONDS: calls bcct_storm_call() in a tight loop for SECONDS, a storm of uprobe hits
 * (tests/live/core_storm_exit.sh: a consumer that cannot keep up must still stop on Ctrl-C). */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) unsigned long bcct_storm_call(unsigned long i)
{
	asm volatile("" ::: "memory");
	return sink += i;
}

int main(int argc, char **argv)
{
	time_t end = time(NULL) + (argc > 1 ? atoi(argv[1]) : 5);

	while (time(NULL) < end)
		for (unsigned long i = 0; i < 100000; i++)
			bcct_storm_call(i);
	return 0;
}
