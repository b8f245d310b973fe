/* File-system family, user space; see fs.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/family/fs.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/table.h"
#include "core/sys/sys.h"

/* Sources: BCC's ext4slower/ext4dist, xfs*, btrfs*, nfs*, zfs* scripts (functions, the
 * generic_* fallbacks of older kernels, nfs's two opens and commit tracepoints) and
 * libbpf-tools' fsslower/fsdist tables (f2fs, bcachefs, the getattr column, btrfs's own
 * read/open functions on current kernels); the tracepoint fallbacks are the ones TOOLS.md found
 * for a kernel without kprobes. Magic numbers: include/uapi/linux/magic.h (ZFS: OpenZFS). */
const struct fs_type fs_types[] = {
	{ "ext4", 0xEF53, {
		[FS_OP_READ] = { { "ext4_file_read_iter", "generic_file_read_iter" } },
		[FS_OP_WRITE] = { { "ext4_file_write_iter" } },
		[FS_OP_OPEN] = { { "ext4_file_open" } },
		[FS_OP_FSYNC] = { { "ext4_sync_file" },
				  .tp_start = { "ext4:ext4_sync_file_enter" },
				  .tp_end = "ext4:ext4_sync_file_exit" },
		[FS_OP_GETATTR] = { { "ext4_file_getattr" } },
	} },
	{ "xfs", 0x58465342, {
		/* xfs's read/write events fire once the I/O is chosen, inside the syscall. */
		[FS_OP_READ] = { { "xfs_file_read_iter" },
				 .tp_start = { "xfs:xfs_file_buffered_read", "xfs:xfs_file_direct_read",
					       "xfs:xfs_file_dax_read" } },
		[FS_OP_WRITE] = { { "xfs_file_write_iter" },
				  .tp_start = { "xfs:xfs_file_buffered_write", "xfs:xfs_file_direct_write",
						"xfs:xfs_file_dax_write" } },
		[FS_OP_OPEN] = { { "xfs_file_open" } },
		[FS_OP_FSYNC] = { { "xfs_file_fsync" }, .tp_start = { "xfs:xfs_file_fsync" } },
	} },
	{ "btrfs", 0x9123683E, {
		[FS_OP_READ] = { { "btrfs_file_read_iter", "generic_file_read_iter" } },
		[FS_OP_WRITE] = { { "btrfs_file_write_iter" } },
		[FS_OP_OPEN] = { { "btrfs_file_open", "generic_file_open" } },
		[FS_OP_FSYNC] = { { "btrfs_sync_file" }, .tp_start = { "btrfs:btrfs_sync_file" } },
	} },
	{ "nfs", 0x6969, {
		[FS_OP_READ] = { { "nfs_file_read" } },
		[FS_OP_WRITE] = { { "nfs_file_write" } },
		/* v4 mounts open through nfs4_file_open, v2/v3 through nfs_file_open. */
		[FS_OP_OPEN] = { { "nfs4_file_open", "nfs_file_open" }, .every = true },
		[FS_OP_FSYNC] = { { "nfs_file_fsync" } },
		[FS_OP_GETATTR] = { { "nfs_getattr" },
				    .tp_start = { "nfs:nfs_getattr_enter" },
				    .tp_end = "nfs:nfs_getattr_exit" },
		[FS_OP_COMMIT] = { { NULL },
				   .tp_start = { "nfs:nfs_initiate_commit" },
				   .tp_end = "nfs:nfs_commit_done" },
	} },
	{ "zfs", 0x2fc12fc1, {
		/* zpl_iter_* since ZoL 0.7 on 4.1+ kernels, zpl_aio_* and zpl_read/write before. */
		[FS_OP_READ] = { { "zpl_iter_read", "zpl_aio_read", "zpl_read" } },
		[FS_OP_WRITE] = { { "zpl_iter_write", "zpl_aio_write", "zpl_write" } },
		[FS_OP_OPEN] = { { "zpl_open" } },
		[FS_OP_FSYNC] = { { "zpl_fsync" } },
	} },
	{ "f2fs", 0xF2F52010, {
		[FS_OP_READ] = { { "f2fs_file_read_iter" } },
		[FS_OP_WRITE] = { { "f2fs_file_write_iter" } },
		[FS_OP_OPEN] = { { "f2fs_file_open" } },
		[FS_OP_FSYNC] = { { "f2fs_sync_file" },
				  .tp_start = { "f2fs:f2fs_sync_file_enter" },
				  .tp_end = "f2fs:f2fs_sync_file_exit" },
		[FS_OP_GETATTR] = { { "f2fs_getattr" } },
	} },
	{ "bcachefs", 0xca451a4e, {
		[FS_OP_READ] = { { "bch2_read_iter" } },
		[FS_OP_WRITE] = { { "bch2_write_iter" } },
		[FS_OP_OPEN] = { { "bch2_open" } },
		[FS_OP_FSYNC] = { { "bch2_fsync" } },
		[FS_OP_GETATTR] = { { "bch2_getattr" } },
	} },
	/* overlayfs (the book's overlayfs tool: ovl_read_iter/ovl_write_iter): since 4.19 a
	 * process's fds are overlay files, forwarded to the upper or lower file's own. */
	{ "overlay", 0x794c7630, {
		[FS_OP_READ] = { { "ovl_read_iter" } },
		[FS_OP_WRITE] = { { "ovl_write_iter" } },
		[FS_OP_OPEN] = { { "ovl_open" } },
		[FS_OP_FSYNC] = { { "ovl_fsync" } },
	} },
	{ NULL },
};

const struct fs_type *fs_type_lookup(const char *name)
{
	for (const struct fs_type *t = fs_types; name && t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

const struct fs_type *fs_type_by_magic(unsigned long magic)
{
	for (const struct fs_type *t = fs_types; t->name; t++)
		if (t->magic == magic)
			return t;
	return NULL;
}

const struct fs_type *fs_type_option(const char *name)
{
	const struct fs_type *t = fs_type_lookup(name);
	char known[128];
	size_t used = 0;

	if (t)
		return t;
	known[0] = 0;
	for (t = fs_types; t->name && used < sizeof(known); t++)
		used += snprintf(known + used, sizeof(known) - used, "%s%s", used ? ", " : "", t->name);
	bcct_usage_err("unknown file system '%s': one of %s", name ? name : "", known);
	return NULL;
}

bool fs_op_known(const struct fs_type *t, enum fs_op op)
{
	return op < FS_OP_MAX && (t->ops[op].funcs[0] || t->ops[op].tp_start[0]);
}

bool fs_func_is_shared(const char *func)
{
	return !strncmp(func, "generic_", 8);
}

static const struct {
	const char *name;
	char letter;
	const char *syscalls[8];
} ops[FS_OP_MAX] = {
	[FS_OP_READ] = { "read", 'R', { "read", "pread64", "readv", "preadv", "preadv2" } },
	[FS_OP_WRITE] = { "write", 'W', { "write", "pwrite64", "writev", "pwritev", "pwritev2" } },
	[FS_OP_OPEN] = { "open", 'O', { "open", "openat", "openat2", "creat" } },
	[FS_OP_FSYNC] = { "fsync", 'S', { "fsync", "fdatasync" } },
	/* x86_64 has no plain stat/lstat/fstat tracepoints, only the new* ones. */
	[FS_OP_GETATTR] = { "getattr", 'G',
			    { "newstat", "newlstat", "newfstat", "newfstatat", "statx" } },
	[FS_OP_COMMIT] = { "commit", 'C', { NULL } },
};

const char *fs_op_name(enum fs_op op)
{
	return op < FS_OP_MAX ? ops[op].name : "?";
}

char fs_op_letter(enum fs_op op)
{
	return op < FS_OP_MAX ? ops[op].letter : '?';
}

const char *const *fs_op_syscalls(enum fs_op op)
{
	return op < FS_OP_MAX && ops[op].syscalls[0] ? ops[op].syscalls : NULL;
}

int fs_fd_path(pid_t pid, int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	if (!len)
		return -EINVAL;
	buf[0] = 0;
	if (pid > 0)
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
	else
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, len);
	if (n < 0) {
		buf[0] = 0;
		return -errno;
	}
	/* readlink does not terminate, and fills the whole buffer when the path is longer. */
	if ((size_t)n >= len) {
		buf[len - 1] = 0;
		return -ENAMETOOLONG;
	}
	buf[n] = 0;
	return 0;
}

const char *fs_path_join(const struct fs_pathbuf *p, char *buf, size_t len)
{
	unsigned int depth = p->depth < FS_PATH_DEPTH ? p->depth : FS_PATH_DEPTH;
	size_t used = 0;
	bool named = false;

	if (!len)
		return buf;
	buf[0] = 0;
	if (p->truncated)
		used = snprintf(buf, len, "...");
	for (unsigned int i = depth; i-- > 0 && used < len;) {
		const char *c = p->comp[i];
		int n = strnlen(c, FS_NAME_LEN);

		if (!n || (n == 1 && c[0] == '/'))
			continue;
		used += snprintf(buf + used, len - used, "/%.*s", n, c);
		named = true;
	}
	/* The walk reached the root without a name: the root itself. */
	if (!named && !p->truncated && depth == 0)
		snprintf(buf, len, "/");
	return buf;
}

void fs_op_syscall_nrs(enum fs_op op, int *nrs)
{
	const char *const *names = fs_op_syscalls(op);
	int n = 0;

	for (int i = 0; names && names[i] && n < FS_OP_SYSCALLS_MAX; i++) {
		long nr = sys_syscall_nr(names[i]);

		if (nr >= 0)
			nrs[n++] = (int)nr;
	}
	while (n < FS_OP_SYSCALLS_MAX)
		nrs[n++] = -1;
}

/* ---- fsslower/fsdist: choosing and attaching the per-operation programs ---- */

/* fileslower: reads and writes of any file system, at vfs_read/vfs_write (BCC's choice). */
const struct fs_type fs_vfs = { "vfs", 0, {
	[FS_OP_READ] = { { "vfs_read" }, .syscalls = (const char *const[]){ "read", "pread64", NULL } },
	[FS_OP_WRITE] = { { "vfs_write" }, .syscalls = (const char *const[]){ "write", "pwrite64", NULL } },
} };

#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "bpf/fsop.h"
#include "bpf/vfsrw.h"

_Static_assert(FSOP_READ == FS_OP_READ && FSOP_WRITE == FS_OP_WRITE && FSOP_OPEN == FS_OP_OPEN &&
	       FSOP_FSYNC == FS_OP_FSYNC, "bpf/fsop.h and enum fs_op disagree");

static const char *const fsop_entry_kprobe[FSOP_COUNT] = {
	"fsop_read_kprobe", "fsop_write_kprobe", "fsop_open_kprobe", "fsop_fsync_kprobe",
};
static const char *const fsop_entry_fentry[FSOP_COUNT] = {
	"fsop_read_fentry", "fsop_write_fentry", "fsop_open_fentry", "fsop_fsync_fentry",
};
static const char *const fsop_return_fexit[FSOP_COUNT] = {
	"fsop_read_fexit", "fsop_write_fexit", "fsop_open_fexit", "fsop_fsync_fexit",
};

static bool name_listed(const char *const *list, const char *name)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static const char *fs_op_first_func(const struct fs_type *t, enum fs_op op)
{
	const struct sys_kernel_functions *k = sys_kernel_functions(bcct_tracefs());

	for (int i = 0; k && i < FS_FUNCS_MAX && t->ops[op].funcs[i]; i++)
		if (sys_kernel_function_exists(k, t->ops[op].funcs[i]))
			return t->ops[op].funcs[i];
	return NULL;
}

/* The best method for op on func (NULL: not in this kernel), fentry only when allowed. */
static enum fs_method fs_op_method(const struct fs_type *t, int op, const char *func, bool fentry)
{
	/* nfs opens through two functions: one fentry program takes one target. The VFS
	 * (fileslower): its fexit programs would need vfs_read's arguments. */
	if (func && fentry && bcct_has(FEAT_FENTRY) && bcct_has(FEAT_FEXIT) && !t->ops[op].every &&
	    t != &fs_vfs)
		return FS_METHOD_FENTRY;
	if (func && bcct_has(FEAT_KPROBE) && bcct_has(FEAT_KRETPROBE))
		return FS_METHOD_KPROBE;
	return FS_METHOD_SYSCALL;
}

void fs_ops_plan(const struct fs_type *t, int nops, struct fs_op_plan *plan)
{
	for (int op = 0; op < nops && op < FSOP_COUNT; op++) {
		plan[op].func = fs_op_first_func(t, op);
		plan[op].method = fs_op_method(t, op, plan[op].func, true);
	}
}

static struct bpf_program *fsop_prog(void *skel, const char *name)
{
	return bpf_object__find_program_by_name(((struct bcct_skel_head *)skel)->obj, name);
}

static void fsop_autoload(void *skel, const char *name, bool on)
{
	struct bpf_program *p = fsop_prog(skel, name);

	if (p)
		bpf_program__set_autoload(p, on);
}

/* Whether op's fallback times syscall sys: op is planned on its syscalls and sys is one t times
 * (fileslower: read and pread64 only). */
static bool fs_op_times_syscall(const struct fs_type *t, const struct fs_op_plan *plan, int nops,
				int op, const char *sys)
{
	const char *const *timed = t->ops[op].syscalls ? t->ops[op].syscalls : fs_op_syscalls(op);

	return op < nops && plan[op].method == FS_METHOD_SYSCALL && timed && name_listed(timed, sys);
}

_Static_assert(FSOP_SYS_COUNT <= 32, "fsop_sys_timed is a 32-bit mask");

/* bpf/fsop.h's syscalls, by bit. */
#define FSOP_SYS_ENTRY(name, op, how) { #name, op },
static const struct {
	const char *name;
	int op;
} fsop_syscalls[FSOP_SYS_COUNT] = { FSOP_SYSCALLS(FSOP_SYS_ENTRY) };
#undef FSOP_SYS_ENTRY

unsigned int fs_ops_syscalls_timed(const struct fs_type *t, const struct fs_op_plan *plan, int nops)
{
	unsigned int mask = 0;

	for (int i = 0; i < FSOP_SYS_COUNT; i++)
		if (fs_op_times_syscall(t, plan, nops, fsop_syscalls[i].op, fsop_syscalls[i].name))
			mask |= 1u << i;
	return mask;
}

/* fentry reaches a module's function (ext4's, xfs's) only through the module's BTF, which
 * 5.10 does not have: an operation whose fentry target libbpf cannot resolve takes the next
 * method (kprobe, else its syscalls) instead of failing the run. */
static void fs_ops_resolve_fentry(void *skel, const struct fs_type *t, struct fs_op_plan *plan,
				  int nops)
{
	for (int op = 0; op < nops && op < FSOP_COUNT; op++) {
		struct bpf_program *entry = fsop_prog(skel, fsop_entry_fentry[op]);
		struct bpf_program *ret = fsop_prog(skel, fsop_return_fexit[op]);

		if (plan[op].method != FS_METHOD_FENTRY ||
		    (entry && ret && !bpf_program__set_attach_target(entry, 0, plan[op].func) &&
		     !bpf_program__set_attach_target(ret, 0, plan[op].func)))
			continue;
		plan[op].method = fs_op_method(t, op, plan[op].func, false);
		/* not "probe OP: ...": that line, below, names the method chosen */
		bcct_info("fentry cannot target %s (no BTF for it): %s takes %s", plan[op].func,
			  fs_op_name(op), plan[op].method == FS_METHOD_KPROBE ? "kprobes" : "its syscalls");
	}
}

int fs_ops_configure(void *skel, const struct fs_type *t, struct fs_op_plan *plan, int nops,
		     unsigned int *sys_timed)
{
	unsigned int timed;
	bool any_kprobe = false;

	fs_ops_resolve_fentry(skel, t, plan, nops);
	timed = *sys_timed = fs_ops_syscalls_timed(t, plan, nops);

	/* The fallback: the raw sys_enter/sys_exit wholes dispatch on the timed syscalls (the
	 * applet's fsop_sys_timed); each one's tracepoints are their parts, for kernels without
	 * raw_tp. */
	bcct_probe_enable(skel, "sys_enter", timed != 0);
	bcct_probe_enable(skel, "sys_exit", timed != 0);
	for (int i = 0; i < FSOP_SYS_COUNT; i++) {
		char probe[64];

		snprintf(probe, sizeof(probe), "sys_enter__%s", fsop_syscalls[i].name);
		bcct_probe_enable(skel, probe, timed & (1u << i));
		snprintf(probe, sizeof(probe), "sys_exit__%s", fsop_syscalls[i].name);
		bcct_probe_enable(skel, probe, timed & (1u << i));
	}
	for (int op = 0; op < FSOP_COUNT; op++) {
		bool used = op < nops;
		enum fs_method m = used ? plan[op].method : FS_METHOD_SYSCALL;

		fsop_autoload(skel, fsop_entry_kprobe[op], used && m == FS_METHOD_KPROBE);
		fsop_autoload(skel, fsop_entry_fentry[op], used && m == FS_METHOD_FENTRY);
		fsop_autoload(skel, fsop_return_fexit[op], used && m == FS_METHOD_FENTRY);
		any_kprobe |= used && m == FS_METHOD_KPROBE;
		if (!used)
			continue;
		if (m == FS_METHOD_SYSCALL)
			bcct_info("probe %s: syscalls (fallback: the %s syscalls on %s files, "
				  "not %s: %s)", fs_op_name(op), fs_op_name(op), t->name,
				  t->ops[op].funcs[0] ? t->ops[op].funcs[0] : "a function",
				  plan[op].func ? "no kprobes or fentry" : "function not in this kernel");
		else
			bcct_info("probe %s: %s %s", fs_op_name(op),
				  m == FS_METHOD_FENTRY ? "fentry" : "kprobe", plan[op].func);
	}
	fsop_autoload(skel, "fsop_kretprobe", any_kprobe);
	return 0;
}

static int fsop_attach_kprobes(void *skel, const char *entry, const char *func)
{
	int err = bcct_track_link(bpf_program__attach_kprobe(fsop_prog(skel, entry), false, func));

	if (!err)
		err = bcct_track_link(bpf_program__attach_kprobe(fsop_prog(skel, "fsop_kretprobe"),
								 true, func));
	return err;
}

int fs_ops_attach(void *skel, const struct fs_type *t, const struct fs_op_plan *plan, int nops)
{
	const struct sys_kernel_functions *k = sys_kernel_functions(bcct_tracefs());
	int err = 0;

	for (int op = 0; op < nops && op < FSOP_COUNT && !err; op++) {
		switch (plan[op].method) {
		case FS_METHOD_FENTRY:
			err = bcct_track_link(bpf_program__attach(fsop_prog(skel, fsop_entry_fentry[op])));
			if (!err)
				err = bcct_track_link(bpf_program__attach(fsop_prog(skel, fsop_return_fexit[op])));
			break;
		case FS_METHOD_KPROBE:
			/* nfs: each open function the kernel has (v3 and v4). */
			for (int i = 0; i < FS_FUNCS_MAX && t->ops[op].funcs[i] && !err; i++)
				if (t->ops[op].every ? sys_kernel_function_exists(k, t->ops[op].funcs[i])
						     : t->ops[op].funcs[i] == plan[op].func)
					err = fsop_attach_kprobes(skel, fsop_entry_kprobe[op],
								  t->ops[op].funcs[i]);
			break;
		case FS_METHOD_SYSCALL:
			break;
		}
		if (err)
			bcct_err("cannot attach to %s: %s", plan[op].func, strerror(-err));
	}
	return err ? BCCT_EXIT_FAIL : 0;
}

const char *fs_type_title(const struct fs_type *t)
{
	static const char *const titles[][2] = {
		{ "xfs", "XFS" }, { "nfs", "NFS" }, { "zfs", "ZFS" }, { "overlay", "overlayfs" },
	};

	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (!strcmp(t->name, titles[i][0]))
			return titles[i][1];
	return t->name;
}

bool fs_ops_fall_back(const struct fs_type *t, int nops)
{
	struct fs_op_plan plan[FSOP_COUNT];

	fs_ops_plan(t, nops, plan);
	for (int op = 0; op < nops && op < FSOP_COUNT; op++)
		if (plan[op].method == FS_METHOD_SYSCALL)
			return true;
	return false;
}

bool fs_ops_ext4_falls_back(void)
{
	return fs_ops_fall_back(fs_type_lookup("ext4"), FSOP_COUNT);
}

const struct fs_type *fs_ops_select(const char *type, struct fs_op_plan *plan)
{
	const struct fs_type *t;

	if (!type) {
		bcct_usage_err("-t FS is required (" FS_TYPE_NAMES ")");
		return NULL;
	}
	t = fs_type_option(type);
	if (t)
		fs_ops_plan(t, FSOP_COUNT, plan);
	return t;
}

const char *fs_mode_type_name(unsigned int mode)
{
	switch (mode & 0170000) {
	case 0140000: return "socket";
	case 0120000: return "link";
	case 0100000: return "regular";
	case 0060000: return "block";
	case 0040000: return "directory";
	case 0020000: return "character";
	case 0010000: return "fifo";
	default: return "other";
	}
}

void fs_vfsrw_configure(void *skel, volatile struct vfsrw_config *rodata, struct vfsrw_config cfg)
{
	static const char *const returns[] = {
		"vfs_read_ret", "vfs_readv_ret", "vfs_write_ret", "vfs_writev_ret",
		"vfs_read_ret__sys_exit",
	};

	cfg.self = getpid();
	*(struct vfsrw_config *)rodata = cfg;   /* before load: plain memory */
	for (size_t i = 0; i < sizeof(returns) / sizeof(returns[0]); i++)
		bcct_probe_enable(skel, returns[i], cfg.sizes);
}

const char *fs_vfsrw_func_name(unsigned int func)
{
	static const char *const names[VFSRW_FUNCS] = {
		[VFSRW_READ] = "vfs_read", [VFSRW_READV] = "vfs_readv",
		[VFSRW_WRITE] = "vfs_write", [VFSRW_WRITEV] = "vfs_writev",
	};

	return func < VFSRW_FUNCS ? names[func] : "?";
}
