/* soconnlat: IP connect() latency by the user stack that connected, as the book's soconnlat.bt:
 * from connect()'s entry (IPv4/IPv6 address) to its return, or, for a non-blocking connect
 * (EINPROGRESS), to the first poll, ppoll, epoll_wait, epoll_pwait(2), select or pselect6 of the
 * thread that returns ready. The raw sys_enter/sys_exit hooks dispatch on the syscall number
 * (bpf/syscalls.bpf.h); the per-syscall tracepoints are their parts. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "syscalls.bpf.h"
#include "soconnlat.h"

#define EINPROGRESS 115

struct conn_start {
	u64 ts;
	int stack_id;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct conn_start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__type(key, u32);
	__uint(value_size, 127 * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct soconnlat_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline int connect_enter(void *ctx, const void *uaddr)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct conn_start s;
	u16 family = 0;

	if (!bcct_filter_current() || bpf_probe_read_user(&family, sizeof(family), uaddr) ||
	    (family != AF_INET && family != AF_INET6))
		return 0;
	s.ts = bpf_ktime_get_ns();
	s.stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
	return 0;
}

/* The connect of this thread is done: its time into its stack's histogram. */
static __always_inline int connected(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct conn_start *s = bpf_map_lookup_elem(&starts, &tid);
	struct soconnlat_key k = {};

	if (!s)
		return 0;
	k.user_stack_id = s->stack_id;
	k.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	bcct_hist_add_log2(&hists, &k, (bpf_ktime_get_ns() - s->ts) / 1000);
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

static __always_inline int connect_exit(long ret)
{
	return ret == -EINPROGRESS ? 0 : connected();
}

static __always_inline int wait_exit(long ret)
{
	return ret > 0 ? connected() : 0;
}

BCCT_SYSCALL_NR(connect);
BCCT_SYSCALL_NR(poll);
BCCT_SYSCALL_NR(ppoll);
BCCT_SYSCALL_NR(epoll_wait);
BCCT_SYSCALL_NR(epoll_pwait);
BCCT_SYSCALL_NR(epoll_pwait2);
BCCT_SYSCALL_NR(select);
BCCT_SYSCALL_NR(pselect6);

static __always_inline bool is_wait(long id)
{
	return bcct_is_syscall(id, bcct_nr_poll) || bcct_is_syscall(id, bcct_nr_ppoll) ||
	       bcct_is_syscall(id, bcct_nr_epoll_wait) || bcct_is_syscall(id, bcct_nr_epoll_pwait) ||
	       bcct_is_syscall(id, bcct_nr_epoll_pwait2) || bcct_is_syscall(id, bcct_nr_select) ||
	       bcct_is_syscall(id, bcct_nr_pselect6);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (!bcct_is_syscall(id, bcct_nr_connect) || !bcct_syscall_args(regs, a))
		return 0;
	return connect_enter(ctx, (const void *)a[1]);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);

	if (bcct_is_syscall(id, bcct_nr_connect))
		return bcct_syscall_native(regs) ? connect_exit(ret) : 0;
	if (is_wait(id))
		return bcct_syscall_native(regs) ? wait_exit(ret) : 0;
	return 0;
}

/* The parts: one tracepoint per syscall. */
SEC("tracepoint/syscalls/sys_enter_connect")
int sys_enter__connect_tp(struct bcct_sys_enter *ctx)
{
	return connect_enter(ctx, (const void *)ctx->args[1]);
}
SEC("tracepoint/syscalls/sys_exit_connect")
int sys_exit__connect_tp(struct bcct_sys_exit *ctx) { return connect_exit(ctx->ret); }

#define WAIT_PART(name)									\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit__##name##_tp(struct bcct_sys_exit *ctx) { return wait_exit(ctx->ret); }
WAIT_PART(poll)
WAIT_PART(ppoll)
WAIT_PART(epoll_wait)
WAIT_PART(epoll_pwait)
WAIT_PART(epoll_pwait2)
WAIT_PART(select)
WAIT_PART(pselect6)
