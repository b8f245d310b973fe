/* shmsnoop: shmget, shmat, shmdt and shmctl calls with their arguments and result. BCC puts
 * kprobes and kretprobes on the syscall functions; the syscall tracepoints see the same calls
 * with the same arguments on every kernel, so they are the one method here. */
#include "bcct.bpf.h"
#include "shmsnoop.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct shmsnoop_event);
} calls SEC(".maps");

static __always_inline int enter(struct trace_event_raw_sys_enter *a, unsigned int sys)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct shmsnoop_event e = {};

	if (!bcct_filter_current())
		return 0;
	e.sys = sys;
	e.pid = id >> 32;
	e.tid = tid;
	for (int i = 0; i < 3; i++)
		e.args[i] = BPF_CORE_READ(a, args[i]);
	bpf_map_update_elem(&calls, &tid, &e, BPF_ANY);
	return 0;
}

static __always_inline int leave(struct trace_event_raw_sys_exit *a)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct shmsnoop_event *call = bpf_map_lookup_elem(&calls, &tid), *e;

	if (!call)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (e) {
		__builtin_memcpy(e, call, sizeof(*e));
		e->ts = bpf_ktime_get_ns();
		e->ret = BPF_CORE_READ(a, ret);
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bcct_event_submit(a, e, sizeof(*e));
	}
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

#define SHM_CALL(name, sys)								\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int name##_enter_tp(struct trace_event_raw_sys_enter *a) { return enter(a, sys); }	\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int name##_exit_tp(struct trace_event_raw_sys_exit *a) { return leave(a); }

SHM_CALL(shmget, SHMSNOOP_SHMGET)
SHM_CALL(shmat, SHMSNOOP_SHMAT)
SHM_CALL(shmdt, SHMSNOOP_SHMDT)
SHM_CALL(shmctl, SHMSNOOP_SHMCTL)
