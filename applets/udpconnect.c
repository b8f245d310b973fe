/* udpconnect (BPF Performance Tools, ch. 10): connect() of UDP sockets to an IP address, as the
 * book's udpconnect.bt: kprobes on ip4_datagram_connect and ip6_datagram_connect; without
 * kprobes the connect syscall's entry on a UDP socket. The shared object bpf/sockcall.bpf.c. */
#include "core/applet.h"
#include "core/family/net.h"
#include "core/family/sock.h"
#include "core/features.h"
#include "core/output.h"
#include "core/run.h"
#include "sockcall.h"
#include "sockcall.skel.h"

BCCT_SKELETON(sockcall_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	out_header("%-8s %-6s %-16s %-2s %-16s %-5s", "TIME", "PID", "COMM", "IP", "RADDR", "RPORT");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct sockcall_event *e = data;
	char addr[NET_ADDR_STRLEN];

	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts_ns);
	out_begin();
	out_time("time");
	out_int("pid", "%-6lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_int("ip", "%-2lld", net_ip_version(e->family));
	out_str("raddr", "%-16s", net_addr_str(e->family, e->addr, addr, sizeof(addr)));
	out_int("rport", "%-5lld", e->port);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct sockcall_bpf *s = p;

	s->rodata->mode = SOCKCALL_UDPCONNECT;
	sock_programs_only(p, BCCT_NAMES("ip4_datagram_connect", "ip6_datagram_connect"));
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_start = header,
		.on_event = on_event,
	});
}

SOCK_KPROBE_FALLBACK(udp_falls_back, "ip4_datagram_connect")

BCCT_APPLET(udpconnect,
	.category = "network",
	.summary = "Trace connect() of UDP sockets to IP addresses (book)",
	.description =
	"UDP sockets connected to an IPv4 or IPv6 address (their remote end fixed): kprobes on\n"
	"ip4_datagram_connect and ip6_datagram_connect, as the book's udpconnect.bt. Without\n"
	"kprobes the fallback is the connect() syscall's entry on a UDP socket (the socket read\n"
	"from its fd): connects made without the syscall (in-kernel users) are not seen. -v shows\n"
	"the method.",
	.examples =
	"    udpconnect          # trace UDP connects until Ctrl-C\n"
	"    udpconnect -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockcall_bpf__skeleton,
	.optional_probes = SOCK_CALL_OPTIONAL,
	.fallback = "the connect() syscall's entry on UDP sockets: in-kernel connects not seen",
	.falls_back = udp_falls_back,
	.run = run);
