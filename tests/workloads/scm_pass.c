/* scm_pass FILE: passes descriptors over a Unix socketpair (SCM_RIGHTS), for sofdsnoop's test.
 * FILE is opened twice and both descriptors go in one sendmsg on socket S (sv[0]), received
 * with recvmsg on socket R (sv[1]); then one sendmmsg of two messages, each carrying the first
 * descriptor, received with one recvmmsg. Prints "S R A B C D E F": the two sockets, the two
 * descriptors sent, the two recvmsg received, the two recvmmsg received; then keeps every
 * descriptor open for a second, so the tracer can name them through /proc. Exits 1 when a
 * step fails. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NFD 2

/* A msghdr with one byte of data and an SCM_RIGHTS message of n descriptors in ctl. */
static void message(struct msghdr *m, struct iovec *iov, char *byte, char *ctl, size_t ctllen,
		    const int *fds, int n)
{
	memset(m, 0, sizeof(*m));
	iov->iov_base = byte;
	iov->iov_len = 1;
	m->msg_iov = iov;
	m->msg_iovlen = 1;
	m->msg_control = ctl;
	m->msg_controllen = ctllen;
	if (fds) {
		struct cmsghdr *c = CMSG_FIRSTHDR(m);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(c), fds, n * sizeof(int));
		m->msg_controllen = CMSG_SPACE(n * sizeof(int));
	}
}

static int first_fd(struct msghdr *m)
{
	struct cmsghdr *c = CMSG_FIRSTHDR(m);
	int fd;

	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

int main(int argc, char **argv)
{
	union { char buf[CMSG_SPACE(NFD * sizeof(int))]; struct cmsghdr align; } ctl[2];
	struct mmsghdr mm[2];
	struct iovec iov[2];
	char byte[2] = "xy";
	int sv[2], fds[NFD], got[NFD], mgot[2];
	struct msghdr m;
	struct cmsghdr *c;

	if (argc != 2 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 1;
	for (int i = 0; i < NFD; i++)
		if ((fds[i] = open(argv[1], O_RDONLY)) < 0)
			return 1;

	message(&m, &iov[0], &byte[0], ctl[0].buf, sizeof(ctl[0].buf), fds, NFD);
	if (sendmsg(sv[0], &m, 0) != 1)
		return 1;
	message(&m, &iov[0], &byte[0], ctl[0].buf, sizeof(ctl[0].buf), NULL, 0);
	if (recvmsg(sv[1], &m, 0) != 1 || !(c = CMSG_FIRSTHDR(&m)) ||
	    c->cmsg_len != CMSG_LEN(NFD * sizeof(int)))
		return 1;
	memcpy(got, CMSG_DATA(c), sizeof(got));

	for (int i = 0; i < 2; i++)
		message(&mm[i].msg_hdr, &iov[i], &byte[i], ctl[i].buf, sizeof(ctl[i].buf), fds, 1);
	if (sendmmsg(sv[0], mm, 2, 0) != 2)
		return 1;
	for (int i = 0; i < 2; i++)
		message(&mm[i].msg_hdr, &iov[i], &byte[i], ctl[i].buf, sizeof(ctl[i].buf), NULL, 0);
	if (recvmmsg(sv[1], mm, 2, 0, NULL) != 2)
		return 1;
	for (int i = 0; i < 2; i++)
		if ((mgot[i] = first_fd(&mm[i].msg_hdr)) < 0)
			return 1;

	printf("%d %d %d %d %d %d %d %d\n", sv[0], sv[1], fds[0], fds[1], got[0], got[1], mgot[0],
	       mgot[1]);
	fflush(stdout);
	sleep(1);
	return 0;
}
