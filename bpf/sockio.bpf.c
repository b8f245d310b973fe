/* sockio: socket reads and writes for the book's socksize, socketio and sormem (see sockio.h).
 *
 * socksize and socketio: as the book, kprobes and kretprobes on sock_read_iter and
 * sock_write_iter (read(2), write(2) and their vector forms on sockets; the entry keeps the
 * socket for socketio). Without kprobes, the sock:sock_recv_length and sock:sock_send_length
 * tracepoints, which fire where every receive and send of a socket ends (sock_recvmsg_nosec,
 * sock_sendmsg_nosec, Linux 6.1+), so they also count recv*(2), send*(2) and in-kernel users.
 * sormem: a kprobe on sock_recvmsg (the receive queue before a receive), else
 * sock:sock_recv_length (after it); with sock:sock_rcvqueue_full and sock:sock_exceed_buf_limit
 * for overflows. */
#include "bcct.bpf.h"
#include "net.bpf.h"
#include "sockio.h"

const volatile int mode = SOCKIO_SOCKSIZE;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct sockio_size_key);
	__type(value, struct bcct_hist);
} size_hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct sockio_io_key);
	__type(value, struct sockio_io_value);
} io SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, struct bcct_hist);
} rmem_hists SEC(".maps");

/* socketio with kprobes: the socket of the read or write in progress per thread. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} inflight SEC(".maps");

/* One read or write of ret bytes on sk (NULL when unknown) by the current task. */
static __always_inline int io_done(u32 dir, const struct sock *sk, long ret)
{
	if (ret < 0 || !bcct_filter_current())
		return 0;
	if (mode == SOCKIO_SOCKSIZE) {
		struct sockio_size_key k = { .dir = dir };

		bpf_get_current_comm(k.comm, sizeof(k.comm));
		bcct_hist_add_log2(&size_hists, &k, ret);
	} else if (mode == SOCKIO_SOCKETIO && sk) {
		struct sockio_io_key k = { .dir = dir, .pid = bpf_get_current_pid_tgid() >> 32 };
		static const struct sockio_io_value zero;
		struct sockio_io_value *v;

		bpf_get_current_comm(k.comm, sizeof(k.comm));
		bpf_probe_read_kernel_str(k.name, sizeof(k.name),
					  BPF_CORE_READ(sk, __sk_common.skc_prot, name));
		v = bcct_lookup_or_init(&io, &k, &zero);
		if (v) {
			__sync_fetch_and_add(&v->count, 1);
			__sync_fetch_and_add(&v->bytes, ret);
		}
	}
	return 0;
}

/* ---- kprobes: sock_read_iter(iocb, to), sock_write_iter(iocb, from) ---- */
static __always_inline int iter_entry(struct kiocb *iocb)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct socket *sock = BPF_CORE_READ(iocb, ki_filp, private_data);
	u64 sk = (u64)BPF_CORE_READ(sock, sk);

	bpf_map_update_elem(&inflight, &tid, &sk, BPF_ANY);
	return 0;
}

/* The socket iter_entry kept for this thread, forgotten; NULL for none. */
static __always_inline const struct sock *iter_sock(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 *p = bpf_map_lookup_elem(&inflight, &tid), sk;

	if (!p)
		return NULL;
	sk = *p;
	bpf_map_delete_elem(&inflight, &tid);
	return (const struct sock *)sk;
}

SEC("kprobe/sock_read_iter")
int BPF_KPROBE(read_entry_kprobe, struct kiocb *iocb) { return iter_entry(iocb); }
SEC("kprobe/sock_write_iter")
int BPF_KPROBE(write_entry_kprobe, struct kiocb *iocb) { return iter_entry(iocb); }
SEC("kretprobe/sock_read_iter")
int BPF_KRETPROBE(read_kretprobe, long ret) { return io_done(SOCKIO_READ, iter_sock(), ret); }
SEC("kretprobe/sock_write_iter")
int BPF_KRETPROBE(write_kretprobe, long ret) { return io_done(SOCKIO_WRITE, iter_sock(), ret); }

/* ---- the fallback: sock_recv_length(sk, ret, flags), sock_send_length(sk, ret, flags) ---- */
SEC("raw_tp/sock_recv_length")
int BPF_PROG(read_raw, struct sock *sk, int ret) { return io_done(SOCKIO_READ, sk, ret); }
SEC("tp_btf/sock_recv_length")
int BPF_PROG(read_btf, struct sock *sk, int ret) { return io_done(SOCKIO_READ, sk, ret); }
SEC("tracepoint/sock/sock_recv_length")
int read_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	return io_done(SOCKIO_READ, ctx->sk, ctx->ret);
}
SEC("raw_tp/sock_send_length")
int BPF_PROG(write_raw, struct sock *sk, int ret) { return io_done(SOCKIO_WRITE, sk, ret); }
SEC("tp_btf/sock_send_length")
int BPF_PROG(write_btf, struct sock *sk, int ret) { return io_done(SOCKIO_WRITE, sk, ret); }
SEC("tracepoint/sock/sock_send_length")
int write_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	return io_done(SOCKIO_WRITE, ctx->sk, ctx->ret);
}

/* ---- sormem ---- */
static __always_inline int rmem(const struct sock *sk)
{
	u32 alloc = SOCKIO_RMEM_ALLOC, limit = SOCKIO_RMEM_LIMIT;

	if (!sk || !bcct_filter_current())
		return 0;
	bcct_hist_add_log2(&rmem_hists, &alloc, (u32)BPF_CORE_READ(sk, sk_backlog.rmem_alloc.counter));
	bcct_hist_add_log2(&rmem_hists, &limit, (u32)BPF_CORE_READ(sk, sk_rcvbuf));
	return 0;
}

SEC("kprobe/sock_recvmsg")
int BPF_KPROBE(recvmsg_kprobe, struct socket *sock) { return rmem(BPF_CORE_READ(sock, sk)); }
SEC("raw_tp/sock_recv_length")
int BPF_PROG(recvmsg_raw, struct sock *sk) { return rmem(sk); }
SEC("tp_btf/sock_recv_length")
int BPF_PROG(recvmsg_btf, struct sock *sk) { return rmem(sk); }
SEC("tracepoint/sock/sock_recv_length")
int recvmsg_tp(struct trace_event_raw_sock_msg_length *ctx) { return rmem(ctx->sk); }

static __always_inline int rcvqueue_full(void *ctx, int rmem_alloc, int rcvbuf, u32 truesize)
{
	struct sockio_event e = { .kind = SOCKIO_RCVQUEUE_FULL };

	e.ts_ns = bpf_ktime_get_ns();
	e.rmem_alloc = rmem_alloc;
	e.rcvbuf = rcvbuf;
	e.truesize = truesize;
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

static __always_inline int exceed_buf_limit(void *ctx, int rmem_alloc, long allocated)
{
	struct sockio_event e = { .kind = SOCKIO_EXCEED_BUF_LIMIT };

	e.ts_ns = bpf_ktime_get_ns();
	e.rmem_alloc = rmem_alloc;
	e.allocated = allocated;
	bcct_event_output(ctx, &e, sizeof(e));
	return 0;
}

/* The raw tracepoints first (core's order): a raw_tp link is released at exit in about a
 * millisecond, a tracepoint perf event in 35-60 ms (bench/ctrlc). Their records read the same
 * fields of the socket and buffer the raw arguments point to: sock_rcvqueue_full(sk, skb),
 * sock_exceed_buf_limit(sk, prot, allocated[, kind]). */
SEC("raw_tp/sock_rcvqueue_full")
int BPF_PROG(rcvqueue_full_raw, struct sock *sk, struct sk_buff *skb)
{
	return rcvqueue_full(ctx, BPF_CORE_READ(sk, sk_backlog.rmem_alloc.counter),
			     BPF_CORE_READ(sk, sk_rcvbuf), BPF_CORE_READ(skb, truesize));
}

SEC("tracepoint/sock/sock_rcvqueue_full")
int rcvqueue_full_tp(struct trace_event_raw_sock_rcvqueue_full *ctx)
{
	return rcvqueue_full(ctx, ctx->rmem_alloc, ctx->sk_rcvbuf, ctx->truesize);
}

SEC("raw_tp/sock_exceed_buf_limit")
int BPF_PROG(exceed_buf_limit_raw, struct sock *sk, struct proto *prot, long allocated)
{
	return exceed_buf_limit(ctx, BPF_CORE_READ(sk, sk_backlog.rmem_alloc.counter), allocated);
}

SEC("tracepoint/sock/sock_exceed_buf_limit")
int exceed_buf_limit_tp(struct trace_event_raw_sock_exceed_buf_limit *ctx)
{
	return exceed_buf_limit(ctx, ctx->rmem_alloc, ctx->allocated);
}
