/* syncsnoop: calls of the sync family, at syscall entry. BCC probes the sync() syscall
 * function with a kprobe; the syscall tracepoints see the same calls on every kernel, so they
 * are the one method here (as in libbpf-tools), not a fallback. */
#include "bcct.bpf.h"
#include "syncsnoop.h"

static __always_inline int on_call(void *ctx, unsigned int call)
{
	struct syncsnoop_event *e;

	if (!bcct_filter_current())
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->call = call;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sync")
int sync_tp(void *ctx) { return on_call(ctx, SYNC_SYNC); }
SEC("tracepoint/syscalls/sys_enter_syncfs")
int syncfs_tp(void *ctx) { return on_call(ctx, SYNC_SYNCFS); }
SEC("tracepoint/syscalls/sys_enter_fsync")
int fsync_tp(void *ctx) { return on_call(ctx, SYNC_FSYNC); }
SEC("tracepoint/syscalls/sys_enter_fdatasync")
int fdatasync_tp(void *ctx) { return on_call(ctx, SYNC_FDATASYNC); }
SEC("tracepoint/syscalls/sys_enter_msync")
int msync_tp(void *ctx) { return on_call(ctx, SYNC_MSYNC); }
SEC("tracepoint/syscalls/sys_enter_sync_file_range")
int sync_file_range_tp(void *ctx) { return on_call(ctx, SYNC_FILE_RANGE); }
