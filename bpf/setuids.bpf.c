/* setuids: setuid(2), setfsuid(2) and setresuid(2) calls with their arguments and result, as the
 * book's setuids.bt (syscall tracepoints): one raw_tp program on sys_enter and one on sys_exit
 * (bpf/syscalls.bpf.h), the per-syscall tracepoints as their parts where raw_tp is missing. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "setuids.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct setuids_event);
} calls SEC(".maps");

static __always_inline int enter(const unsigned long *args, unsigned int call)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct setuids_event e = {};

	if (!bcct_filter_current())
		return 0;
	e.call = call;
	e.pid = id >> 32;
	e.tid = tid;
	e.uid = (u32)bpf_get_current_uid_gid();
	for (int i = 0; i < 3; i++)
		e.args[i] = args[i];
	bpf_map_update_elem(&calls, &tid, &e, BPF_ANY);
	return 0;
}

static __always_inline int leave(void *ctx, long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct setuids_event *call = bpf_map_lookup_elem(&calls, &tid), *e;

	if (!call)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (e) {
		__builtin_memcpy(e, call, sizeof(*e));
		e->ts = bpf_ktime_get_ns();
		e->ret = ret;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bcct_event_submit(ctx, e, sizeof(*e));
	}
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

BCCT_SYSCALL_NR(setuid);
BCCT_SYSCALL_NR(setfsuid);
BCCT_SYSCALL_NR(setresuid);

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];
	unsigned int call;

	if (bcct_is_syscall(id, bcct_nr_setuid))
		call = SETUIDS_SETUID;
	else if (bcct_is_syscall(id, bcct_nr_setfsuid))
		call = SETUIDS_SETFSUID;
	else if (bcct_is_syscall(id, bcct_nr_setresuid))
		call = SETUIDS_SETRESUID;
	else
		return 0;
	if (!bcct_syscall_args(regs, a))
		return 0;
	return enter(a, call);
}

/* Any syscall's exit: only a thread with a call recorded at entry has an entry in calls. */
SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	long nr = bcct_syscall_exit_nr(regs);

	if (!bcct_is_syscall(nr, bcct_nr_setuid) && !bcct_is_syscall(nr, bcct_nr_setfsuid) &&
	    !bcct_is_syscall(nr, bcct_nr_setresuid))
		return 0;
	return leave(ctx, ret);
}

/* The parts: each tracepoint reads only its own syscall's arguments (the kernel refuses to
 * attach a program that reads past its record). */
#define SETUID_CALL(name, call, nargs)							\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int sys_enter__##name##_tp(struct bcct_sys_enter *a)				\
	{										\
		unsigned long args[3] = {};						\
											\
		for (int i = 0; i < (nargs); i++)					\
			args[i] = a->args[i];						\
		return enter(args, call);						\
	}										\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit__##name##_tp(struct bcct_sys_exit *a) { return leave(a, a->ret); }

SETUID_CALL(setuid, SETUIDS_SETUID, 1)
SETUID_CALL(setfsuid, SETUIDS_SETFSUID, 1)
SETUID_CALL(setresuid, SETUIDS_SETRESUID, 3)
