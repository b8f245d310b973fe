/* statsnoop: the stat family of syscalls with path and result, from the syscall tracepoints. */
#include "bcct.bpf.h"
#include "statsnoop.h"

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

#define ARG(i, type) ((type)ctx->args[i])

SEC("tracepoint/syscalls/sys_enter_statfs")
int statfs_enter_tp(struct bcct_sys_enter *ctx)
{ return on_enter(SYS_STATFS, AT_FDCWD, ARG(0, const char *)); }
SEC("tracepoint/syscalls/sys_exit_statfs")
int statfs_exit_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_newstat")
int newstat_enter_tp(struct bcct_sys_enter *ctx)
{ return on_enter(SYS_NEWSTAT, AT_FDCWD, ARG(0, const char *)); }
SEC("tracepoint/syscalls/sys_exit_newstat")
int newstat_exit_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_newlstat")
int newlstat_enter_tp(struct bcct_sys_enter *ctx)
{ return on_enter(SYS_NEWLSTAT, AT_FDCWD, ARG(0, const char *)); }
SEC("tracepoint/syscalls/sys_exit_newlstat")
int newlstat_exit_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_newfstat")
int newfstat_enter_tp(struct bcct_sys_enter *ctx)
{ return on_enter(SYS_NEWFSTAT, ARG(0, int), NULL); }
SEC("tracepoint/syscalls/sys_exit_newfstat")
int newfstat_exit_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_newfstatat")
int newfstatat_enter_tp(struct bcct_sys_enter *ctx)
{ return on_enter(SYS_NEWFSTATAT, ARG(0, int), ARG(1, const char *)); }
SEC("tracepoint/syscalls/sys_exit_newfstatat")
int newfstatat_exit_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_statx")
int statx_enter_tp(struct bcct_sys_enter *ctx)
{ return on_enter(SYS_STATX, ARG(0, int), ARG(1, const char *)); }
SEC("tracepoint/syscalls/sys_exit_statx")
int statx_exit_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }
