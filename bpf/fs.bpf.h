/* File-system family, BPF side: from a syscall's fd to its struct file (the fallback every
 * file tool takes when it cannot probe VFS or file-system functions: syscall tracepoints plus
 * this), and from a struct file to what the tools print or filter on: the name (d_name), the
 * path (bounded parent walk across mounts), the superblock's file-system type and magic, the
 * inode number and device. Tools: opensnoop -F, fileslower, filetop, filelife, vfssize,
 * fsrwstat, scread, mmapfiles, and the fsslower/fsdist families (which filter fds on the
 * superblock magic from core/family/fs.h's table). Include after bcct.bpf.h; every helper takes
 * NULL and then returns 0 or an empty string. */
#ifndef BCCT_FS_BPF_H
#define BCCT_FS_BPF_H
#include "fs.h"

/* The current task's open file for fd, NULL when fd is not open. For syscall tracepoints,
 * which see only the fd; the table is read without the fdtable lock, as in any tracer, so a
 * racing close can hand back a file being torn down (its fields read as garbage, never
 * unsafely: every read goes through probe-read helpers). */
static __always_inline struct file *fs_fd_file(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *f = NULL;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_core_read(&f, sizeof(f), &fds[fd]);
	return f;
}

/* The file's last path component (dentry d_name) into buf, NUL-terminated; its length with the
 * NUL, or <= 0. */
static __always_inline long fs_file_name(const struct file *f, char *buf, unsigned int len)
{
	const unsigned char *name = BPF_CORE_READ(f, f_path.dentry, d_name.name);

	buf[0] = 0;
	return name ? bpf_probe_read_kernel_str(buf, len, name) : 0;
}

/* The file system's type name ("ext4", "xfs", "tmpfs", ...: s_type->name) into buf. */
static __always_inline long fs_file_type_name(const struct file *f, char *buf, unsigned int len)
{
	const char *name = BPF_CORE_READ(f, f_inode, i_sb, s_type, name);

	buf[0] = 0;
	return name ? bpf_probe_read_kernel_str(buf, len, name) : 0;
}

/* The superblock magic (EXT4_SUPER_MAGIC, ...): what the fsslower/fsdist fallbacks match fds
 * on, a number compare instead of a string one. */
static __always_inline unsigned long fs_file_magic(const struct file *f)
{
	return BPF_CORE_READ(f, f_inode, i_sb, s_magic);
}

static __always_inline unsigned long fs_file_ino(const struct file *f)
{
	return BPF_CORE_READ(f, f_inode, i_ino);
}

/* The kernel dev_t of the file's superblock (major << 20 | minor, as core/family/blk.h). */
static __always_inline unsigned int fs_file_dev(const struct file *f)
{
	return BPF_CORE_READ(f, f_inode, i_sb, s_dev);
}

/* i_mode: S_ISREG and friends for "regular files only" filters (fileslower without -a). */
static __always_inline unsigned short fs_file_mode(const struct file *f)
{
	return BPF_CORE_READ(f, f_inode, i_mode);
}

/* The path of f into p, leaf first (core/family/fs.h's fs_path_join() makes it a string).
 * The walk follows d_parent and, at the root of a mount, continues from its mount point in the
 * parent mount, so the path is the one seen from the mount namespace's root (not from a
 * chroot). It stops after FS_PATH_DEPTH steps (mount crossings count) and says so in
 * p->truncated. p is usually a per-CPU array element or ring buffer space: it is too large for
 * the BPF stack. */
static __always_inline void fs_file_path(const struct file *f, struct fs_pathbuf *p)
{
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct vfsmount *vmnt = BPF_CORE_READ(f, f_path.mnt);
	/* container_of(vmnt, struct mount, mnt), with the offset relocated. */
	struct mount *mnt = (void *)vmnt - bpf_core_field_offset(struct mount, mnt);
	unsigned int n = 0;
	int i;

	p->depth = 0;
	p->truncated = 1;
	for (i = 0; i < FS_PATH_DEPTH && d; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		const unsigned char *name;

		if (d == BPF_CORE_READ(vmnt, mnt_root)) {
			struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

			if (up == mnt) {                /* the namespace's root mount */
				p->truncated = 0;
				break;
			}
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = up;
			vmnt = (void *)up + bpf_core_field_offset(struct mount, mnt);
			continue;
		}
		name = BPF_CORE_READ(d, d_name.name);
		bpf_probe_read_kernel_str(p->comp[n & (FS_PATH_DEPTH - 1)], FS_NAME_LEN, name);
		n++;
		/* A root that is no mount's: a pipe or socket (an empty d_name: their names
		 * come from d_dname at readlink time) or a detached tree ("/", which
		 * fs_path_join skips). */
		if (d == parent) {
			p->truncated = 0;
			break;
		}
		d = parent;
	}
	p->depth = n;
}

/* Whether syscall nr is one of nrs (FS_OP_SYSCALLS_MAX numbers from fs_op_syscall_nrs(), -1
 * unused): the syscall-level fallbacks of filetop and vfsstat tell a read from a write here. */
static __always_inline bool fs_syscall_in(long nr, const volatile int *nrs)
{
	for (int i = 0; i < FS_OP_SYSCALLS_MAX; i++)
		if (nrs[i] >= 0 && nrs[i] == nr)
			return true;
	return false;
}

/* The file type letter of BCC's filetop: 'R' regular, 'S' socket, 'O' other. */
static __always_inline char fs_mode_type_letter(unsigned short mode)
{
	unsigned short fmt = mode & 0170000;

	return fmt == 0100000 ? 'R' : fmt == 0140000 ? 'S' : 'O';
}

/* Pages in a folio: 1, or 1 << order for a large one (PG_head set, order in the low byte of
 * _flags_1), for the page-cache tools (bufgrow, readahead). Kernels before folios (5.16) have
 * single pages: 1. */
static __always_inline u64 fs_folio_pages(struct folio *folio)
{
	unsigned long flags = 0, flags1 = 0;

	if (!bpf_core_field_exists(struct folio, _flags_1) ||
	    !bpf_core_enum_value_exists(enum pageflags, PG_head))
		return 1;
	/* The flags word begins the folio as it begins struct page (the folio overlays it); no
	 * CO-RE offset: its type changed (unsigned long, then memdesc_flags_t in 6.17) and libbpf
	 * refuses to relocate across the two. */
	bpf_probe_read_kernel(&flags, sizeof(flags), folio);
	if (!(flags & (1UL << bpf_core_enum_value(enum pageflags, PG_head))))
		return 1;
	flags1 = BPF_CORE_READ(folio, _flags_1);
	return 1ULL << (flags1 & 0xff);
}
#endif
