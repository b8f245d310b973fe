/* eperm: syscalls failing with EPERM or EACCES, counted by process name, syscall and error, at
 * the return of every syscall as the book's eperm.bt (raw_syscalls:sys_exit): the raw hook,
 * else that tracepoint. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "eperm.h"

#define EPERM 1
#define EACCES 13

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct eperm_key);
	__type(value, u64);
} counts SEC(".maps");

static const u64 zero;

static __always_inline int on_exit(long nr, long ret)
{
	struct eperm_key k = {};
	u64 *c;

	if ((ret != -EPERM && ret != -EACCES) || !bcct_filter_current())
		return 0;
	k.nr = nr;
	k.err = -ret;
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	c = bcct_lookup_or_init(&counts, &k, &zero);
	if (c)
		__sync_fetch_and_add(c, 1);
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	/* A 32-bit syscall's number names another call here: skipped. */
	if ((ret != -EPERM && ret != -EACCES) || !bcct_syscall_native(regs))
		return 0;
	return on_exit(bcct_syscall_exit_nr(regs), ret);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit_tp(struct trace_event_raw_sys_exit *ctx)
{
	return on_exit(ctx->id, ctx->ret);
}
