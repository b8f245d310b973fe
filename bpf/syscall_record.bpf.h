/* Syscalls traced one event per call (setuids, shmsnoop): the arguments kept per thread at the
 * entry, the event sent with the result at the exit. One raw_tp program on sys_enter and one on
 * sys_exit (bpf/syscalls.bpf.h: released at once on Ctrl-C), the per-syscall tracepoints as their
 * parts where raw_tp is missing.
 *
 * The applet names its syscalls in an X-macro list, X(name, call, nargs) per syscall (call: its
 * index in the applet's table, nargs: the arguments kept, at most 3), and writes
 * SYSCALL_RECORD_PROGRAMS(LIST). */
#ifndef SYSCALL_RECORD_BPF_H
#define SYSCALL_RECORD_BPF_H
#include "syscalls.bpf.h"
#include "syscall_record.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct syscall_record);
} syscall_records SEC(".maps");

static __always_inline int syscall_record_enter(const unsigned long *args, unsigned int call)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct syscall_record r = {};

	if (!bcct_filter_current())
		return 0;
	r.call = call;
	r.pid = id >> 32;
	r.tid = tid;
	r.uid = (u32)bpf_get_current_uid_gid();
	for (int i = 0; i < 3; i++)
		r.args[i] = args[i];
	bpf_map_update_elem(&syscall_records, &tid, &r, BPF_ANY);
	return 0;
}

static __always_inline int syscall_record_exit(void *ctx, long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct syscall_record *r = bpf_map_lookup_elem(&syscall_records, &tid), *e;

	if (!r)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (e) {
		__builtin_memcpy(e, r, sizeof(*e));
		e->ts = bpf_ktime_get_ns();
		e->ret = ret;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bcct_event_submit(ctx, e, sizeof(*e));
	}
	bpf_map_delete_elem(&syscall_records, &tid);
	return 0;
}

#define SYSCALL_RECORD_NR(name, call, nargs) BCCT_SYSCALL_NR(name);
#define SYSCALL_RECORD_CALL(name, call_, nargs) else if (bcct_is_syscall(nr, bcct_nr_##name)) call = (call_);

/* The parts: each tracepoint reads only its own syscall's arguments (the kernel refuses to attach
 * a program that reads past its record). */
#define SYSCALL_RECORD_PART(name, call, nargs)						\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int sys_enter__##name##_tp(struct bcct_sys_enter *a)				\
	{										\
		unsigned long args[3] = {};						\
											\
		for (int i = 0; i < (nargs) && i < 3; i++)				\
			args[i] = a->args[i];						\
		return syscall_record_enter(args, (call));				\
	}										\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit__##name##_tp(struct bcct_sys_exit *a) { return syscall_record_exit(a, a->ret); }

/* call: the listed syscall's index, or -1 for any other. */
#define SYSCALL_RECORD_PROGRAMS(LIST)							\
	LIST(SYSCALL_RECORD_NR)								\
											\
	static __always_inline int syscall_record_call(long nr)			\
	{										\
		int call = -1;								\
											\
		if (nr < 0) {}								\
		LIST(SYSCALL_RECORD_CALL)						\
		return call;								\
	}										\
											\
	SEC("raw_tp/sys_enter")								\
	int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)			\
	{										\
		unsigned long a[6];							\
		int call = syscall_record_call(id);					\
											\
		if (call < 0 || !bcct_syscall_args(regs, a))				\
			return 0;							\
		return syscall_record_enter(a, call);					\
	}										\
											\
	/* Any syscall's exit: only a thread with a call kept at the entry has one in	\
	 * syscall_records; the number check spares the others the map lookup. */	\
	SEC("raw_tp/sys_exit")								\
	int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)			\
	{										\
		if (syscall_record_call(bcct_syscall_exit_nr(regs)) < 0)		\
			return 0;							\
		return syscall_record_exit(ctx, ret);					\
	}										\
											\
	LIST(SYSCALL_RECORD_PART)
#endif
