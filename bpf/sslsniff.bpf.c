/* sslsniff: the plaintext an application hands to or gets from its TLS library, read at the
 * return of the library's read and write calls (the buffer is filled, or consumed, by then):
 * OpenSSL SSL_read/SSL_write (the count is the result) and SSL_read_ex/SSL_write_ex (the count
 * is in *readbytes or *written, the result 1), GnuTLS gnutls_record_recv/send, NSPR's
 * PR_Read/PR_Recv/PR_Write/PR_Send (NSS). The applet attaches each entry and return program to
 * the functions of each library. With --handshake, SSL_do_handshake's latency. */
#include "bcct.bpf.h"
#include "sslsniff.h"

const volatile __u32 max_buf = 8192;   /* --max-buffer-size, at most SSLSNIFF_BUF_MAX */

struct call {
	u64 ts;
	u64 buf;
	u64 count_ptr;   /* the _ex calls' size_t *: where the count goes; 0 for the others */
};

/* Calls in progress per thread; LRU so that threads killed mid-call never fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct call);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} handshakes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct sslsniff_event);
} scratch SEC(".maps");

static __always_inline int enter(const void *buf, const void *count_ptr)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct call c = { .ts = bpf_ktime_get_ns(), .buf = (u64)buf, .count_ptr = (u64)count_ptr };

	if (!bcct_filter_current())
		return 0;
	bpf_map_update_elem(&calls, &tid, &c, BPF_ANY);
	return 0;
}

static __always_inline struct sslsniff_event *event_begin(u64 start, int rw)
{
	u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	struct sslsniff_event *e;
	u32 zero = 0;

	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return NULL;
	e->ts = now;
	e->delta_ns = now - start;
	e->pid = id >> 32;
	e->tid = (u32)id;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->rw = rw;
	e->buf_size = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/* ret: the call's result as an int (SSL_read's and PR_Read's type; gnutls's ssize_t never
 * exceeds a record's 16 KiB), so that the upper half of the register does not matter. */
static __always_inline int leave(void *ctx, int ret, int rw)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sslsniff_event *e;
	struct call *c;
	u64 len, copy, size;

	c = bpf_map_lookup_elem(&calls, &tid);
	if (!c)
		return 0;
	if (c->count_ptr) {   /* _ex: 1 on success, the count where the caller asked */
		u64 n = 0;

		if (ret != 1 || bpf_probe_read_user(&n, sizeof(n), (void *)c->count_ptr))
			n = 0;
		len = n;
	} else {
		len = ret > 0 ? ret : 0;
	}
	if (!len || len > 0x7fffffff)   /* nothing moved (an error, a retry) */
		goto out;
	e = event_begin(c->ts, rw);
	if (!e)
		goto out;
	e->len = len;
	copy = len < max_buf ? len : max_buf;
	if (copy > SSLSNIFF_BUF_MAX)   /* for the verifier: max_buf is bounded by the applet */
		copy = SSLSNIFF_BUF_MAX;
	barrier_var(copy);
	if (copy && copy <= SSLSNIFF_BUF_MAX && !bpf_probe_read_user(e->buf, copy, (void *)c->buf))
		e->buf_size = copy;
	size = SSLSNIFF_EVENT_BASE + e->buf_size;
	if (size > sizeof(*e))
		size = sizeof(*e);
	bcct_event_output(ctx, e, size);
out:
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

/* SSL_read(ssl, buf, num), gnutls_record_recv(session, data, size), PR_Read(fd, buf, amount),
 * PR_Recv(fd, buf, amount, flags, timeout): the buffer is the second argument of every one. */
SEC("uprobe.multi")
int BPF_KPROBE(rw_entry, void *handle, const void *buf)
{
	return enter(buf, NULL);
}

/* SSL_read_ex(ssl, buf, num, size_t *readbytes), SSL_write_ex(ssl, buf, num, size_t *written). */
SEC("uprobe.multi")
int BPF_KPROBE(rw_ex_entry, void *ssl, const void *buf, size_t num, size_t *count)
{
	return enter(buf, count);
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(read_return, int ret)
{
	return leave(ctx, ret, SSLSNIFF_READ);
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(write_return, int ret)
{
	return leave(ctx, ret, SSLSNIFF_WRITE);
}

SEC("uprobe.multi")
int BPF_KPROBE(handshake_entry)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 ts = bpf_ktime_get_ns();

	if (!bcct_filter_current())
		return 0;
	bpf_map_update_elem(&handshakes, &tid, &ts, BPF_ANY);
	return 0;
}

SEC("uretprobe.multi")
int BPF_KRETPROBE(handshake_return, int ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sslsniff_event *e;
	u64 *start;

	start = bpf_map_lookup_elem(&handshakes, &tid);
	if (!start)
		return 0;
	if (ret > 0 && (e = event_begin(*start, SSLSNIFF_HANDSHAKE))) {   /* 1: done; <= 0 failed */
		e->len = ret;
		bcct_event_output(ctx, e, SSLSNIFF_EVENT_BASE);
	}
	bpf_map_delete_elem(&handshakes, &tid);
	return 0;
}
