/* naptime (BPF Performance Tools, ch. 13): voluntary sleeps, at the entry of nanosleep() and
 * clock_nanosleep(). The book's tool traces nanosleep alone; glibc's sleep(), usleep() and
 * nanosleep() have called clock_nanosleep since 2.31, so without it today's sleeps go unseen.
 * One raw_tp program on sys_enter (bpf/syscalls.bpf.h), the two tracepoints as its parts. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "naptime.h"

#define NAPTIME_TIMER_ABSTIME 1
#define NAPTIME_CLOCK_MONOTONIC 1

BCCT_SYSCALL_NR(nanosleep);
BCCT_SYSCALL_NR(clock_nanosleep);

struct user_timespec {
	long tv_sec, tv_nsec;
};

/* clock and flags are clock_nanosleep's (0, 0 for nanosleep, which is relative on
 * CLOCK_MONOTONIC's timer). */
static __always_inline int on_sleep(void *ctx, long clock, long flags, const void *rqtp)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct naptime_event *e;
	struct user_timespec t;
	__u64 ns, now = bpf_ktime_get_ns();

	if (!bcct_filter_current() || bpf_probe_read_user(&t, sizeof(t), rqtp))
		return 0;
	ns = (__u64)t.tv_sec * 1000000000ULL + (__u64)t.tv_nsec;
	if (flags & NAPTIME_TIMER_ABSTIME) {
		/* An absolute wake-up time: a duration only on the clock this program can read
		 * (bpf_ktime_get_ns is CLOCK_MONOTONIC); a deadline on another clock is skipped. */
		if (clock != NAPTIME_CLOCK_MONOTONIC || ns <= now)
			return 0;
		ns -= now;
	}
	/* The book's filter: zero-length sleeps (sched_yield's cousins) are not naps. */
	if (!ns)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = now;
	e->sleep_ns = ns;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	BPF_CORE_READ_STR_INTO(&e->pcomm, task, real_parent, comm);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];
	bool nano = bcct_is_syscall(id, bcct_nr_nanosleep);

	if (!nano && !bcct_is_syscall(id, bcct_nr_clock_nanosleep))
		return 0;
	if (!bcct_syscall_args(regs, a))
		return 0;
	if (nano)
		return on_sleep(ctx, 0, 0, (const void *)a[0]);
	return on_sleep(ctx, a[0], a[1], (const void *)a[2]);
}

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int sys_enter__nanosleep_tp(struct bcct_sys_enter *ctx)
{
	return on_sleep(ctx, 0, 0, (const void *)ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_clock_nanosleep")
int sys_enter__clock_nanosleep_tp(struct bcct_sys_enter *ctx)
{
	return on_sleep(ctx, ctx->args[0], ctx->args[1], (const void *)ctx->args[2]);
}
