/* soprotocol (BPF Performance Tools, ch. 10): transport protocols of the sockets connect() and
 * accept() work on, counted by process, as the book's soprotocol.bt (kprobes on
 * security_socket_connect and security_socket_accept). Without kprobes, the connect, accept and
 * accept4 syscalls' entries, the socket read from their fd. The shared object
 * bpf/sockcall.bpf.c. */
#include "core/table.h"
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/family/sock.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "sockcall.h"
#include "sockcall.skel.h"

BCCT_SKELETON(sockcall_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void row(const void *key, unsigned long long count)
{
	const struct sockcall_protocol_key *k = key;

	out_begin();
	out_str("comm", "%-16s", k->comm);
	out_int("protocol", "%5lld", k->protocol);
	out_str("protocol_name", "%-12s", sock_ipproto_name(k->protocol));
	out_str("proto", "%-8s", k->name);
	out_uint("count", "%8llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct sockcall_bpf *s = p;

	out_interval_begin();
	out_header("%-16s %5s %-12s %-8s %8s", "COMM", "PROTO", "PROTOCOL", "NAME", "COUNT");
	return table_print_counts(s->maps.protocols, row, true);
}

static int configure(void *p)
{
	struct sockcall_bpf *s = p;

	s->rodata->mode = SOCKCALL_SOPROTOCOL;
	sock_programs_only(p, BCCT_NAMES("security_socket_"));
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing socket connect/accepts. Ctrl-C to end.",
		.on_interval = print,
	});
}

SOCK_KPROBE_FALLBACK(protocol_falls_back, "security_socket_connect")

BCCT_APPLET(soprotocol,
	.category = "network",
	.summary = "Count transport protocols of connected and accepted sockets by process (book)",
	.description =
	"Counts connect and accept calls by process, socket protocol (sk_protocol, named as\n"
	"IPPROTO_*) and the kernel's name for the socket's protocol (\"TCP\", \"UDPv6\", \"UNIX\"):\n"
	"kprobes on security_socket_connect and security_socket_accept, as the book's\n"
	"soprotocol.bt. Without kprobes, the connect(), accept() and accept4() syscalls' entries\n"
	"with the socket behind their fd (for accept, the listening socket, as the kprobe sees\n"
	"it); in-kernel callers are not seen. -v shows the method.",
	.examples =
	"    soprotocol          # count until Ctrl-C\n"
	"    soprotocol 1 5      # print every second, 5 times\n"
	"    soprotocol -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockcall_bpf__skeleton,
	.optional_probes = SOCK_CALL_OPTIONAL,
	.fallback = "the connect/accept syscalls' entries, the socket from their fd: in-kernel "
		    "callers not seen",
	.falls_back = protocol_falls_back,
	.run = run);
