/* newmount DIR: mounts a tmpfs on DIR with the new mount API (fsopen, fsconfig with a string
 * option, fsconfig create, fsmount, move_mount), makes it read-only with mount_setattr, then
 * unmounts it; for mountsnoop's test. Raw syscalls: Debian 12's libc has no wrappers. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fsopen
#define SYS_open_tree 428
#define SYS_move_mount 429
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

struct attr { uint64_t set, clr, propagation, userns_fd; };

int main(int argc, char **argv)
{
	int fs, mnt;
	struct attr ro = { .set = 1 };   /* MOUNT_ATTR_RDONLY */

	if (argc != 2)
		return 2;
	fs = syscall(SYS_fsopen, "tmpfs", 1);                       /* FSOPEN_CLOEXEC */
	if (fs < 0 || syscall(SYS_fsconfig, fs, 1, "size", "1m", 0) < 0 ||   /* SET_STRING */
	    syscall(SYS_fsconfig, fs, 6, NULL, NULL, 0) < 0) {      /* CMD_CREATE */
		perror("fsopen/fsconfig");
		return 1;
	}
	mnt = syscall(SYS_fsmount, fs, 1, 0);                       /* FSMOUNT_CLOEXEC */
	if (mnt < 0 || syscall(SYS_move_mount, mnt, "", -100, argv[1], 4) < 0) { /* F_EMPTY_PATH */
		perror("fsmount/move_mount");
		return 1;
	}
	if (syscall(SYS_mount_setattr, -100, argv[1], 0, &ro, sizeof(ro)) < 0)
		perror("mount_setattr");
	close(mnt);
	close(fs);
	return umount2(argv[1], 0) < 0;
}
