/* exitsnoop: process (or thread) exits from sched:sched_process_exit. The exiting task is
 * `current` in every variant, and task->exit_code is already set when the tracepoint fires. */
#include "bcct.bpf.h"
#include "exitsnoop.h"

const volatile bool per_thread = false;   /* --per-thread: every thread, not just leaders */
const volatile bool failed_only = false;  /* -x: skip exit(0) */

static __always_inline int on_exit(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	u64 id = bpf_get_current_pid_tgid();
	struct exitsnoop_event *e;
	int code;

	/* A process ends when its main thread does: BCC reports only that one by default. */
	if (!per_thread && (id >> 32) != (u32)id)
		return 0;
	if (!bcct_filter_current())
		return 0;
	code = BPF_CORE_READ(task, exit_code);
	if (failed_only && code == 0)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->start_time = BPF_CORE_READ(task, start_time);
	e->exit_time = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (u32)id;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = code;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int exit_btf(u64 *ctx) { return on_exit(ctx); }

SEC("raw_tp/sched_process_exit")
int exit_raw(u64 *ctx) { return on_exit(ctx); }

SEC("tracepoint/sched/sched_process_exit")
int exit_tp(void *ctx) { return on_exit(ctx); }
