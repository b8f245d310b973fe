/* spawn PROG [ARGS...]: exec PROG. Copied under a marker name, it makes exec calls whose caller
 * has a known comm. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: spawn PROG [ARGS...]\n");
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
