/* ioprofile (BPF Performance Tools, ch. 13): the user stacks that enter read, write, send and
 * recv syscalls, counted by process, syscall and stack. The book traces the tracepoints matching
 * sys_enter_*read*, *write*, *send*, *recv*; here one raw_tp program on sys_enter
 * (bpf/syscalls.bpf.h) takes the calls user space marked in io_syscall[] (the data-moving ones:
 * read, pread64, readv, preadv, preadv2 and their write twins, sendto/sendmsg/sendmmsg/sendfile,
 * recvfrom/recvmsg/recvmmsg), with their tracepoints as its parts. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "ioprofile.h"

const volatile __u8 io_syscall[IOPROFILE_NR_MAX];

BCCT_STACK_MAP(stacks, 10240);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct ioprofile_key);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int on_io(void *ctx, long nr)
{
	struct ioprofile_key key = { .nr = nr };
	static const u64 zero;
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bcct_lookup_or_init(&counts, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long nr = id;

	if (nr >= IOPROFILE_NR_MAX || !io_syscall[nr] || !bcct_syscall_native(regs))
		return 0;
	return on_io(ctx, id);
}

/* The parts: each tracepoint's record carries its syscall number. */
#define IOPROFILE_TP(name) \
	SEC("tracepoint/syscalls/sys_enter_" #name) \
	int sys_enter__##name##_tp(struct bcct_sys_enter *ctx) { return on_io(ctx, ctx->id); }
IOPROFILE_TP(read)
IOPROFILE_TP(pread64)
IOPROFILE_TP(readv)
IOPROFILE_TP(preadv)
IOPROFILE_TP(preadv2)
IOPROFILE_TP(write)
IOPROFILE_TP(pwrite64)
IOPROFILE_TP(writev)
IOPROFILE_TP(pwritev)
IOPROFILE_TP(pwritev2)
IOPROFILE_TP(sendto)
IOPROFILE_TP(sendmsg)
IOPROFILE_TP(sendmmsg)
IOPROFILE_TP(sendfile64)
IOPROFILE_TP(recvfrom)
IOPROFILE_TP(recvmsg)
IOPROFILE_TP(recvmmsg)
