/* mmapsnoop (BPF Performance Tools, ch. 7): each mmap() of a file at its entry, with its
 * protection, flags, offset, length and the file's name from the fd, as the book's tool, which
 * reads the fd table at syscalls:sys_enter_mmap. Anonymous mappings are skipped. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "fs.bpf.h"
#include "mmapsnoop.h"

#define MMAPSNOOP_MAP_ANONYMOUS 0x20

BCCT_SYSCALL_NR(mmap);

/* mmap(addr, len, prot, flags, fd, off) */
static __always_inline int mmap_enter(void *ctx, const unsigned long *a)
{
	struct mmapsnoop_event *e;

	if ((a[3] & MMAPSNOOP_MAP_ANONYMOUS) || !bcct_filter_current())
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->len = a[1];
	e->prot = a[2];
	e->flags = a[3];
	e->off = a[5];
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	fs_file_name(fs_fd_file((int)a[4]), e->file, sizeof(e->file));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (!bcct_is_syscall(id, bcct_nr_mmap) || !bcct_syscall_args(regs, a))
		return 0;
	return mmap_enter(ctx, a);
}

SEC("tracepoint/syscalls/sys_enter_mmap")
int sys_enter__mmap_tp(struct bcct_sys_enter *ctx)
{
	unsigned long a[6];

	for (int i = 0; i < 6; i++)
		a[i] = ctx->args[i];
	return mmap_enter(ctx, a);
}
