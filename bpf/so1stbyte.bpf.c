/* so1stbyte: time from an IP socket's connect() to the return of the first read on it, as the
 * book's so1stbyte.bt: connect (the start, forgotten when it fails other than EINPROGRESS), close
 * (forgotten, never read) and the read family (read, readv, pread64, preadv, preadv2, recvfrom,
 * recvmsg, recvmmsg) on that fd. The raw sys_enter/sys_exit hooks dispatch on the syscall number
 * (bpf/syscalls.bpf.h); the per-syscall tracepoints are their parts. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "syscalls.bpf.h"
#include "so1stbyte.h"

#define EINPROGRESS 115

/* A connected socket waiting for its first read: (process, fd). */
struct conn_key {
	u32 pid;
	int fd;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, struct conn_key);
	__type(value, u64);
} connstart SEC(".maps");

/* The fd of a connect or read in progress per thread. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, int);
} connfd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, int);
} readfd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct so1stbyte_key);
	__type(value, struct bcct_hist);
} hists SEC(".maps");

static __always_inline struct conn_key conn_of(int fd)
{
	struct conn_key k = { .pid = bpf_get_current_pid_tgid() >> 32, .fd = fd };

	return k;
}

static __always_inline int connect_enter(int fd, const void *uaddr)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct conn_key k = conn_of(fd);
	u16 family = 0;
	u64 now;

	if (!bcct_filter_current() || bpf_probe_read_user(&family, sizeof(family), uaddr) ||
	    (family != AF_INET && family != AF_INET6))
		return 0;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&connfd, &tid, &fd, BPF_ANY);
	bpf_map_update_elem(&connstart, &k, &now, BPF_ANY);
	return 0;
}

static __always_inline int connect_exit(long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	int *fd = bpf_map_lookup_elem(&connfd, &tid);
	struct conn_key k;

	if (!fd)
		return 0;
	k = conn_of(*fd);
	if (ret != 0 && ret != -EINPROGRESS)
		bpf_map_delete_elem(&connstart, &k);
	bpf_map_delete_elem(&connfd, &tid);
	return 0;
}

static __always_inline int close_enter(int fd)
{
	struct conn_key k = conn_of(fd);

	bpf_map_delete_elem(&connstart, &k);
	return 0;
}

static __always_inline int read_enter(int fd)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct conn_key k = conn_of(fd);

	if (bpf_map_lookup_elem(&connstart, &k))
		bpf_map_update_elem(&readfd, &tid, &fd, BPF_ANY);
	return 0;
}

static __always_inline int read_exit(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	int *fd = bpf_map_lookup_elem(&readfd, &tid);
	struct so1stbyte_key hk = {};
	struct conn_key k;
	u64 *start;

	if (!fd)
		return 0;
	k = conn_of(*fd);
	bpf_map_delete_elem(&readfd, &tid);
	start = bpf_map_lookup_elem(&connstart, &k);
	if (!start)
		return 0;
	hk.pid = k.pid;
	bpf_get_current_comm(hk.comm, sizeof(hk.comm));
	bcct_hist_add_log2(&hists, &hk, (bpf_ktime_get_ns() - *start) / 1000);
	bpf_map_delete_elem(&connstart, &k);
	return 0;
}

BCCT_SYSCALL_NR(connect);
BCCT_SYSCALL_NR(close);
BCCT_SYSCALL_NR(read);
BCCT_SYSCALL_NR(readv);
BCCT_SYSCALL_NR(pread64);
BCCT_SYSCALL_NR(preadv);
BCCT_SYSCALL_NR(preadv2);
BCCT_SYSCALL_NR(recvfrom);
BCCT_SYSCALL_NR(recvmsg);
BCCT_SYSCALL_NR(recvmmsg);

static __always_inline bool is_read(long id)
{
	return bcct_is_syscall(id, bcct_nr_read) || bcct_is_syscall(id, bcct_nr_readv) ||
	       bcct_is_syscall(id, bcct_nr_pread64) || bcct_is_syscall(id, bcct_nr_preadv) ||
	       bcct_is_syscall(id, bcct_nr_preadv2) || bcct_is_syscall(id, bcct_nr_recvfrom) ||
	       bcct_is_syscall(id, bcct_nr_recvmsg) || bcct_is_syscall(id, bcct_nr_recvmmsg);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (!bcct_is_syscall(id, bcct_nr_connect) && !bcct_is_syscall(id, bcct_nr_close) &&
	    !is_read(id))
		return 0;
	if (!bcct_syscall_args(regs, a))
		return 0;
	if (bcct_is_syscall(id, bcct_nr_connect))
		return connect_enter((int)a[0], (const void *)a[1]);
	if (bcct_is_syscall(id, bcct_nr_close))
		return close_enter((int)a[0]);
	return read_enter((int)a[0]);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);

	if (bcct_is_syscall(id, bcct_nr_connect))
		return bcct_syscall_native(regs) ? connect_exit(ret) : 0;
	if (is_read(id))
		return bcct_syscall_native(regs) ? read_exit() : 0;
	return 0;
}

/* The parts: one tracepoint per syscall. */
SEC("tracepoint/syscalls/sys_enter_connect")
int sys_enter__connect_tp(struct bcct_sys_enter *ctx)
{
	return connect_enter((int)ctx->args[0], (const void *)ctx->args[1]);
}
SEC("tracepoint/syscalls/sys_exit_connect")
int sys_exit__connect_tp(struct bcct_sys_exit *ctx) { return connect_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_enter_close")
int sys_enter__close_tp(struct bcct_sys_enter *ctx) { return close_enter((int)ctx->args[0]); }

#define READ_PARTS(name)								\
	SEC("tracepoint/syscalls/sys_enter_" #name)					\
	int sys_enter__##name##_tp(struct bcct_sys_enter *ctx)			\
	{ return read_enter((int)ctx->args[0]); }					\
	SEC("tracepoint/syscalls/sys_exit_" #name)					\
	int sys_exit__##name##_tp(struct bcct_sys_exit *ctx) { return read_exit(); }
READ_PARTS(read)
READ_PARTS(readv)
READ_PARTS(pread64)
READ_PARTS(preadv)
READ_PARTS(preadv2)
READ_PARTS(recvfrom)
READ_PARTS(recvmsg)
READ_PARTS(recvmmsg)
