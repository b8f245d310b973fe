/* statsnoop: the stat family of syscalls with path and result, from the raw syscall
 * hooks (or the per-syscall tracepoints). */
#include "bcct.bpf.h"
#include "statsnoop.h"
#include "syscalls.bpf.h"

#define AT_FDCWD -100

const volatile bool failed_only = false;   /* -x */

struct stat_args {
	const char *path;
	int fd;
	int type;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct stat_args);
} start SEC(".maps");

static __always_inline int on_enter(int type, int fd, const char *path)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct stat_args a = { .path = path, .fd = fd, .type = type };

	if (!bcct_filter_current())
		return 0;
	bpf_map_update_elem(&start, &tid, &a, BPF_ANY);
	return 0;
}

static __always_inline int on_exit(void *ctx, long ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct statsnoop_event *e;
	struct stat_args *a;

	a = bpf_map_lookup_elem(&start, &tid);
	if (!a)
		return 0;
	if (failed_only && ret >= 0)
		goto out;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		goto out;
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->ret = ret;
	e->type = a->type;
	e->fd = a->fd;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->path[0] = 0;
	if (a->path && bpf_probe_read_user_str(e->path, sizeof(e->path), a->path) < 0)
		e->path[0] = 0;
	bcct_event_submit(ctx, e, sizeof(*e));
out:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

/* The probes: one raw_tp program per hook dispatching on the syscall number, or the
 * per-syscall tracepoints where raw_tp is unavailable (bpf/syscalls.bpf.h). The tracepoints
 * carry the kernel's names (newstat), the numbers the architecture's (stat). */
BCCT_SYSCALL_NR(statfs);
BCCT_SYSCALL_NR(stat);
BCCT_SYSCALL_NR(lstat);
BCCT_SYSCALL_NR(fstat);
BCCT_SYSCALL_NR(newfstatat);
BCCT_SYSCALL_NR(statx);

/* Which stat call id is (enum in statsnoop.h), 0 for none. */
static __always_inline int stat_type(long id)
{
	if (bcct_is_syscall(id, bcct_nr_newfstatat)) return SYS_NEWFSTATAT;
	if (bcct_is_syscall(id, bcct_nr_statx)) return SYS_STATX;
	if (bcct_is_syscall(id, bcct_nr_fstat)) return SYS_NEWFSTAT;
	if (bcct_is_syscall(id, bcct_nr_stat)) return SYS_NEWSTAT;
	if (bcct_is_syscall(id, bcct_nr_lstat)) return SYS_NEWLSTAT;
	if (bcct_is_syscall(id, bcct_nr_statfs)) return SYS_STATFS;
	return 0;
}

/* The arguments of each call: a path, or an fd, or both (fd, path). */
static __always_inline int stat_enter(int type, const unsigned long *a)
{
	switch (type) {
	case SYS_NEWFSTAT:
		return on_enter(type, (int)a[0], NULL);
	case SYS_NEWFSTATAT:
	case SYS_STATX:
		return on_enter(type, (int)a[0], (const char *)a[1]);
	default:
		return on_enter(type, AT_FDCWD, (const char *)a[0]);
	}
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	int type = stat_type(id);
	unsigned long a[6];

	if (!type || !bcct_syscall_args(regs, a))
		return 0;
	return stat_enter(type, a);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	return stat_type(bcct_syscall_exit_nr(regs)) && bcct_syscall_native(regs) ? on_exit(ctx, ret) : 0;
}

#define STAT_TRACEPOINTS(call, type)						\
SEC("tracepoint/syscalls/sys_enter_" #call)					\
int sys_enter__##call##_tp(struct bcct_sys_enter *ctx)				\
{ return stat_enter(type, ctx->args); }						\
SEC("tracepoint/syscalls/sys_exit_" #call)					\
int sys_exit__##call##_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

STAT_TRACEPOINTS(statfs, SYS_STATFS)
STAT_TRACEPOINTS(newstat, SYS_NEWSTAT)
STAT_TRACEPOINTS(newlstat, SYS_NEWLSTAT)
STAT_TRACEPOINTS(newfstat, SYS_NEWFSTAT)
STAT_TRACEPOINTS(newfstatat, SYS_NEWFSTATAT)
STAT_TRACEPOINTS(statx, SYS_STATX)
