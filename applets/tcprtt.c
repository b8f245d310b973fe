/* tcprtt: TCP smoothed round-trip time as a histogram, as BCC's tcprtt: one for all addresses,
 * or one per local (-b) or remote (-B) address, filtered by ports, addresses and family, with
 * the average (-e) in each section's title. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "tcprtt.skel.h"
#include "tcprtt.h"

BCCT_SKELETON(tcprtt_bpf);

static struct {
	bool ms, byladdr, byraddr, extension;
	long lport, rport;
	const char *laddr, *raddr;
	struct net_filter net;
	unsigned char laddr_bytes[16], raddr_bytes[16];
	int laddr_family, raddr_family;
	struct bpf_map *totals;         /* -e: read while the sections are labelled */
} o;

static const struct bcct_opt opts[] = {
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "summary interval, seconds", 1, INT_MAX),
	STD_DURATION('d'),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('m', "milliseconds", &o.ms, "millisecond histogram"),
	OPT_INT_('p', "lport", &o.lport, "LPORT", "filter for local port", 1, 65535),
	OPT_INT_('P', "rport", &o.rport, "RPORT", "filter for remote port", 1, 65535),
	OPT_STR_('a', "laddr", &o.laddr, "LADDR", "filter for local address"),
	OPT_STR_('A', "raddr", &o.raddr, "RADDR", "filter for remote address"),
	OPT_FLAG_('b', "byladdr", &o.byladdr, "show sockets histogram by local address"),
	OPT_FLAG_('B', "byraddr", &o.byraddr, "show sockets histogram by remote address"),
	OPT_FLAG_('e', "extension", &o.extension, "show extension summary(average)"),
	/* BCC prints its BPF C text and goes on; bcct prints the programs' instructions and exits. */
	OPT_FLAG_('D', "debug", OPT_DEST(env, ebpf), "print BPF program before starting (here: its instructions, then exit)"),
	NET_OPT_FAMILY(&o.net.ipv4, &o.net.ipv6),
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* -a/-A: an IPv4 or IPv6 address. 0, or -1 after a one-line usage error. */
static int parse_addr(const char *text, const char *what, unsigned char bytes[16], int *family)
{
	if (inet_pton(AF_INET, text, bytes) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, text, bytes) == 1)
		*family = AF_INET6;
	else {
		bcct_usage_err("%s: invalid address '%s'", what, text);
		return -1;
	}
	return 0;
}

/* -e: the section's average, BCC's " [AVG n]"; -1 when not counted. */
static long long average(const struct tcprtt_key *k)
{
	struct tcprtt_total t;

	if (!o.extension || bpf_map__lookup_elem(o.totals, k, sizeof(*k), &t, sizeof(t), 0) ||
	    !t.count)
		return -1;
	return t.sum / t.count;
}

/* BCC's section title: the address, "*******" for all. */
static void label(const void *key, char *buf, size_t len)
{
	const struct tcprtt_key *k = key;
	char a[NET_ADDR_STRLEN];
	long long avg = average(k);
	int n;

	n = snprintf(buf, len, "%s", k->family ? net_addr_str(k->family, k->addr, a, sizeof(a))
					       : "*******");
	if (avg >= 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " [AVG %lld]", avg);
}

static void json_label(const void *key, const char *key_name)
{
	const struct tcprtt_key *k = key;
	char a[NET_ADDR_STRLEN];
	long long avg = average(k);

	(void)key_name;
	if (k->family)
		json_str(o.byladdr ? "laddr" : "raddr", net_addr_str(k->family, k->addr, a, sizeof(a)));
	if (avg >= 0)
		json_uint(o.ms ? "avg_ms" : "avg_us", avg);
}

static int print(void *p, bool final)
{
	struct tcprtt_bpf *skel = p;
	int err;

	out_interval_begin();
	o.totals = skel->maps.totals;
	err = hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = o.ms ? "msecs" : "usecs",
		.section = o.byladdr ? "Local Address" : o.byraddr ? "Remote Addres" : "All Addresses",
		.label = label,
		.json_label = json_label,
		.clear = true,
	});
	return err ? err : bcct_map_clear(skel->maps.totals);
}

static int configure(void *p)
{
	struct tcprtt_bpf *skel = p;

	skel->rodata->target_family = o.net.family;
	skel->rodata->target_lport = o.lport;
	skel->rodata->target_rport = o.rport;
	skel->rodata->filter_laddr = o.laddr != NULL;
	skel->rodata->filter_raddr = o.raddr != NULL;
	memcpy((void *)skel->rodata->target_laddr, o.laddr_bytes, sizeof(o.laddr_bytes));
	memcpy((void *)skel->rodata->target_raddr, o.raddr_bytes, sizeof(o.raddr_bytes));
	skel->rodata->target_laddr_family = o.laddr_family;
	skel->rodata->target_raddr_family = o.raddr_family;
	skel->rodata->milliseconds = o.ms;
	skel->rodata->split_by = o.byladdr ? TCPRTT_LADDR : o.byraddr ? TCPRTT_RADDR : TCPRTT_ALL;
	skel->rodata->extension = o.extension;
	return 0;
}

static int run(void)
{
	if (net_filter_parse(&o.net, NULL, NULL))
		return BCCT_EXIT_USAGE;
	if ((o.laddr && parse_addr(o.laddr, "-a/--laddr", o.laddr_bytes, &o.laddr_family)) ||
	    (o.raddr && parse_addr(o.raddr, "-A/--raddr", o.raddr_bytes, &o.raddr_family)))
		return BCCT_EXIT_USAGE;
	if (o.byladdr && o.byraddr) {
		bcct_usage_err("-b/--byladdr and -B/--byraddr: one split at a time");
		return BCCT_EXIT_USAGE;
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing TCP RTT... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(tcprtt,
	.category = "network",
	.summary = "Summarize TCP RTT as a histogram",
	.description =
	"Samples the smoothed RTT (srtt) of a connection at every segment it receives while\n"
	"established: tcp_rcv_established entry (fentry, else kprobe), as BCC; else tcp:tcp_probe,\n"
	"which the kernel fires at the start of tcp_rcv_established with the same socket.\n"
	"Addresses (-a, -A, -b, -B) may be IPv4 or IPv6 (BCC's are IPv4 only). Without -i one\n"
	"histogram at the end (Ctrl-C or -d).",
	.examples =
	"    tcprtt            # summarize TCP RTT\n"
	"    tcprtt -i 1 -d 10 # print 1 second summaries, 10 times\n"
	"    tcprtt -m -T      # summarize in millisecond, and timestamps\n"
	"    tcprtt -p 22      # filter for local port\n"
	"    tcprtt -P 80      # filter for remote port\n"
	"    tcprtt -a 127.0.0.1  # filter for local address\n"
	"    tcprtt -A 127.0.0.1  # filter for remote address\n"
	"    tcprtt -b         # show sockets histogram by local address\n"
	"    tcprtt -B         # show sockets histogram by remote address\n"
	"    tcprtt -D         # show debug bpf text\n"
	"    tcprtt -e         # show extension summary(average)\n"
	"    tcprtt -4         # trace only IPv4 family\n"
	"    tcprtt -6         # trace only IPv6 family\n",
	.opts = opts,
	.skeleton = &tcprtt_bpf__skeleton,
	.fallback = "tcp:tcp_probe, fired at the start of tcp_rcv_established: the same samples",
	.run = run);
