/* eperm_denied open PATH N | kill PID N: become the user and group nobody (65534), then try N
 * times what that user may not do: open PATH read-only (EACCES on a root file of mode 0600), or
 * signal PID with signal 0 (EPERM on another user's process). The failures are the point and
 * are ignored; exits 1 only when the privileges cannot be dropped or a call unexpectedly works.
 * Copied under a marker name it gives eperm known process names and counts. It drops the
 * privileges itself: the VM guests' busybox setpriv cannot change user. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOBODY 65534

int main(int argc, char **argv)
{
	long n;

	if (argc != 4 || (strcmp(argv[1], "open") && strcmp(argv[1], "kill"))) {
		fprintf(stderr, "usage: eperm_denied open PATH N | kill PID N\n");
		return 2;
	}
	n = atol(argv[3]);
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)) {
		perror("eperm_denied: dropping privileges");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (!strcmp(argv[1], "open")) {
			int fd = open(argv[2], O_RDONLY);

			if (fd >= 0) {
				fprintf(stderr, "eperm_denied: %s opened\n", argv[2]);
				return 1;
			}
		} else if (!kill(atoi(argv[2]), 0)) {
			fprintf(stderr, "eperm_denied: kill %s worked\n", argv[2]);
			return 1;
		}
	}
	return 0;
}
