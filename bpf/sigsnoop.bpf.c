/* sigsnoop: signals as generated (signal:signal_generate), or in kill-only mode (killsnoop) the
 * kill(), tkill() and tgkill() syscalls with their result. */
#include "bcct.bpf.h"
#include "sigsnoop.h"
#include "syscalls.bpf.h"

const volatile bool failed_only = false;   /* -x */
const volatile int target_pid = 0;         /* -T: receiving PID */
const volatile unsigned long long sig_mask = 0;          /* -s: bit sig - 1; 0 = all */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct sigsnoop_event);
} values SEC(".maps");

static __always_inline bool wanted(int tpid, int sig)
{
	if (target_pid && tpid != target_pid)
		return false;
	if (sig_mask && (sig < 1 || sig > 64 || !(sig_mask & (1ULL << (sig - 1)))))
		return false;
	return bcct_filter_current();
}

/* ---- kill-only mode: the event is started at syscall entry, sent at exit with the result. */

static __always_inline int kill_enter(int tpid, int sig)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct sigsnoop_event e = {};

	if (!wanted(tpid, sig))
		return 0;
	e.pid = id >> 32;
	e.tpid = tpid;
	e.sig = sig;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_map_update_elem(&values, &tid, &e, BPF_ANY);
	return 0;
}

static __always_inline int kill_exit(void *ctx, long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sigsnoop_event *e = bpf_map_lookup_elem(&values, &tid);

	if (!e)
		return 0;
	if (!failed_only || ret < 0) {
		e->ret = ret;
		e->ts = bpf_ktime_get_ns();
		bcct_event_output(ctx, e, sizeof(*e));
	}
	bpf_map_delete_elem(&values, &tid);
	return 0;
}

/* One raw_tp program per syscall hook dispatching on the number, or the per-syscall
 * tracepoints where raw_tp is unavailable (bpf/syscalls.bpf.h). */
BCCT_SYSCALL_NR(kill);
BCCT_SYSCALL_NR(tkill);
BCCT_SYSCALL_NR(tgkill);

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (bcct_is_syscall(id, bcct_nr_kill) || bcct_is_syscall(id, bcct_nr_tkill)) {
		if (bcct_syscall_args(regs, a))
			return kill_enter((int)a[0], (int)a[1]);
	} else if (bcct_is_syscall(id, bcct_nr_tgkill)) {
		if (bcct_syscall_args(regs, a))
			return kill_enter((int)a[1], (int)a[2]);
	}
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);

	if ((bcct_is_syscall(id, bcct_nr_kill) || bcct_is_syscall(id, bcct_nr_tkill) ||
	     bcct_is_syscall(id, bcct_nr_tgkill)) && bcct_syscall_native(regs))
		return kill_exit(ctx, ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_kill")
int sys_enter__kill_tp(struct bcct_sys_enter *ctx)
{ return kill_enter((int)ctx->args[0], (int)ctx->args[1]); }
SEC("tracepoint/syscalls/sys_exit_kill")
int sys_exit__kill_tp(struct bcct_sys_exit *ctx) { return kill_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_tkill")
int sys_enter__tkill_tp(struct bcct_sys_enter *ctx)
{ return kill_enter((int)ctx->args[0], (int)ctx->args[1]); }
SEC("tracepoint/syscalls/sys_exit_tkill")
int sys_exit__tkill_tp(struct bcct_sys_exit *ctx) { return kill_exit(ctx, ctx->ret); }

SEC("tracepoint/syscalls/sys_enter_tgkill")
int sys_enter__tgkill_tp(struct bcct_sys_enter *ctx)
{ return kill_enter((int)ctx->args[1], (int)ctx->args[2]); }
SEC("tracepoint/syscalls/sys_exit_tgkill")
int sys_exit__tgkill_tp(struct bcct_sys_exit *ctx) { return kill_exit(ctx, ctx->ret); }

/* ---- all signals: signal_generate, in the sender's context. RESULT is the siginfo errno, as
 * the tracepoint's errno field (libbpf-tools sigsnoop). */

static __always_inline int on_generate(void *ctx, int sig, int err, int tpid, const char *tcomm)
{
	struct sigsnoop_event *e;

	if (failed_only && err == 0)
		return 0;
	if (!wanted(tpid, sig))
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->tpid = tpid;
	e->sig = sig;
	e->ret = err;
	e->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->tcomm, sizeof(e->tcomm), tcomm);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

/* The tracepoint stores errno 0 for the SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) markers. */
static __always_inline int generate_task(void *ctx, int sig, struct kernel_siginfo *info,
					 struct task_struct *task)
{
	int err = (unsigned long)info > 1 ? BPF_CORE_READ(info, si_errno) : 0;

	return on_generate(ctx, sig, err, BPF_CORE_READ(task, pid), task->comm);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate_btf, int sig, struct kernel_siginfo *info, struct task_struct *task)
{ return generate_task(ctx, sig, info, task); }

SEC("raw_tp/signal_generate")
int BPF_PROG(signal_generate_raw, int sig, struct kernel_siginfo *info, struct task_struct *task)
{ return generate_task(ctx, sig, info, task); }

SEC("tracepoint/signal/signal_generate")
int signal_generate_tp(struct trace_event_raw_signal_generate *ctx)
{
	/* comm is read with a helper: CO-RE offsets make it a modified ctx pointer. */
	return on_generate(ctx, ctx->sig, ctx->errno, ctx->pid, ctx->comm);
}
