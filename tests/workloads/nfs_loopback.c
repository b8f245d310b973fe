/* nfs_loopback: an NFSv4 mount of a local directory through the kernel's own NFS server, with
 * no NFS user space at all (the VM guests have none: no rpc.nfsd, exportfs, rpc.mountd or
 * mount.nfs4), so nfsslower/nfsdist can be tested on a real NFS client.
 *
 *   nfs_loopback start EXPORT MOUNTPOINT   # EXPORT: a tmpfs or other exportable mount
 *   nfs_loopback stop MOUNTPOINT
 *
 * start: mounts the nfsd file system, enables NFSv4 only (no rpcbind is needed for it), shortens
 * the lease and grace times to the minimum (and ends the grace at once where the kernel can), listens on TCP 2049 with two server threads, fills
 * the export caches that rpc.mountd would fill on request (client 127.0.0.1 in domain "bcct",
 * EXPORT as fsid 0, the NFSv4 root), mounts 127.0.0.1:/ on MOUNTPOINT with mount(2) and waits
 * until the server's grace period lets a file be created. Nothing waits on a cache upcall: with
 * no reader on a cache channel the kernel answers a miss at once.
 * stop: unmounts MOUNTPOINT and stops the server threads.
 * Exits 0 on success; 1 with one line naming the step that failed; 77 when the kernel has no
 * NFS server or client (the caller skips). Every wait is bounded. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_NO_NFS 77
#define CACHE_EXPIRY "2147483647"       /* seconds since the epoch: never, until 2038 */
#define DOMAIN "bcct"
/* NFSEXP_INSECURE_PORT | NFSEXP_NOSUBTREECHECK | NFSEXP_FSID (include/uapi/linux/nfsd/export.h):
 * rw, no root squash, fsid given. */
#define EXPORT_FLAGS (0x0002 | 0x0400 | 0x2000)

static int put(const char *path, const char *text, int quiet)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = write(fd, text, strlen(text));
		close(fd);
	}
	if (n != (ssize_t)strlen(text)) {
		if (!quiet)
			fprintf(stderr, "nfs_loopback: writing '%.*s' to %s: %s\n",
				(int)strcspn(text, "\n"), text, path, strerror(errno));
		return -1;
	}
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "nfs_loopback: timed out (the NFS server did not answer)\n";
	if (write(2, msg, sizeof(msg) - 1) < 0) {}
	_exit(1);
}

static int start(const char *export, const char *mnt)
{
	static const char *const versions[] = { "-2\n", "-3\n", "+4\n", "+4.1\n", "+4.2\n" };
	char line[4200], probe[4200];
	const char *vers[] = { "vers=4.2", "vers=4.1", "vers=4.0" };
	int fd = -1;

	if (strlen(export) > 4000 || strlen(mnt) > 4000 || strpbrk(export, " \t\n\\")) {
		fprintf(stderr, "nfs_loopback: export path too long or with blanks\n");
		return 1;
	}
	if (mount("nfsd", "/proc/fs/nfsd", "nfsd", 0, NULL) && errno != EBUSY) {
		fprintf(stderr, "nfs_loopback: no NFS server in this kernel (mount nfsd: %s)\n",
			strerror(errno));
		return errno == ENODEV ? EXIT_NO_NFS : 1;
	}
	/* Before any thread runs: versions, lease and grace are fixed while the server is up. Each
	 * write ends with a newline: the versions parser drops a last token without one. */
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		put("/proc/fs/nfsd/versions", versions[i], 1);   /* a version the kernel lacks: fine */
	/* The server keeps client records for reboot recovery in a directory: one beside EXPORT
	 * instead of /var/lib/nfs/v4recovery, which a machine without NFS user space lacks. */
	snprintf(line, sizeof(line), "%s.v4recovery", export);
	mkdir(line, 0700);
	strcat(line, "\n");
	put("/proc/fs/nfsd/nfsv4recoverydir", line, 1);
	put("/proc/fs/nfsd/nfsv4leasetime", "10\n", 1);
	put("/proc/fs/nfsd/nfsv4gracetime", "10\n", 1);
	if (put("/proc/fs/nfsd/portlist", "tcp 2049\n", 0) && errno != EADDRINUSE)
		return 1;
	if (put("/proc/fs/nfsd/threads", "2\n", 0))
		return 1;
	put("/proc/fs/nfsd/v4_end_grace", "Y\n", 1);   /* no client to wait for (4.19+) */
	if (put("/proc/net/rpc/auth.unix.ip/channel", "nfsd 127.0.0.1 " CACHE_EXPIRY " " DOMAIN "\n", 0))
		return 1;
	/* client path expiry flags anonuid anongid fsid */
	snprintf(line, sizeof(line), DOMAIN " %s " CACHE_EXPIRY " %d 65534 65534 0\n", export,
		 EXPORT_FLAGS);
	if (put("/proc/net/rpc/nfsd.export/channel", line, 0))
		return 1;
	/* client fsidtype fsid expiry path: type 1 (FSID_NUM), fsid 0 as four bytes in hex, the
	 * NFSv4 pseudo-root. */
	snprintf(line, sizeof(line), DOMAIN " 1 \\x00000000 " CACHE_EXPIRY " %s\n", export);
	if (put("/proc/net/rpc/nfsd.fh/channel", line, 0))
		return 1;

	signal(SIGALRM, on_alarm);
	alarm(60);
	mkdir(mnt, 0755);
	for (size_t i = 0;; i++) {
		snprintf(line, sizeof(line), "%s,addr=127.0.0.1,clientaddr=127.0.0.1,proto=tcp,port=2049",
			 vers[i]);
		if (!mount("127.0.0.1:/", mnt, "nfs4", 0, line))
			break;
		if (errno == ENODEV) {
			fprintf(stderr, "nfs_loopback: no NFSv4 client in this kernel\n");
			return EXIT_NO_NFS;
		}
		if (i + 1 == sizeof(vers) / sizeof(vers[0])) {
			fprintf(stderr, "nfs_loopback: mount 127.0.0.1:/ on %s: %s\n", mnt, strerror(errno));
			return 1;
		}
	}
	/* The client retries OPENs refused during the server's grace period: this create returns
	 * when the grace has ended, so the caller's own operations are not held up by it. */
	snprintf(probe, sizeof(probe), "%s/.nfs_loopback_ready", mnt);
	fd = open(probe, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "nfs_loopback: creating a file on the mount: %s\n", strerror(errno));
		umount2(mnt, MNT_DETACH);
		return 1;
	}
	close(fd);
	unlink(probe);
	alarm(0);
	return 0;
}

static int stop(const char *mnt)
{
	signal(SIGALRM, on_alarm);
	alarm(30);
	if (umount2(mnt, 0) && umount2(mnt, MNT_FORCE) && umount2(mnt, MNT_DETACH) && errno != EINVAL)
		fprintf(stderr, "nfs_loopback: umount %s: %s\n", mnt, strerror(errno));
	return put("/proc/fs/nfsd/threads", "0\n", 0) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "start"))
		return start(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "stop"))
		return stop(argv[2]);
	fprintf(stderr, "usage: nfs_loopback start EXPORT MOUNTPOINT | stop MOUNTPOINT\n");
	return 2;
}
