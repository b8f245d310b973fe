/* The book's socket tools (BPF Performance Tools ch. 10: soconnect, soaccept, sofamily,
 * soprotocol, udpconnect, socketio, socksize, sormem, ...): what they share beside core/family/net
 * (addresses, ports). Several of them share one BPF object and use part of it. */
#ifndef BCCT_FAMILY_SOCK_H
#define BCCT_FAMILY_SOCK_H
#include <stdbool.h>
#include "core/features.h"

/* From configure: loads only the programs whose names begin with one of prefixes (a
 * BCCT_NAMES list), every other program of the shared object off. */
void sock_programs_only(void *skel, const char *const *prefixes);

/* Probes of the shared objects that some kernels lack, for every tool of the object
 * (`bcct features` plans with the whole object): udpconnect's kprobe on ip6_datagram_connect
 * and soprotocol's on security_socket_accept, which their syscall fallbacks replace (one
 * program for both); socketio's entry kprobes, which only the kretprobes need. */
#define SOCK_CALL_OPTIONAL BCCT_NAMES("ip6_datagram_connect", "security_socket_accept")
#define SOCK_IO_OPTIONAL BCCT_NAMES("read_entry", "write_entry")

/* An address family as the book's sofamily names it: "AF_UNSPEC", "AF_UNIX", "AF_INET",
 * "AF_INET6", else "" (what bpftrace prints for a name its table lacks). */
const char *sock_family_name(int family);
/* An IP protocol as the book's soprotocol names it: "IPPROTO_IP", "IPPROTO_ICMP",
 * "IPPROTO_TCP", "IPPROTO_UDP", else "". */
const char *sock_ipproto_name(int protocol);

/* Defines `static bool fn(void)` for struct bcct_applet's .falls_back: whether the kernel
 * function func cannot take a kprobe here, so the tool's tracepoint fallback is in use. */
#define SOCK_KPROBE_FALLBACK(fn, func)					\
	static bool fn(void)						\
	{								\
		const char *why;					\
									\
		return !bcct_target_usable(KIND_KPROBE, func, &why);	\
	}

/* soconnect's and soaccept's leading columns: PID, PROCESS, FAM, ADDRESS, PORT, as the book
 * prints them (out_begin() done). */
struct sockcall_event;
void sock_call_out_peer(const struct sockcall_event *e);

/* socksize and socketio (bpf/sockio.bpf.c): whether their kretprobes on sock_read_iter and
 * sock_write_iter fall back to the sock:sock_recv_length/sock_send_length tracepoints here, and
 * what that changes. */
bool sock_io_falls_back(void);
#define SOCK_IO_FALLBACK \
	"sock:sock_recv_length/sock_send_length: every receive and send, recv*(2)/send*(2) too"
#define SOCK_IO_FALLBACK_NOTE \
	"Without kprobes, the sock:sock_recv_length and\n" \
	"sock:sock_send_length tracepoints (Linux 6.1+), where every socket receive and send ends:\n" \
	"recv*(2), send*(2) and the kernel's own socket I/O are counted too. -v shows the method."
#endif
