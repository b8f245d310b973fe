/* inject_getcwd CALLS SIZE: CALLS raw getcwd(buf, SIZE) syscalls, each of which allocates one
 * path buffer from the names_cache slab (__getname: one should_failslab call with
 * s->object_size 4096), then prints "getcwd size=SIZE calls=CALLS enomem=N", N the calls that
 * failed with ENOMEM (an inject chain overriding should_failslab). SIZE is the marker an inject
 * predicate matches on; it must hold the working directory (run from "/"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[8192];
	long calls, size, enomem = 0;

	if (argc != 3 || (calls = atol(argv[1])) <= 0 || (size = atol(argv[2])) <= 0 ||
	    size > (long)sizeof(buf)) {
		fprintf(stderr, "usage: inject_getcwd CALLS SIZE (1..%zu)\n", sizeof(buf));
		return 2;
	}
	for (long i = 0; i < calls; i++)
		if (syscall(SYS_getcwd, buf, size) < 0) {
			if (errno != ENOMEM) {
				perror("getcwd");
				return 1;
			}
			enomem++;
		}
	printf("getcwd size=%ld calls=%ld enomem=%ld\n", size, calls, enomem);
	return 0;
}
