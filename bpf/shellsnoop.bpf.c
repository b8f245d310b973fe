/* shellsnoop: what a shell and every process it starts write to their stdout and stderr, as the
 * book's shellsnoop.bt: sched_process_fork makes a child of the tree part of it, write(2) and
 * writev(2) to fd 1 or 2 at syscall entry are mirrored (bpf/mirror.bpf.h). One raw_tp program
 * on sys_enter, the per-syscall tracepoints as its parts where raw_tp is missing. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "mirror.bpf.h"

const volatile unsigned int shell_pid = 0;

/* The processes (tgids) started from the shell, at any depth; LRU so that a fork storm can
 * never fill it for good (the oldest, most likely gone, are dropped). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, u8);
} tree SEC(".maps");

static __always_inline bool in_tree(u32 tgid)
{
	return tgid == shell_pid || bpf_map_lookup_elem(&tree, &tgid);
}

static __always_inline int forked(u32 parent_tgid, u32 child_tgid)
{
	u8 one = 1;

	if (child_tgid != parent_tgid && in_tree(parent_tgid))
		bpf_map_update_elem(&tree, &child_tgid, &one, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return forked(BPF_CORE_READ(parent, tgid), BPF_CORE_READ(child, tgid));
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return forked(BPF_CORE_READ(parent, tgid), BPF_CORE_READ(child, tgid));
}

/* The record has thread ids: a new thread (same process) only misses the tree lookup. */
SEC("tracepoint/sched/sched_process_fork")
int fork_tp(struct trace_event_raw_sched_process_fork *ctx)
{
	return forked(ctx->parent_pid, ctx->child_pid);
}

static __always_inline int write_call(void *ctx, unsigned long fd, unsigned long buf,
				      unsigned long count, bool vector)
{
	struct mirror_write *w;

	if ((fd != 1 && fd != 2) || !in_tree(bpf_get_current_pid_tgid() >> 32) ||
	    !(w = mirror_begin()))
		return 0;
	if (vector)
		mirror_add_iovec(w, (const struct iovec *)buf, count, true);
	else
		mirror_add(w, (const void *)buf, count);
	return mirror_send(ctx, w);
}

BCCT_SYSCALL_NR(write);
BCCT_SYSCALL_NR(writev);

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];
	bool vector = bcct_is_syscall(id, bcct_nr_writev);

	if (!vector && !bcct_is_syscall(id, bcct_nr_write))
		return 0;
	if (!bcct_syscall_args(regs, a))
		return 0;
	return write_call(ctx, a[0], a[1], a[2], vector);
}

SEC("tracepoint/syscalls/sys_enter_write")
int sys_enter__write_tp(struct bcct_sys_enter *a)
{
	return write_call(a, a->args[0], a->args[1], a->args[2], false);
}

SEC("tracepoint/syscalls/sys_enter_writev")
int sys_enter__writev_tp(struct bcct_sys_enter *a)
{
	return write_call(a, a->args[0], a->args[1], a->args[2], true);
}
