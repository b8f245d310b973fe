/* tcpnagle (BPF Performance Tools, ch. 10): tcp_write_xmit calls counted by their Nagle setting,
 * and a histogram of how long transmits stayed held back, as the book's tcpnagle.bt. Kprobes
 * only (tcp_write_xmit has no tracepoint): without them the tool refuses in one line. */
#include <stdio.h>
#include "core/table.h"
#include "core/applet.h"
#include "core/family/fs.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpnagle.h"
#include "tcpnagle.skel.h"

BCCT_SKELETON(tcpnagle_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* The book's names of tcp_write_xmit's nonagle flags (include/net/tcp.h: TCP_NAGLE_OFF 1,
 * TCP_NAGLE_CORK 2, TCP_NAGLE_PUSH 4). */
static const char *nagle_str(unsigned int v, char *buf, size_t len)
{
	static const char *const names[] = { "ON", "OFF", "CORK", "OFF|CORK", "PUSH", "OFF|PUSH" };

	if (v < sizeof(names) / sizeof(names[0]))
		return names[v];
	snprintf(buf, len, "0x%x", v);
	return buf;
}

static void row(const void *key, unsigned long long count)
{
	char buf[16];

	out_begin();
	out_str("nagle", "%-10s", nagle_str(*(const unsigned int *)key, buf, sizeof(buf)));
	out_uint("count", "%8llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct tcpnagle_bpf *s = p;

	out_interval_begin();
	out_header("%-10s %8s", "NAGLE", "COUNT");
	if (table_print_counts(s->maps.nagle, row, true))
		return BCCT_EXIT_FAIL;
	return hist_print_map(s->maps.blocked, &(struct bcct_hist_print){
		.unit = "blocked_us",
		.clear = true,
	});
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing TCP nagle and xmit delays. Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(tcpnagle,
	.category = "network",
	.summary = "TCP transmits by Nagle setting, and how long they were held back (book)",
	.description =
	"Counts tcp_write_xmit calls by their nonagle argument (ON, OFF, CORK, PUSH and\n"
	"combinations) and times, per socket, from the first transmit held back (packets in\n"
	"flight, nothing sent) to the next one that sends: a kprobe and a kretprobe on\n"
	"tcp_write_xmit, as the book's tcpnagle.bt. No tracepoint fires there: without kprobes\n"
	"the tool refuses.",
	.examples =
	"    tcpnagle          # until Ctrl-C\n"
	"    tcpnagle 1 5      # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &tcpnagle_bpf__skeleton,
	.run = run);
