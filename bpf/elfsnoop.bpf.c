/* elfsnoop: ELF binaries loaded by exec, as the book's elfsnoop.bt (kprobe and kretprobe on
 * load_elf_binary): fexit load_elf_binary sees the binprm and the result in one program.
 * Fallback: sched:sched_process_exec, which sees only execs that succeeded (RET 0), of any
 * binary format (a script's exec shows as one line naming the script). */
#include "bcct.bpf.h"
#include "elfsnoop.h"

static __always_inline int loaded(void *ctx, struct linux_binprm *bprm, int ret)
{
	struct elfsnoop_event *e;
	struct file *f;

	if (!bcct_filter_current())
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	f = BPF_CORE_READ(bprm, file);
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ret = ret;
	e->ino = BPF_CORE_READ(f, f_inode, i_ino);
	bpf_probe_read_kernel_str(e->interp, sizeof(e->interp), BPF_CORE_READ(bprm, interp));
	bpf_probe_read_kernel_str(e->file, sizeof(e->file), BPF_CORE_READ(bprm, filename));
	bpf_probe_read_kernel_str(e->mount, sizeof(e->mount),
				  BPF_CORE_READ(f, f_path.mnt, mnt_root, d_name.name));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("fexit/load_elf_binary")
int BPF_PROG(load_elf_fexit, struct linux_binprm *bprm, int ret)
{
	return loaded(ctx, bprm, ret);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(load_elf_raw, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return loaded(ctx, bprm, 0);
}
