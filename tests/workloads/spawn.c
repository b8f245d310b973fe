/* spawn [-u UID] PROG [ARGS...]: exec PROG, as UID (and GID = UID, no supplementary groups) when
 * -u is given. Copied under a marker name, it makes exec calls whose caller has a known comm;
 * -u stands in for setpriv, which busybox (the VM guests) lacks. */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 1;

	if (argc > 3 && argv[1][0] == '-' && argv[1][1] == 'u' && !argv[1][2]) {
		uid_t id = (uid_t)strtoul(argv[2], NULL, 10);

		if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
			perror("spawn: -u");
			return 126;
		}
		i = 3;
	}
	if (argc <= i) {
		fprintf(stderr, "usage: spawn [-u UID] PROG [ARGS...]\n");
		return 2;
	}
	execv(argv[i], argv + i);
	perror(argv[i]);
	return 127;
}
