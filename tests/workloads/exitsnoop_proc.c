/* exitsnoop_proc SECONDS CODE: sleep, then exit with CODE. Copied under a marker name it is a
 * process with a known comm that exits (or waits to be signalled) on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	double secs;

	if (argc != 3) {
		fprintf(stderr, "usage: exitsnoop_proc SECONDS CODE\n");
		return 2;
	}
	secs = atof(argv[1]);
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts))
		;
	return atoi(argv[2]);
}
