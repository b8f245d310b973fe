/* File-system family, user space:
 *   - fd to path through /proc/PID/fd (readlink: never blocks on the file itself), for tools
 *     that name files they only know by fd;
 *   - fs_path_join(): the path the bounded dentry walk of bpf/fs.bpf.h collected, as a string;
 *   - the per-file-system operation table of the fsslower/fsdist families (ext4, xfs, btrfs,
 *     nfs, zfs, f2fs, bcachefs, overlay: the aliases ext4slower, ext4dist, ...): for each operation the
 *     kernel functions BCC's scripts and libbpf-tools probe, best first, the tracepoints that
 *     time it when functions cannot be probed (TOOLS.md's fallback), and the superblock magic
 *     that the syscall-level fallback matches fds on (bpf/fs.bpf.h fs_file_magic);
 *   - the -t FS option, with a one-line usage error naming the known file systems.
 * Tools: fsslower/fsdist and their aliases, fileslower, filetop, filelife, opensnoop -F,
 * vfssize, fsrwstat, scread, mmapfiles. */
#ifndef BCCT_FAMILY_FS_H
#define BCCT_FAMILY_FS_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "bpf/fs.h"

/* The operations the fsslower/fsdist families time, in BCC's order. */
enum fs_op {
	FS_OP_READ,
	FS_OP_WRITE,
	FS_OP_OPEN,
	FS_OP_FSYNC,
	FS_OP_GETATTR,          /* nfsslower 'G', nfsdist, libbpf-tools fsdist */
	FS_OP_COMMIT,           /* nfsslower 'C': tracepoints only */
	FS_OP_MAX,
};

#define FS_FUNCS_MAX 4
#define FS_TPS_MAX 4

/* How one operation of one file system is probed. */
struct fs_op_probes {
	/* Kernel functions timed entry to return (kprobe/kretprobe, fentry/fexit), best first,
	 * NULL-terminated: the first the kernel has is used, unless `every`. */
	const char *funcs[FS_FUNCS_MAX];
	bool every;             /* attach each one the kernel has (nfs: v3 and v4 opens) */
	/* Tracepoints ("category:event") where the operation starts, NULL-terminated, when
	 * functions cannot be probed; none: time the operation's syscalls (fs_op_syscalls). */
	const char *tp_start[FS_TPS_MAX];
	/* Where it ends; NULL: at the exit of the syscall that started it. */
	const char *tp_end;
	/* The syscalls the fallback times, when fewer than fs_op_syscalls(op) reach funcs
	 * (vfs_read: read and pread64, not the vector calls); NULL: fs_op_syscalls(op). */
	const char *const *syscalls;
};

struct fs_type {
	const char *name;       /* -t value, and the alias prefix: "ext4" for ext4slower */
	unsigned long magic;    /* super_block s_magic (include/uapi/linux/magic.h) */
	struct fs_op_probes ops[FS_OP_MAX];
};

/* Every file system of the families, NULL-name terminated; their -t names, for messages. */
#define FS_TYPE_NAMES "ext4, xfs, btrfs, nfs, zfs, f2fs, bcachefs, overlay"
extern const struct fs_type fs_types[];

/* By -t name ("ext4"), or NULL. */
const struct fs_type *fs_type_lookup(const char *name);
/* By superblock magic, or NULL. */
const struct fs_type *fs_type_by_magic(unsigned long magic);
/* -t FS: the type, or NULL after a one-line usage error listing the known names. */
const struct fs_type *fs_type_option(const char *name);
/* Whether fs_type has a way to time op at all (a function or a tracepoint). */
bool fs_op_known(const struct fs_type *t, enum fs_op op);
/* A function shared by several file systems (generic_file_read_iter, generic_file_open): a
 * program attached to it must filter on the superblock magic. */
bool fs_func_is_shared(const char *func);

/* "read", "write", "open", "fsync", "getattr", "commit": fsdist's operation = '...' labels. */
const char *fs_op_name(enum fs_op op);
/* BCC's T column: 'R', 'W', 'O', 'S' (fsync), 'G', 'C'. */
char fs_op_letter(enum fs_op op);
/* The syscalls (sys_enter_X/sys_exit_X) the syscall-level fallback times op with,
 * NULL-terminated; NULL when op has no syscall of its own (commit). */
const char *const *fs_op_syscalls(enum fs_op op);

/* The path of pid's fd (pid <= 0: this process) into buf, as readlink of /proc/PID/fd/FD gives
 * it ("/etc/passwd", "pipe:[123]", "socket:[456]"). 0; -ENAMETOOLONG with the cut path in buf
 * when it does not fit; another -errno (buf "") when the process or fd is gone. */
int fs_fd_path(pid_t pid, int fd, char *buf, size_t len);
/* The walk of bpf/fs.bpf.h as a path: "/" then the components root first; a walk cut short
 * starts with ".../"; a walk that found no name (a pipe) gives "". Returns buf. */
const char *fs_path_join(const struct fs_pathbuf *p, char *buf, size_t len);

/* The numbers of fs_op_syscalls(op) on this architecture into nrs[0..FS_OP_SYSCALLS_MAX), -1
 * for syscalls it lacks and the unused slots (a .rodata array of the BPF side). */
void fs_op_syscall_nrs(enum fs_op op, int *nrs);

/* ---- fsslower/fsdist: how each operation is timed on this kernel (bpf/fsop.bpf.h) ---- */
/* The VFS as a pseudo file system for fileslower: read and write at vfs_read/vfs_write (kprobes,
 * no fentry), any superblock (magic 0). */
extern const struct fs_type fs_vfs;

enum fs_method {
	FS_METHOD_FENTRY,       /* fentry/fexit on the file system's function */
	FS_METHOD_KPROBE,       /* kprobe/kretprobe on it */
	FS_METHOD_SYSCALL,      /* fallback: the operation's syscalls, for fds on the fs */
};

struct fs_op_plan {
	enum fs_method method;
	const char *func;       /* FENTRY/KPROBE: the function (the first the kernel has) */
};

/* Chooses the method of each operation below nops (FS_OP_READ .. FS_OP_FSYNC): the file
 * system's function when the kernel has it and fentry or kprobes work, else its syscalls. */
void fs_ops_plan(const struct fs_type *t, int nops, struct fs_op_plan *plan);
/* From configure: sets the fentry targets, moving an operation whose target fentry cannot reach
 * (a module function without module BTF) to kprobes or its syscalls in plan; turns on the
 * programs of bpf/fsop.bpf.h the plan uses and off the others; stores the plan's
 * fs_ops_syscalls_timed in *sys_timed (the skeleton's fsop_sys_timed); shows each operation's
 * method with -v (with what the fallback measures differently). Returns 0 or an exit status. */
int fs_ops_configure(void *skel, const struct fs_type *t, struct fs_op_plan *plan, int nops,
		     unsigned int *sys_timed);
/* The bits FSOP_SYS_* of the syscalls the plan's fallback times (bpf/fsop.bpf.h's
 * fsop_sys_timed, which the applet sets in configure). */
unsigned int fs_ops_syscalls_timed(const struct fs_type *t, const struct fs_op_plan *plan, int nops);
/* The parts of bpf/fsop.bpf.h's raw syscall hooks that some architectures or kernels lack
 * (open and creat on arm64, openat2 before 5.6, preadv2/pwritev2 before 4.6): the applets'
 * .optional_probes. */
#define FS_OPS_OPTIONAL_PROBES								\
	BCCT_NAMES("sys_enter__open", "sys_exit__open", "sys_enter__creat", "sys_exit__creat",	\
		   "sys_enter__openat2", "sys_exit__openat2", "sys_enter__preadv2",		\
		   "sys_exit__preadv2", "sys_enter__pwritev2", "sys_exit__pwritev2")
/* From attach: attaches the planned kprobes and fentry programs. 0 or -errno. */
int fs_ops_attach(void *skel, const struct fs_type *t, const struct fs_op_plan *plan, int nops);
/* What --help says about the fallback (one paragraph, for the applets' descriptions). */
#define FS_OPS_FALLBACK_HELP \
	"Each operation is timed on the file system's own functions (fentry/fexit, else\n" \
	"kprobe/kretprobe), as BCC does. Kernels with neither get a fallback: the operation's\n" \
	"syscalls (read, pread64, readv, preadv[2], write, ..., open, openat, openat2, creat,\n" \
	"fsync, fdatasync) timed from entry to exit for fds whose file is on the file system.\n" \
	"That measures the syscall (fd lookup, VFS, page-cache copy) rather than the file\n" \
	"system's function, and misses I/O that reaches it without a syscall (mmap faults,\n" \
	"io_uring, nfsd). -v shows each operation's method."
/* How BCC's scripts name the file system in their banners: "XFS", "NFS", "ZFS", else t->name. */
const char *fs_type_title(const struct fs_type *t);
/* Whether on this kernel any of t's first nops operations falls back to its syscalls (for the
 * applets' .falls_back: fsslower and fsdist ask for ext4, fileslower for the VFS). */
bool fs_ops_fall_back(const struct fs_type *t, int nops);
/* For fsslower and fsdist: `bcct features` knows no -t, so it answers for ext4. */
bool fs_ops_ext4_falls_back(void);
/* fsslower/fsdist's -t FS: the type with all its operations planned (fs_ops_plan), or NULL after
 * a one-line usage error (none given, or unknown). */
const struct fs_type *fs_ops_select(const char *type, struct fs_op_plan *plan);
/* What the syscall fallback measures differently (struct bcct_applet's .fallback). */
#define FS_OPS_FALLBACK_NOTE \
	"the operations' syscalls for fds on the file system: syscall latency, not the fs functions'"

/* ---- the count tables of the book's tools (filetype, fsrwstat, writesync, scread, mmapfiles,
 * fmapfault, bufgrow) ---- */
/* The options of the book's file tools (those and icstat): -p PID, interval [count], the
 * standard filters. */
#define FS_COUNTS_OPTS STD_PID('p'), STD_INTERVAL, STD_COUNT, STD_FILTERS, OPT_END_
struct bpf_map;
/* The file type of an i_mode, as the book's filetype names it: "regular", "directory",
 * "character", "block", "fifo", "link", "socket", else "other". */
const char *fs_mode_type_name(unsigned int mode);

/* ---- the vfsrw object (bpf/vfsrw.bpf.c) of filetype, fsrwstat, writesync, vfssize ---- */
struct vfsrw_config;
/* From configure: fills the object's .rodata config (rodata: &skel->rodata->vfsrw) with cfg and
 * bcct's pid, and turns the return probes (kretprobes, the sys_exit fallback) on for the sizes
 * of vfssize, off for the counting tools. */
void fs_vfsrw_configure(void *skel, volatile struct vfsrw_config *rodata, struct vfsrw_config cfg);
/* The VFS function of a key's func (VFSRW_READ ...): "vfs_read", ... */
const char *fs_vfsrw_func_name(unsigned int func);
/* Probes only some kernels have (the fallback works under vfs_read's name), for .optional_probes. */
#define FS_VFSRW_OPTIONAL BCCT_NAMES("vfs_readv", "vfs_write", "vfs_writev", "vfs_read_ret", \
				     "vfs_readv_ret", "vfs_write_ret", "vfs_writev_ret")
#define FS_VFSRW_FALLBACK "the read/write syscalls reaching vfs_read, vfs_readv, vfs_write, " \
			  "vfs_writev: not the kernel's own calls"
#endif
