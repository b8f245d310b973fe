/* syncsnoop: calls of the sync family, at syscall entry. BCC probes the sync() syscall
 * function with a kprobe; the syscalls show the same calls on every kernel, so they are the one
 * method here (as in libbpf-tools), not a fallback: one raw_tp program on sys_enter
 * (bpf/syscalls.bpf.h: released at once on Ctrl-C, where six tracepoints took 270 ms), the
 * per-syscall tracepoints as its parts where raw_tp is missing. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
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

BCCT_SYSCALL_NR(sync);
BCCT_SYSCALL_NR(syncfs);
BCCT_SYSCALL_NR(fsync);
BCCT_SYSCALL_NR(fdatasync);
BCCT_SYSCALL_NR(msync);
BCCT_SYSCALL_NR(sync_file_range);

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned int call;

	if (bcct_is_syscall(id, bcct_nr_sync))
		call = SYNC_SYNC;
	else if (bcct_is_syscall(id, bcct_nr_syncfs))
		call = SYNC_SYNCFS;
	else if (bcct_is_syscall(id, bcct_nr_fsync))
		call = SYNC_FSYNC;
	else if (bcct_is_syscall(id, bcct_nr_fdatasync))
		call = SYNC_FDATASYNC;
	else if (bcct_is_syscall(id, bcct_nr_msync))
		call = SYNC_MSYNC;
	else if (bcct_is_syscall(id, bcct_nr_sync_file_range))
		call = SYNC_FILE_RANGE;
	else
		return 0;
	/* A 32-bit syscall's number means another call (the tracepoints skip those too). */
	if (!bcct_syscall_native(regs))
		return 0;
	return on_call(ctx, call);
}

SEC("tracepoint/syscalls/sys_enter_sync")
int sys_enter__sync_tp(void *ctx) { return on_call(ctx, SYNC_SYNC); }
SEC("tracepoint/syscalls/sys_enter_syncfs")
int sys_enter__syncfs_tp(void *ctx) { return on_call(ctx, SYNC_SYNCFS); }
SEC("tracepoint/syscalls/sys_enter_fsync")
int sys_enter__fsync_tp(void *ctx) { return on_call(ctx, SYNC_FSYNC); }
SEC("tracepoint/syscalls/sys_enter_fdatasync")
int sys_enter__fdatasync_tp(void *ctx) { return on_call(ctx, SYNC_FDATASYNC); }
SEC("tracepoint/syscalls/sys_enter_msync")
int sys_enter__msync_tp(void *ctx) { return on_call(ctx, SYNC_MSYNC); }
SEC("tracepoint/syscalls/sys_enter_sync_file_range")
int sys_enter__sync_file_range_tp(void *ctx) { return on_call(ctx, SYNC_FILE_RANGE); }
