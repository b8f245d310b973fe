/* solisten: listen() calls on IPv4 and IPv6 sockets, as BCC's solisten: process, protocol,
 * backlog, port and address, with --show-netns the network namespace. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/output.h"
#include "core/run.h"
#include "solisten.skel.h"
#include "solisten.h"

BCCT_SKELETON(solisten_bpf);

static struct {
	bool show_netns;
	long netns;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_(0, "show-netns", &o.show_netns, "show network namespace"),
	STD_PID('p'),
	OPT_INT_('n', "netns", &o.netns, "NETNS", "trace this Network Namespace only", 1, UINT_MAX),
	STD_FILTERS,
	OPT_END_,
};

static void header(void *ctx)
{
	if (o.show_netns)
		out_header("%-7s %-12s %-12s %-6s %-8s %-5s %-39s", "PID", "COMM", "NETNS", "PROTO",
			   "BACKLOG", "PORT", "ADDR");
	else
		out_header("%-7s %-12s %-6s %-8s %-5s %-39s", "PID", "COMM", "PROTO", "BACKLOG", "PORT",
			   "ADDR");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct solisten_event *e = data;
	char addr[NET_ADDR_STRLEN];

	if (size < sizeof(*e))
		return 0;
	net_addr_str(e->family, e->addr, addr, sizeof(addr));
	out_event_time(e->ts_ns);
	out_begin();
	out_int("pid", "%-7lld", e->pid);
	out_str("comm", "%-12.12s", e->comm);
	if (o.show_netns)
		out_uint("netns", "%-12llu", e->netns);
	/* listen() is for stream sockets: BCC prints TCPv4/TCPv6 */
	out_str("proto", "%-6s", e->family == AF_INET ? "TCPv4" : "TCPv6");
	out_int("backlog", "%-8lld", e->backlog);
	out_int("port", "%-5lld", e->port);
	out_str("addr", "%-39s", addr);
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct solisten_bpf *s = p;

	s->rodata->target_netns = o.netns;
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

BCCT_APPLET(solisten,
	.category = "network",
	.summary = "Stream sockets listen",
	.description =
	"Listens are seen at inet_listen (kprobe), as BCC. Without kprobes the fallback takes the\n"
	"listen() syscall's entry and reads the socket behind its fd; listens made without the\n"
	"syscall (in-kernel users, io_uring) are not seen. NETNS is the socket's network namespace\n"
	"(BCC's prints 0). -v shows the method.",
	.examples =
	"    solisten              # Stream socket listen\n"
	"    solisten -p 1234      # Stream socket listen for specified PID only\n"
	"    solisten --netns 4242 # \" for the specified network namespace ID only\n"
	"    solisten --show-netns # Show network ns ID (useful for containers)\n",
	.opts = opts,
	.skeleton = &solisten_bpf__skeleton,
	.fallback = "the listen() syscall's entry, the socket read from its fd: in-kernel and "
		    "io_uring listens not seen",
	.run = run);
