/* sockstat: socket calls counted, as the book's sockstat.bt: the accept, accept4, connect, bind,
 * socket and socketpair syscalls' tracepoints, and kprobes on sock_recvmsg and sock_sendmsg;
 * without kprobes, the sock:sock_recv_length and sock:sock_send_length tracepoints, where
 * every receive and send of a socket ends (read/write on sockets too; Linux 6.1+). */
#include "bcct.bpf.h"
#include "sockstat.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOCKSTAT_NR);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

static __always_inline int count(u32 what)
{
	u64 *n;

	if (!bcct_filter_current())
		return 0;
	n = bpf_map_lookup_elem(&counts, &what);
	if (n)
		*n += 1;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_accept")
int accept_tp(void *ctx) { return count(SOCKSTAT_ACCEPT); }
SEC("tracepoint/syscalls/sys_enter_accept4")
int accept4_tp(void *ctx) { return count(SOCKSTAT_ACCEPT4); }
SEC("tracepoint/syscalls/sys_enter_connect")
int connect_tp(void *ctx) { return count(SOCKSTAT_CONNECT); }
SEC("tracepoint/syscalls/sys_enter_bind")
int bind_tp(void *ctx) { return count(SOCKSTAT_BIND); }
SEC("tracepoint/syscalls/sys_enter_socket")
int socket_tp(void *ctx) { return count(SOCKSTAT_SOCKET); }
SEC("tracepoint/syscalls/sys_enter_socketpair")
int socketpair_tp(void *ctx) { return count(SOCKSTAT_SOCKETPAIR); }

SEC("kprobe/sock_recvmsg")
int BPF_KPROBE(recvmsg_kprobe) { return count(SOCKSTAT_RECVMSG); }
SEC("raw_tp/sock_recv_length")
int BPF_PROG(recvmsg_raw) { return count(SOCKSTAT_RECVMSG); }
SEC("kprobe/sock_sendmsg")
int BPF_KPROBE(sendmsg_kprobe) { return count(SOCKSTAT_SENDMSG); }
SEC("raw_tp/sock_send_length")
int BPF_PROG(sendmsg_raw) { return count(SOCKSTAT_SENDMSG); }
