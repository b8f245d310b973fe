/* oom_hog MB: touches MB mebibytes, one at a time (each page written, so it is resident), then
 * exits 0. Run in a memory cgroup with a smaller limit, the OOM killer ends it first. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	long mb = argc > 1 ? atol(argv[1]) : 256;

	for (long i = 0; i < mb; i++) {
		char *p = malloc(1 << 20);

		if (!p)
			return 1;
		memset(p, 0x5a, 1 << 20);
	}
	return 0;
}
