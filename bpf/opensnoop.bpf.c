/* opensnoop: open(), openat() and openat2() with flags, mode and result, from the raw syscall
 * hooks (or the per-syscall tracepoints). -F resolves relative paths in-kernel by walking the
 * dentries of the directory the path is relative to (cwd, or the dirfd of openat), across
 * mounts, up to the opening task's root directory: a process in a chroot or container shows the
 * path it opened as it sees it, the same root its absolute paths are relative to.
 *
 * The walk is compiled only into bpf/opensnoop_full.bpf.c (OPENSNOOP_FULL_PATH), the object
 * the applet loads for -F: it needs CO-RE relocations, and an object with any makes libbpf
 * parse the whole vmlinux BTF at load (about 15 ms and 10 MiB). Without -F, opensnoop has
 * none and starts without reading kernel BTF at all. */
#include "bcct.bpf.h"
#include "opensnoop.h"
#include "syscalls.bpf.h"

#ifndef OPENSNOOP_FULL_PATH
#define OPENSNOOP_FULL_PATH 0
#endif

#define AT_FDCWD -100

const volatile bool failed_only = false;   /* -x */
const volatile int flags_mask = 0;         /* -f: any of these flag bits */
const volatile unsigned int self_tgid = 0; /* bcct itself: its own opens are not reported */

struct open_args {
	const char *fname;
	int dfd;
	int flags;
	unsigned int mode;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct open_args);
} start SEC(".maps");

/* The event is too large for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct opensnoop_event);
} heap SEC(".maps");

static __always_inline int on_enter(int dfd, const char *fname, int flags, unsigned int mode)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct open_args a = { .fname = fname, .dfd = dfd, .flags = flags, .mode = mode };

	if (!bcct_filter_current() || (bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	if (flags_mask && !(flags & flags_mask))
		return 0;
	bpf_map_update_elem(&start, &tid, &a, BPF_ANY);
	return 0;
}

#if OPENSNOOP_FULL_PATH
static __always_inline struct file *fd_file(struct task_struct *task, int fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* Fills name[1..] with the directory names from dfd's directory up to the task's root; returns
 * how many. */
static __always_inline unsigned int walk_dir(struct opensnoop_event *e, int dfd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct dentry *dentry, *parent, *root = BPF_CORE_READ(task, fs, root.dentry);
	struct vfsmount *vfsmnt, *root_mnt = BPF_CORE_READ(task, fs, root.mnt);
	struct mount *mnt, *mnt_parent;
	const unsigned char *name;

	if (dfd == AT_FDCWD) {
		dentry = BPF_CORE_READ(task, fs, pwd.dentry);
		vfsmnt = BPF_CORE_READ(task, fs, pwd.mnt);
	} else {
		struct file *f = fd_file(task, dfd);

		if (!f)
			return 0;
		dentry = BPF_CORE_READ(f, f_path.dentry);
		vfsmnt = BPF_CORE_READ(f, f_path.mnt);
	}
	if (!dentry || !vfsmnt)
		return 0;
	mnt = (struct mount *)((void *)vfsmnt - bpf_core_field_offset(struct mount, mnt));
	e->depth = 0;
	/* Mount crossings take iterations too, hence twice the slots. */
	for (int i = 0; i < 2 * OPENSNOOP_MAX_PARTS; i++) {
		unsigned int d;

		/* The task's root (chroot, pivot_root): its "/". A directory outside it (a dirfd
		 * opened before a chroot) walks on to the namespace's root, as the kernel's d_path. */
		if (dentry == root && vfsmnt == root_mnt)
			break;
		parent = BPF_CORE_READ(dentry, d_parent);
		if (dentry == BPF_CORE_READ(vfsmnt, mnt_root) || dentry == parent) {
			/* Root of this mount: continue from where it is mounted, or stop at the top. */
			mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
			if (mnt == mnt_parent)
				break;
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mnt_parent;
			vfsmnt = &mnt->mnt;
			continue;
		}
		/* Read back from the map so the verifier sees a bounded index, not each value. */
		d = e->depth;
		if (d >= OPENSNOOP_MAX_PARTS - 1)
			break;
		name = BPF_CORE_READ(dentry, d_name.name);
		bpf_probe_read_kernel_str(e->name[(d + 1) & (OPENSNOOP_MAX_PARTS - 1)], OPENSNOOP_SLOT, name);
		e->depth = d + 1;
		dentry = parent;
	}
	return e->depth;
}

#endif

static __always_inline int on_exit(void *ctx, long ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id, zero = 0;
	struct opensnoop_event *e;
	struct open_args *a;
	unsigned int depth = 0;

	a = bpf_map_lookup_elem(&start, &tid);
	if (!a)
		return 0;
	if (failed_only && ret >= 0)
		goto out;
	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		goto out;
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = tid;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->ret = ret;
	e->flags = a->flags;
	e->mode = a->mode;
	e->depth = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_user_str(e->name[0], OPENSNOOP_SLOT, a->fname) < 0)
		e->name[0][0] = 0;
#if OPENSNOOP_FULL_PATH
	if (e->name[0][0] != '/')
		depth = walk_dir(e, a->dfd) & (OPENSNOOP_MAX_PARTS - 1);
#endif
	bcct_event_output(ctx, e, __builtin_offsetof(struct opensnoop_event, name) +
			  (depth + 1) * OPENSNOOP_SLOT);
out:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

/* The probes: one raw_tp program per hook dispatching on the syscall number, or the
 * per-syscall tracepoints where raw_tp is unavailable (bpf/syscalls.bpf.h). */
BCCT_SYSCALL_NR(open);
BCCT_SYSCALL_NR(openat);
BCCT_SYSCALL_NR(openat2);

static __always_inline int open_enter(const unsigned long *a)
{
	return on_enter(AT_FDCWD, (const char *)a[0], (int)a[1], (unsigned int)a[2]);
}

static __always_inline int openat_enter(const unsigned long *a)
{
	return on_enter((int)a[0], (const char *)a[1], (int)a[2], (unsigned int)a[3]);
}

static __always_inline int openat2_enter(const unsigned long *a)
{
	struct { u64 flags, mode, resolve; } how = {};   /* struct open_how: uapi, fixed */

	bpf_probe_read_user(&how, sizeof(how), (void *)a[2]);
	return on_enter((int)a[0], (const char *)a[1], (int)how.flags, (unsigned int)how.mode);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (!bcct_is_syscall(id, bcct_nr_openat) && !bcct_is_syscall(id, bcct_nr_open) &&
	    !bcct_is_syscall(id, bcct_nr_openat2))
		return 0;
	if (!bcct_syscall_args(regs, a))
		return 0;
	if (bcct_is_syscall(id, bcct_nr_openat))
		return openat_enter(a);
	if (bcct_is_syscall(id, bcct_nr_open))
		return open_enter(a);
	return openat2_enter(a);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);

	if ((bcct_is_syscall(id, bcct_nr_openat) || bcct_is_syscall(id, bcct_nr_open) ||
	     bcct_is_syscall(id, bcct_nr_openat2)) && bcct_syscall_native(regs))
		return on_exit(ctx, ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int sys_enter__open_tp(struct bcct_sys_enter *ctx) { return open_enter(ctx->args); }
SEC("tracepoint/syscalls/sys_exit_open")
int sys_exit__open_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_openat")
int sys_enter__openat_tp(struct bcct_sys_enter *ctx) { return openat_enter(ctx->args); }
SEC("tracepoint/syscalls/sys_exit_openat")
int sys_exit__openat_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_openat2")
int sys_enter__openat2_tp(struct bcct_sys_enter *ctx) { return openat2_enter(ctx->args); }
SEC("tracepoint/syscalls/sys_exit_openat2")
int sys_exit__openat2_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }
