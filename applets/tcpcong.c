/* tcpcong: time TCP flows spend in each congestion-control state, as BCC's tcpcong: per flow
 * (an IPv4 and an IPv6 table, by local port) every interval or at the end, or as histograms per
 * state left (-d). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "core/applet.h"
#include "core/family/net.h"
#include "core/hist.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpcong.skel.h"
#include "tcpcong.h"

BCCT_SKELETON(tcpcong_bpf);

static struct {
	const char *lports, *rports;
	bool dist, us;
	long lmin, lmax, rmin, rmax;
} o;

static const struct bcct_opt opts[] = {
	OPT_STR_('L', "localport", &o.lports, "LOCALPORT", "trace local ports only"),
	OPT_STR_('R', "remoteport", &o.rports, "REMOTEPORT", "trace the dest ports only"),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('d', "dist", &o.dist, "show distributions as histograms"),
	OPT_FLAG_('u', "microseconds", &o.us, "output in microseconds"),
	STD_INTERVAL,
	STD_COUNT,
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* BCC's range "A-B" or "A" (swapped when reversed). 0, or -1 after a one-line usage error. */
static int parse_range(const char *s, const char *what, long *lo, long *hi)
{
	char *end;

	*lo = strtol(s, &end, 10);
	*hi = *lo;
	if (*end == '-')
		*hi = strtol(end + 1, &end, 10);
	if (*end || end == s || *lo < 1 || *lo > 65535 || *hi < 1 || *hi > 65535) {
		bcct_usage_err("unrecognized %s port range '%s'", what, s);
		return -1;
	}
	if (*lo > *hi) {
		long t = *lo;

		*lo = *hi;
		*hi = t;
	}
	return 0;
}

static const char *const state_names[TCPCONG_STATES] = { "open", "disorder", "cwr", "recovery", "loss" };

static void state_label(const void *key, char *buf, size_t len)
{
	unsigned int s = *(const unsigned int *)key;

	snprintf(buf, len, "%s", s < TCPCONG_STATES ? state_names[s] : "?");
}

/* bcct_map_collect's layout: the key (a multiple of 8 bytes), then the value. */
struct row {
	struct net_flow key;
	struct tcpcong_stat val;
};

static int by_lport(const void *a, const void *b)
{
	return ((const struct row *)a)->key.lport - ((const struct row *)b)->key.lport;
}

/* BCC's table of one family: the header when the family has flows, rows of those that changed
 * state. Its IPv4 header runs LAddrPort into RAddrPort, its IPv6 rows' widths differ from the
 * header's: kept, as BCC prints them. */
static void print_family(const struct bcct_entries *rows, int family)
{
	const char *unit = o.us ? "us" : "ms";
	char h[5][16], laddr[NET_ENDPOINT_STRLEN], raddr[NET_ENDPOINT_STRLEN], a[NET_ADDR_STRLEN];
	bool v6 = family == AF_INET6, any = false;
	/* The text's column order: open, disorder, recovery, cwr, loss. */
	static const int col_state[5] = { 0, 1, 3, 2, 4 };
	static const char *const col_key[5] = { "open", "disorder", "recovery", "cwr", "loss" };
	static const char *const v4_fmt[5] = { "%-7lld", "%-6lld", "%-7lld", "%-7lld", "%-6lld" };
	static const char *const v6_fmt[5] = { "%-7lld", "%-7lld", "%-7lld", "%-6lld", "%-6lld" };

	for (size_t i = 0; i < rows->n; i++)
		any |= ((const struct row *)bcct_entry_key(rows, i))->key.family == family;
	if (!any)
		return;
	snprintf(h[0], sizeof(h[0]), "Open_%s", unit);
	snprintf(h[1], sizeof(h[1]), "Dod_%s", unit);
	snprintf(h[2], sizeof(h[2]), "Rcov_%s", unit);
	snprintf(h[3], sizeof(h[3]), "Cwr_%s", unit);
	snprintf(h[4], sizeof(h[4]), "Los_%s", unit);
	if (v6)
		out_header("%-32s %-32s %-7s %-6s %-7s %-7s %-6s %-5s", "LAddrPort6", "RAddrPort6",
			   h[0], h[1], h[2], h[3], h[4], "Chgs");
	else
		out_header("%-21s%-21s %-7s %-6s %-7s %-7s %-6s %-5s", "LAddrPort", "RAddrPort",
			   h[0], h[1], h[2], h[3], h[4], "Chgs");
	for (size_t i = 0; i < rows->n; i++) {
		const struct row *r = bcct_entry_key(rows, i);

		if (r->key.family != family || !r->val.changes)
			continue;
		snprintf(laddr, sizeof(laddr), "%s/%u",
			 net_addr_str(family, r->key.saddr, a, sizeof(a)), r->key.lport);
		snprintf(raddr, sizeof(raddr), "%s/%u",
			 net_addr_str(family, r->key.daddr, a, sizeof(a)), r->key.dport);
		out_begin();
		if (env.json) {         /* exact: microseconds, addresses and ports apart */
			out_int("ip", "", net_ip_version(family));
			out_str("laddr", "", net_addr_str(family, r->key.saddr, a, sizeof(a)));
			out_uint("lport", "", r->key.lport);
			out_str("raddr", "", net_addr_str(family, r->key.daddr, a, sizeof(a)));
			out_uint("rport", "", r->key.dport);
			for (int c = 0; c < 5; c++) {
				char k[24];

				snprintf(k, sizeof(k), "%s_us", col_key[c]);
				out_uint(k, "", r->val.us[col_state[c]]);
			}
		} else {
			out_str("laddr", v6 ? "%-32s" : "%-21s", laddr);
			out_str("raddr", v6 ? "%-32s" : "%-21s", raddr);
			for (int c = 0; c < 5; c++) {
				unsigned long long us = r->val.us[col_state[c]];

				out_int(col_key[c], v6 ? v6_fmt[c] : v4_fmt[c],
					(long long)(o.us ? us : us / 1000));
			}
		}
		out_uint("changes", "%-5llu", r->val.changes);
		out_end();
	}
}

static int print(void *p, bool final)
{
	struct tcpcong_bpf *skel = p;
	struct bcct_entries rows;

	out_interval_begin();
	if (o.dist)
		return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
			.unit = o.us ? "usecs" : "msecs",
			.section = "tcp_congest_state",
			.label = state_label,
			.clear = true,
		});
	if (bcct_map_collect(skel->maps.stats, &rows) < 0)
		return -1;
	bcct_entries_sort(&rows, by_lport);
	out_list("rows");
	print_family(&rows, AF_INET);
	print_family(&rows, AF_INET6);
	bcct_entries_free(&rows);
	return bcct_map_clear(skel->maps.stats);
}

static int configure(void *p)
{
	struct tcpcong_bpf *skel = p;

	skel->rodata->lport_min = o.lmin;
	skel->rodata->lport_max = o.lmax;
	skel->rodata->rport_min = o.rmin;
	skel->rodata->rport_max = o.rmax;
	skel->rodata->dist = o.dist;
	skel->rodata->microseconds = o.us;
	return 0;
}

static int run(void)
{
	if ((o.lports && parse_range(o.lports, "local", &o.lmin, &o.lmax)) ||
	    (o.rports && parse_range(o.rports, "remote", &o.rmin, &o.rmax)))
		return BCCT_EXIT_USAGE;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing tcp congestion control status duration... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(tcpcong,
	.category = "network",
	.summary = "Summarize tcp socket congestion control status duration",
	.description =
	"At each change of a flow's congestion-control state (tcp:tcp_cong_state_set, 5.18+, which\n"
	"BCC prefers too), the time since its previous change is added to the state it leaves; a\n"
	"flow's first change seen starts its clock. Without the tracepoint the tool stops: BCC's\n"
	"kprobes for older kernels are not carried.",
	.examples =
	"    tcpcong                 # show tcp congestion status duration\n"
	"    tcpcong 1 10            # show 1 second summaries, 10 times\n"
	"    tcpcong -L 3000-3006 1  # 1s summaries, local port 3000-3006\n"
	"    tcpcong -R 5000-5005 1  # 1s summaries, remote port 5000-5005\n"
	"    tcpcong -uT 1           # 1s summaries, microseconds, and timestamps\n"
	"    tcpcong -d              # show the duration as histograms\n",
	.opts = opts,
	.skeleton = &tcpcong_bpf__skeleton,
	.run = run);
