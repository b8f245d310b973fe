/* sockstat (BPF Performance Tools, ch. 10): socket calls counted every second (or interval), as
 * the book's sockstat.bt: each probe with its count, the time of day first. */
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/features.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "sockstat.h"
#include "sockstat.skel.h"

BCCT_SKELETON(sockstat_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* Each counter's probe as the book names it, and the fallback's for the two kprobes. */
static const char *probe_name(void *skel, unsigned int i)
{
	static const char *const tps[] = {
		[SOCKSTAT_ACCEPT] = "tracepoint:syscalls:sys_enter_accept",
		[SOCKSTAT_ACCEPT4] = "tracepoint:syscalls:sys_enter_accept4",
		[SOCKSTAT_CONNECT] = "tracepoint:syscalls:sys_enter_connect",
		[SOCKSTAT_BIND] = "tracepoint:syscalls:sys_enter_bind",
		[SOCKSTAT_SOCKET] = "tracepoint:syscalls:sys_enter_socket",
		[SOCKSTAT_SOCKETPAIR] = "tracepoint:syscalls:sys_enter_socketpair",
	};

	if (i == SOCKSTAT_RECVMSG)
		return bcct_probe_chosen(skel, "recvmsg") == KIND_KPROBE ? "kprobe:sock_recvmsg" :
		       "tracepoint:sock:sock_recv_length";
	if (i == SOCKSTAT_SENDMSG)
		return bcct_probe_chosen(skel, "sendmsg") == KIND_KPROBE ? "kprobe:security_socket_sendmsg" :
		       "tracepoint:sock:sock_send_length";
	return tps[i];
}

static int print(void *p, bool final)
{
	unsigned long long n[SOCKSTAT_NR];

	if (bcct_counters_take(((struct sockstat_bpf *)p)->maps.counts, n, SOCKSTAT_NR))
		return BCCT_EXIT_FAIL;
	out_interval_begin();
	if (!env.json) {
		char now[16];

		out_text("%s\n", sys_time_of_day(now, sizeof(now)));
	}
	out_header("%-40s %10s", "PROBE", "COUNT");
	out_list("rows");
	for (unsigned int i = 0; i < SOCKSTAT_NR; i++) {
		if (!n[i])
			continue;
		out_begin();
		out_str("probe", "%-40s", probe_name(p, i));
		out_uint("count", "%10llu", n[i]);
		out_end();
	}
	return 0;
}

static int run(void)
{
	if (!env.interval)
		env.interval = 1;
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing sock statistics. Output every 1 second.",
		.on_interval = print,
	});
}

SOCK_KPROBE_FALLBACK(stat_falls_back, "sock_recvmsg")

BCCT_APPLET(sockstat,
	.category = "network",
	.summary = "Socket calls counted every second (book)",
	.description =
	"Every second (or INTERVAL), the time and the counts of accept, accept4, connect, bind,\n"
	"socket and socketpair syscalls (their tracepoints) and of sock_recvmsg and sends (kprobes),\n"
	"as the book's sockstat.bt; sends at security_socket_sendmsg, which every send passes,\n"
	"where the book's sock_sendmsg no longer sees user sends (6.6, 6.1.57). Without kprobes,\n"
	"the sock:sock_recv_length and sock:sock_send_length tracepoints count every socket\n"
	"receive and send instead (read and write on sockets too), named so in the output.",
	.examples =
	"    sockstat          # every second until Ctrl-C\n"
	"    sockstat 5 3      # every 5 seconds, 3 times\n"
	"    sockstat -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockstat_bpf__skeleton,
	.optional_probes = BCCT_NAMES("sys_enter__socketpair"),
	.fallback = "sock:sock_recv_length/sock_send_length: every socket receive and send",
	.falls_back = stat_falls_back,
	.run = run);
