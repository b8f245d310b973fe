/* syscount: syscall counts (and total latency) per syscall or per process, from the
 * raw_syscalls:sys_enter/sys_exit tracepoints. */
#include "bcct.bpf.h"
#include "syscount.h"

const volatile bool measure_latency = false;   /* -L */
const volatile bool count_by_process = false;  /* -P */
const volatile bool filter_failed = false;     /* -x */
const volatile int filter_errno = 0;           /* -e: positive errno */
const volatile int filter_syscall = -1;        /* --syscall */
const volatile int filter_ppid = 0;            /* -c: children of this process only */

static __always_inline bool parent_matches(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return !filter_ppid || BPF_CORE_READ(task, real_parent, tgid) == filter_ppid;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCOUNT_MAX_ENTRIES);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCOUNT_MAX_ENTRIES);
	__type(key, u32);
	__type(value, struct syscount_val);
} data SEC(".maps");

static __always_inline int on_enter(long id)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 ts;

	if (!measure_latency)
		return 0;
	if (filter_syscall >= 0 && id != filter_syscall)
		return 0;
	if (!bcct_filter_current() || !parent_matches())
		return 0;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
	return 0;
}

static __always_inline struct syscount_val *lookup_val(u32 key)
{
	struct syscount_val *v = bpf_map_lookup_elem(&data, &key), init = {};

	if (v)
		return v;
	if (count_by_process)
		bpf_get_current_comm(init.comm, sizeof(init.comm));
	bpf_map_update_elem(&data, &key, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&data, &key);
}

static __always_inline int on_exit(long id, long ret)
{
	u64 id_tgid = bpf_get_current_pid_tgid(), delta = 0, *tsp;
	u32 tid = (u32)id_tgid;
	struct syscount_val *v;

	/* id -1: not a syscall (e.g. a ptrace-cancelled one), BCC drops it too. */
	if (id < 0 || (filter_syscall >= 0 && id != filter_syscall))
		return 0;
	if (!bcct_filter_current() || !parent_matches())
		return 0;
	if (measure_latency) {
		tsp = bpf_map_lookup_elem(&start, &tid);
		if (!tsp)
			return 0;   /* entered before tracing began */
		delta = bpf_ktime_get_ns() - *tsp;
		bpf_map_delete_elem(&start, &tid);
	}
	if (filter_failed && ret >= 0)
		return 0;
	if (filter_errno && ret != -filter_errno)
		return 0;
	v = lookup_val(count_by_process ? id_tgid >> 32 : (u32)id);
	if (!v)
		return 0;
	__sync_fetch_and_add(&v->count, 1);
	if (measure_latency)
		__sync_fetch_and_add(&v->total_ns, delta);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id) { return on_enter(id); }
SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id) { return on_enter(id); }
SEC("tracepoint/raw_syscalls/sys_enter")
int sys_enter_tp(struct bcct_sys_enter *ctx) { return on_enter(ctx->id); }

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf, struct pt_regs *regs, long ret) { return on_exit(bcct_syscall_nr(regs), ret); }
SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret) { return on_exit(bcct_syscall_nr(regs), ret); }
SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx->id, ctx->ret); }
