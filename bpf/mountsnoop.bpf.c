/* mountsnoop: mount, umount and the new mount API (fsopen, fsconfig, fsmount, move_mount,
 * open_tree, mount_setattr) with their arguments and result. The arguments are kept at syscall
 * entry and the strings read at exit, from the caller's memory (still mapped: the caller is
 * inside the call). BCC uses kprobes on the syscall functions; the syscalls show the same calls,
 * arguments and results on every kernel, so they are the method everywhere: one raw_tp program
 * on sys_enter and one on sys_exit (bpf/syscalls.bpf.h: released at once on Ctrl-C, where eight
 * tracepoint pairs took 650 ms), the per-syscall tracepoints as their parts where raw_tp is
 * missing. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "mountsnoop.h"

struct call_args {
	unsigned int call;
	unsigned long long args[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct call_args);
} calls SEC(".maps");

/* Keeps the call's own nargs arguments. */
static __always_inline int on_enter(const unsigned long *args, unsigned int call, int nargs)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct call_args a = { .call = call };

	if (!bcct_filter_current())
		return 0;
	/* Unrolled with a select: a loop bounded by nargs became a memcpy BPF cannot call. */
#pragma clang loop unroll(full)
	for (int i = 0; i < 6; i++)
		a.args[i] = i < nargs ? args[i] : 0;
	bpf_map_update_elem(&calls, &tid, &a, BPF_ANY);
	return 0;
}

/* Which argument each string slot of a call reads, -1 for none. */
static __always_inline int str_arg(unsigned int call, int slot)
{
	switch (call) {
	case MNT_CALL_MOUNT:            /* source, target, type, data (after flags) */
		return slot < 3 ? slot : 4;
	case MNT_CALL_UMOUNT:           /* target */
	case MNT_CALL_FSOPEN:           /* fs_name */
		return slot == 0 ? 0 : -1;
	case MNT_CALL_FSCONFIG:         /* key, value */
		return slot == 0 ? 2 : slot == 1 ? 3 : -1;
	case MNT_CALL_MOVE_MOUNT:       /* from_pathname, to_pathname */
		return slot == 0 ? 1 : slot == 1 ? 3 : -1;
	case MNT_CALL_OPEN_TREE:        /* filename */
	case MNT_CALL_MOUNT_SETATTR:    /* path */
		return slot == 0 ? 1 : -1;
	}
	return -1;
}

/* fsconfig's value is a string only for these commands (a binary blob or nothing else). */
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_SET_PATH 3
#define FSCONFIG_SET_PATH_EMPTY 4

static __always_inline int on_exit(void *ctx, long ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct mountsnoop_event *e;
	struct call_args *a;

	a = bpf_map_lookup_elem(&calls, &tid);
	if (!a)
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		goto out;
	e->pid = id >> 32;
	e->tid = tid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	e->call = a->call;
	e->ret = ret;
	for (int i = 0; i < 6; i++)
		e->args[i] = a->args[i];
	e->attr_set = e->attr_clr = 0;
	if (a->call == MNT_CALL_MOUNT_SETATTR && a->args[3]) {
		bpf_probe_read_user(&e->attr_set, sizeof(e->attr_set), (void *)a->args[3]);
		bpf_probe_read_user(&e->attr_clr, sizeof(e->attr_clr), (void *)a->args[3] + 8);
	}
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	BPF_CORE_READ_STR_INTO(&e->pcomm, task, real_parent, comm);
	for (int s = 0; s < MOUNTSNOOP_STRS; s++) {
		int arg = str_arg(a->call, s);
		const char *p;

		e->str[s][0] = 0;
		if (arg < 0 || arg > 5)
			continue;
		p = (const char *)a->args[arg];
		if (a->call == MNT_CALL_FSCONFIG && s == 1 && a->args[1] != FSCONFIG_SET_STRING &&
		    a->args[1] != FSCONFIG_SET_PATH && a->args[1] != FSCONFIG_SET_PATH_EMPTY)
			continue;
		if (p && bpf_probe_read_user_str(e->str[s], MOUNTSNOOP_STR_LEN, p) < 0)
			e->str[s][0] = 0;
	}
	bcct_event_submit(ctx, e, sizeof(*e));
out:
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

/* umount's tracepoint is the umount2 syscall (the kernel's SYSCALL_DEFINE2(umount, ...)). */
BCCT_SYSCALL_NR(mount);
BCCT_SYSCALL_NR(umount2);
BCCT_SYSCALL_NR(fsopen);
BCCT_SYSCALL_NR(fsconfig);
BCCT_SYSCALL_NR(fsmount);
BCCT_SYSCALL_NR(move_mount);
BCCT_SYSCALL_NR(open_tree);
BCCT_SYSCALL_NR(mount_setattr);

/* The call and its argument count of syscall number id; false for the others. */
static __always_inline bool mount_call_of(long id, unsigned int *call, int *nargs)
{
	if (bcct_is_syscall(id, bcct_nr_mount))
		*call = MNT_CALL_MOUNT, *nargs = 5;
	else if (bcct_is_syscall(id, bcct_nr_umount2))
		*call = MNT_CALL_UMOUNT, *nargs = 2;
	else if (bcct_is_syscall(id, bcct_nr_fsopen))
		*call = MNT_CALL_FSOPEN, *nargs = 2;
	else if (bcct_is_syscall(id, bcct_nr_fsconfig))
		*call = MNT_CALL_FSCONFIG, *nargs = 5;
	else if (bcct_is_syscall(id, bcct_nr_fsmount))
		*call = MNT_CALL_FSMOUNT, *nargs = 3;
	else if (bcct_is_syscall(id, bcct_nr_move_mount))
		*call = MNT_CALL_MOVE_MOUNT, *nargs = 5;
	else if (bcct_is_syscall(id, bcct_nr_open_tree))
		*call = MNT_CALL_OPEN_TREE, *nargs = 3;
	else if (bcct_is_syscall(id, bcct_nr_mount_setattr))
		*call = MNT_CALL_MOUNT_SETATTR, *nargs = 5;
	else
		return false;
	return true;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];
	unsigned int call;
	int nargs;

	if (!mount_call_of(id, &call, &nargs) || !bcct_syscall_args(regs, a))
		return 0;
	return on_enter(a, call, nargs);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	unsigned int call;
	int nargs;

	if (!mount_call_of(bcct_syscall_exit_nr(regs), &call, &nargs))
		return 0;
	return on_exit(ctx, ret);
}

/* The parts: each tracepoint reads only its own nargs arguments (the kernel refuses to attach a
 * program that reads past the end of its record: EACCES). */
#define MOUNT_CALL(name, call, nargs)							\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int sys_enter__##name##_tp(struct bcct_sys_enter *ctx)				\
	{										\
		unsigned long a[6] = {};						\
											\
		for (int i = 0; i < (nargs); i++)					\
			a[i] = ctx->args[i];						\
		return on_enter(a, call, nargs);					\
	}										\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit__##name##_tp(struct bcct_sys_exit *ctx) { return on_exit(ctx, ctx->ret); }

MOUNT_CALL(mount, MNT_CALL_MOUNT, 5)
MOUNT_CALL(umount, MNT_CALL_UMOUNT, 2)
MOUNT_CALL(fsopen, MNT_CALL_FSOPEN, 2)
MOUNT_CALL(fsconfig, MNT_CALL_FSCONFIG, 5)
MOUNT_CALL(fsmount, MNT_CALL_FSMOUNT, 3)
MOUNT_CALL(move_mount, MNT_CALL_MOVE_MOUNT, 5)
MOUNT_CALL(open_tree, MNT_CALL_OPEN_TREE, 3)
MOUNT_CALL(mount_setattr, MNT_CALL_MOUNT_SETATTR, 5)
