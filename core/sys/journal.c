/* The systemd journal's native protocol (systemd's "Native Journal Protocol"): one datagram to
 * /run/systemd/journal/socket, each field as NAME, '\n', its length as 64-bit little-endian, the
 * bytes, '\n'. That binary form carries any byte (a comm may hold a newline) and needs no
 * library: the binary is static and libsystemd is not linked. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "core/sys/sys.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_MAX 8192        /* far above what a tool's fields take; a datagram stays small */

static _Thread_local int journal_fd = -1;

int sys_journal_open(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };

	if (journal_fd >= 0)
		return 0;
	journal_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (journal_fd < 0)
		return -errno;
	if (connect(journal_fd, (struct sockaddr *)&a, sizeof(a))) {
		int err = -errno;

		close(journal_fd);
		journal_fd = -1;
		return err;
	}
	return 0;
}

int sys_journal_send(const char *const *fields, int n)
{
	char buf[JOURNAL_MAX];
	size_t used = 0;

	if (journal_fd < 0)
		return -ENOTCONN;
	for (int i = 0; i + 1 < n; i += 2) {
		size_t klen = strlen(fields[i]), vlen = strlen(fields[i + 1]);
		uint64_t le = vlen;

		if (used + klen + 1 + 8 + vlen + 1 > sizeof(buf))
			return -E2BIG;
		memcpy(buf + used, fields[i], klen);
		used += klen;
		buf[used++] = '\n';
		for (int b = 0; b < 8; b++, le >>= 8)
			buf[used++] = le & 0xff;
		memcpy(buf + used, fields[i + 1], vlen);
		used += vlen;
		buf[used++] = '\n';
	}
	/* Non-blocking: a journal that does not keep up loses entries, the tracing goes on. */
	return send(journal_fd, buf, used, MSG_NOSIGNAL) < 0 ? -errno : 0;
}
