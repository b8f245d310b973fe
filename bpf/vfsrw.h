/* vfsrw: the VFS read/write counters of the book's file-system chapter (vfssize, writesync,
 * filetype, fsrwstat), one BPF object whose key the applet composes; types shared with user
 * space. */
#ifndef BCCT_VFSRW_H
#define BCCT_VFSRW_H
#include "fs.h"

/* The VFS function a call reaches (kprobes: the one probed; fallback: the syscall's). */
#define VFSRW_READ 0            /* vfs_read: read, pread64 */
#define VFSRW_READV 1           /* vfs_readv: readv, preadv, preadv2 */
#define VFSRW_WRITE 2           /* vfs_write: write, pwrite64 */
#define VFSRW_WRITEV 3          /* vfs_writev: writev, pwritev, pwritev2 */
#define VFSRW_FUNCS 4

/* What the key holds (vfsrw_keys, a mask); the other fields stay zero. */
#define VFSRW_K_FUNC (1u << 0)
#define VFSRW_K_FTYPE (1u << 1)         /* i_mode & S_IFMT */
#define VFSRW_K_SYNC (1u << 2)          /* the file was opened O_DSYNC (or O_SYNC) */
#define VFSRW_K_COMM (1u << 3)
#define VFSRW_K_NAME (1u << 4)          /* the file's name; "FIFO" for a FIFO with VFSRW_K_FIFO */
#define VFSRW_K_FIFO (1u << 5)
#define VFSRW_K_FSTYPE (1u << 6)        /* the file system's type name, in name */

/* The applet's choices, one .rodata struct (core/family/fs.h fs_vfsrw_configure fills it). */
struct vfsrw_config {
	unsigned int keys;              /* VFSRW_K_* */
	unsigned int self;              /* bcct's pid: its writes to its output are not counted */
	_Bool writes_only;
	_Bool regular_only;
	_Bool sizes;                    /* histogram of returned sizes (vfssize), else counts */
};

struct vfsrw_key {
	unsigned int func;
	unsigned int ftype;
	unsigned int sync;
	unsigned int pad;
	char comm[16];
	char name[FS_NAME_LEN];
};
#endif
