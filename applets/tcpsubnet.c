/* tcpsubnet: TCP bytes sent to IPv4 destinations, summed per subnet of a list, every interval,
 * as BCC's tcpsubnet: "[date time]" then "%-21s %6d" per subnet, most first; -J prints BCC's
 * JSON line instead, -f the unit. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/applet.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "tcpsubnet.skel.h"
#include "tcpsubnet.h"

BCCT_SKELETON(tcpsubnet_bpf);

#define DEFAULT_SUBNETS "127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,0.0.0.0/0"

static struct {
	const char *subnets, *format;
	bool bcc_json;
	int n;
	char names[TCPSUBNET_MAX][32];
	unsigned int addr[TCPSUBNET_MAX], mask[TCPSUBNET_MAX];    /* network order */
} o;

static const struct bcct_opt opts[] = {
	POS_STR_("subnets", &o.subnets, "comma separated list of subnets"),
	OPT_FLAG_('J', "json-bcc", &o.bcc_json, "format output in JSON (BCC's line; --json: bcct's)"),
	OPT_STR_('f', "format", &o.format, "FORMAT", "[bkmBKM] format to report: bits, Kbits, Mbits, bytes, KBytes, MBytes (default B)"),
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "output interval, in seconds (default 1)", 1, INT_MAX),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "output debug statements (attach methods)"),
	STD_EBPF,
	OPT_END_,
};

/* "a.b.c.d/n" into entry i. 0, or -1 after a one-line usage error. */
static int parse_subnet(const char *s, int i)
{
	char addr[32];
	const char *slash = strchr(s, '/');
	char *end;
	struct in_addr in;
	long bits;

	if (!slash || (size_t)(slash - s) >= sizeof(addr) || strlen(s) >= sizeof(o.names[i])) {
		bcct_usage_err("Subnet [%s] is invalid, please refer to the examples.", s);
		return -1;
	}
	memcpy(addr, s, slash - s);
	addr[slash - s] = 0;
	if (!inet_aton(addr, &in)) {
		bcct_usage_err("Invalid net address in subnet [%s], please refer to the examples.", s);
		return -1;
	}
	bits = strtol(slash + 1, &end, 10);
	if (!slash[1] || *end || bits < 0 || bits > 32) {
		bcct_usage_err("Invalid mask in subnet [%s]. Must be an int between 0 and 32.", s);
		return -1;
	}
	o.mask[i] = htonl(bits ? 0xffffffffu << (32 - bits) : 0);
	o.addr[i] = in.s_addr & o.mask[i];
	snprintf(o.names[i], sizeof(o.names[i]), "%s", s);
	return 0;
}

static int parse_subnets(const char *list)
{
	char buf[TCPSUBNET_MAX * 32], *save, *s;

	if (strlen(list) >= sizeof(buf)) {
		bcct_usage_err("subnets: at most %d", TCPSUBNET_MAX);
		return -1;
	}
	strcpy(buf, list);
	for (s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (o.n == TCPSUBNET_MAX) {
			bcct_usage_err("subnets: at most %d", TCPSUBNET_MAX);
			return -1;
		}
		if (parse_subnet(s, o.n++))
			return -1;
	}
	return 0;
}

/* BCC's formats: bits or bytes, divided by 1024 for k/K and 1024^2 for m/M. */
static double scaled(unsigned long long bytes)
{
	char f = o.format[0];
	double v = strchr("bkm", f) ? bytes * 8.0 : bytes;

	return f == 'k' || f == 'K' ? v / 1024 : f == 'm' || f == 'M' ? v / (1024.0 * 1024) : v;
}

/* -J: BCC's json.dumps of {"date", "time", "entries": {subnet: value}}; values are Python
 * floats for the divided formats. */
static void print_bcc_json(const struct bcct_entries *e, const char *date, const char *tod)
{
	char num[64];

	printf("{\"date\": \"%s\", \"time\": \"%s\", \"entries\": {", date, tod);
	for (size_t i = 0; i < e->n; i++) {
		unsigned int idx = *(const unsigned int *)bcct_entry_key(e, i);
		unsigned long long bytes = *(const unsigned long long *)bcct_entry_value(e, i);

		if (strchr("bB", o.format[0]))
			snprintf(num, sizeof(num), "%.0f", scaled(bytes));
		else
			out_python_float(num, sizeof(num), scaled(bytes));
		printf("%s\"%s\": %s", i ? ", " : "", o.names[idx], num);
	}
	printf("}}\n");
}

static int print(void *p, bool final)
{
	struct tcpsubnet_bpf *skel = p;
	struct bcct_entries e;
	char date[32], tod[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%x", &tm);
	strftime(tod, sizeof(tod), "%X", &tm);
	if (bcct_map_collect(skel->maps.counts, &e) < 0)
		return -1;
	bcct_entries_sort_by_count(&e, true);
	if (o.bcc_json && !env.json) {
		print_bcc_json(&e, date, tod);
	} else {
		out_text("[%s %s]\n", date, tod);
		out_list("rows");
		for (size_t i = 0; i < e.n; i++) {
			unsigned int idx = *(const unsigned int *)bcct_entry_key(&e, i);
			unsigned long long bytes = *(const unsigned long long *)bcct_entry_value(&e, i);

			out_begin();
			out_str("subnet", "%-21s", o.names[idx]);
			if (env.json)           /* exact: bytes whatever -f says */
				out_uint("bytes", "", bytes);
			else
				out_int("sent", "%6lld", (long long)scaled(bytes));
			out_end();
		}
	}
	fflush(stdout);
	bcct_entries_free(&e);
	return bcct_map_clear(skel->maps.counts);
}

static int configure(void *p)
{
	struct tcpsubnet_bpf *skel = p;

	memcpy((void *)skel->rodata->subnet_addr, o.addr, sizeof(o.addr));
	memcpy((void *)skel->rodata->subnet_mask, o.mask, sizeof(o.mask));
	skel->rodata->nsubnets = o.n;
	return 0;
}

static int run(void)
{
	long interval = env.interval ? env.interval : 1;
	char banner[96];

	if (!o.format)
		o.format = "B";
	if (strlen(o.format) != 1 || !strchr("bkmBKM", o.format[0])) {
		bcct_usage_err("-f/--format: invalid choice '%s' (choose from b, k, m, B, K, M)", o.format);
		return BCCT_EXIT_USAGE;
	}
	if (parse_subnets(o.subnets ? o.subnets : DEFAULT_SUBNETS))
		return BCCT_EXIT_USAGE;
	snprintf(banner, sizeof(banner), "Tracing... Output every %ld secs. Hit Ctrl-C to end",
		 interval);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.bcc_json ? NULL : banner,
		.on_interval = print,
		.interval = interval,
	});
}

BCCT_APPLET(tcpsubnet,
	.category = "network",
	.summary = "Summarize TCP send and aggregate by subnet",
	.description =
	"Bytes of TCP sends to IPv4 destinations, summed per subnet of the list (the first that\n"
	"matches), every interval. As BCC: the size asked of tcp_sendmsg() (fentry, else kprobe);\n"
	"without either, sock:sock_send_length: the bytes each send returned (failed sends count\n"
	"nothing). --comm and --cgroup keep one process's or cgroup's sends (bcct's own).",
	.examples =
	"    tcpsubnet                 # Trace TCP sent to the default subnets:\n"
	"                              # 127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,\n"
	"                              # 192.168.0.0/16,0.0.0.0/0\n"
	"    tcpsubnet -f K            # Trace TCP sent to the default subnets\n"
	"                              # aggregated in KBytes.\n"
	"    tcpsubnet 10.80.0.0/24    # Trace TCP sent to 10.80.0.0/24 only\n"
	"    tcpsubnet -J              # Format the output in JSON.\n",
	.opts = opts,
	.skeleton = &tcpsubnet_bpf__skeleton,
	.fallback = "sock:sock_send_length: bytes each TCP send returned, not the size asked for",
	.run = run);
