/* execsnoop: exec() calls with arguments and return code, from the raw syscall
 * hooks (or the per-syscall tracepoints). */
#include "bcct.bpf.h"
#include "execsnoop.h"
#include "syscalls.bpf.h"

const volatile int max_args = 20;
const volatile bool include_failed = false;
const volatile int ppid_filter = 0;

/* The event is assembled at entry (arguments are only readable there) and sent at exit.
 * Preallocated: kernels before 5.13 warn (WARN_ONCE) about run-time allocated hash maps in
 * tracing programs. 256 execs in flight at once is plenty; 2 MiB of kernel memory. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, struct execsnoop_event);
} execs SEC(".maps");

static const struct execsnoop_event empty;

/* The shared filter without its comm test: --comm names the process as exec leaves it (BCC's
 * -n and a user's `--comm true` mean the new program), so the comm is matched at exit. At
 * entry the comm is still the caller's (the shell's). */
static __always_inline bool filter_except_comm(void)
{
	u64 id = bpf_get_current_pid_tgid();

	if (!bcct_filter_task(id >> 32, (u32)id))
		return false;
	if (bcct_filter.has_uid && bcct_filter.uid != (u32)bpf_get_current_uid_gid())
		return false;
	if (bcct_filter.has_cgroup && bpf_current_task_under_cgroup(&cgroup_filter, 0) != 1)
		return false;
	return bcct_filter_pinned_maps();
}

static __always_inline int on_enter(const char *filename, const char *const *argv)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct execsnoop_event *e;
	struct task_struct *task;
	int ret;

	if (!filter_except_comm())
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	if (ppid_filter && BPF_CORE_READ(task, real_parent, tgid) != ppid_filter)
		return 0;
	if (bpf_map_update_elem(&execs, &tid, &empty, BPF_NOEXIST))
		return 0;
	e = bpf_map_lookup_elem(&execs, &tid);
	if (!e)
		return 0;
	e->pid = id >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&e->pcomm, task, real_parent, comm);

	ret = bpf_probe_read_user_str(e->args, EXECSNOOP_ARGSIZE, filename);
	if (ret < 0)
		ret = 1;   /* unreadable: an empty string */
	e->args_size = ret;
	e->args_count = 1;
	for (int i = 1; i < EXECSNOOP_MAX_ARGS; i++) {
		const char *arg = NULL;

		if (i >= max_args) {
			/* One more readable argument means the list was cut: the printer adds "...". */
			bpf_probe_read_user(&arg, sizeof(arg), &argv[i]);
			if (arg)
				e->args_count++;
			break;
		}
		bpf_probe_read_user(&arg, sizeof(arg), &argv[i]);
		if (!arg || e->args_size > EXECSNOOP_ARGS_BUF - EXECSNOOP_ARGSIZE)
			break;
		ret = bpf_probe_read_user_str(&e->args[e->args_size], EXECSNOOP_ARGSIZE, arg);
		if (ret < 0)
			break;
		e->args_size += ret;
		e->args_count++;
	}
	return 0;
}

static __always_inline int on_exit(void *ctx, long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct execsnoop_event *e = bpf_map_lookup_elem(&execs, &tid);
	u64 len;

	if (!e)
		return 0;
	if (ret < 0 && !include_failed)
		goto out;
	e->retval = ret;
	e->ts = bpf_ktime_get_ns();
	e->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bcct_filter.has_comm && !bcct_comm_eq(e->comm, bcct_filter.comm))
		goto out;
	len = __builtin_offsetof(struct execsnoop_event, args) + e->args_size;
	if (len <= sizeof(*e))
		bcct_event_output(ctx, e, len);
out:
	bpf_map_delete_elem(&execs, &tid);
	return 0;
}

/* The probes: one raw_tp program per hook dispatching on the syscall number, or the
 * per-syscall tracepoints where raw_tp is unavailable (bpf/syscalls.bpf.h). A successful
 * exec keeps the syscall number in the new image's registers, so its exit is seen too. */
BCCT_SYSCALL_NR(execve);
BCCT_SYSCALL_NR(execveat);

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (bcct_is_syscall(id, bcct_nr_execve)) {
		if (bcct_syscall_args(regs, a))
			return on_enter((const char *)a[0], (const char *const *)a[1]);
	} else if (bcct_is_syscall(id, bcct_nr_execveat)) {
		if (bcct_syscall_args(regs, a))
			return on_enter((const char *)a[1], (const char *const *)a[2]);
	}
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);

	if ((bcct_is_syscall(id, bcct_nr_execve) || bcct_is_syscall(id, bcct_nr_execveat)) &&
	    bcct_syscall_native(regs))
		return on_exit(ctx, ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int sys_enter__execve_tp(struct bcct_sys_enter *ctx)
{
	return on_enter((const char *)ctx->args[0], (const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int sys_exit__execve_tp(struct bcct_sys_exit *ctx)
{
	return on_exit(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int sys_enter__execveat_tp(struct bcct_sys_enter *ctx)
{
	return on_enter((const char *)ctx->args[1], (const char *const *)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int sys_exit__execveat_tp(struct bcct_sys_exit *ctx)
{
	return on_exit(ctx, ctx->ret);
}
