/* pty_writer PTSFILE GOFILE TEXT...: opens a pseudo-terminal pair, writes the pts's number to
 * PTSFILE, waits for GOFILE (the tracer has attached), then writes each TEXT to the pts: the
 * first with write(2), the rest with one writev(2); the master side is drained so no write
 * blocks, and the terminal is raw so the text arrives as written. For ttysnoop. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include "gofile.h"

int main(int argc, char **argv)
{
	struct iovec iov[16];
	struct termios t;
	char buf[4096];
	int master, slave, n = 0, num;
	FILE *f;

	if (argc < 4)
		return 2;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master) || ioctl(master, TIOCGPTN, &num))
		return perror("ptmx"), 1;
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0)
		return perror("pts"), 1;
	if (!tcgetattr(slave, &t)) {
		cfmakeraw(&t);
		tcsetattr(slave, TCSANOW, &t);
	}
	f = fopen(argv[1], "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", num);
	fclose(f);
	gofile_wait(argv[2]);
	if (write(slave, argv[3], strlen(argv[3])) < 0)
		return 1;
	for (int i = 4; i < argc && n < 16; i++, n++) {
		iov[n].iov_base = argv[i];
		iov[n].iov_len = strlen(argv[i]);
	}
	if (n && writev(slave, iov, n) < 0)
		return 1;
	fcntl(master, F_SETFL, O_NONBLOCK);
	while (read(master, buf, sizeof(buf)) > 0)
		;
	gofile_done(argv[2]);
	return 0;
}
