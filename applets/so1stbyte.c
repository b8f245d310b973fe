/* so1stbyte (BPF Performance Tools, ch. 10): IP socket first-byte latency, from connect() to the
 * return of the first read on the socket, a log2 histogram per process, as the book's
 * so1stbyte.bt. */
#include <stdio.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "so1stbyte.h"
#include "so1stbyte.skel.h"

BCCT_SKELETON(so1stbyte_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* The section: "comm = curl, pid = 1234". */
static void label(const void *key, char *buf, size_t len)
{
	const struct so1stbyte_key *k = key;

	snprintf(buf, len, "%s, pid = %u", k->comm, k->pid);
}

static void json_label(const void *key, const char *key_name)
{
	const struct so1stbyte_key *k = key;

	json_str("comm", k->comm);
	json_int("pid", k->pid);
}

static int print(void *p, bool final)
{
	struct so1stbyte_bpf *s = p;

	out_interval_begin();
	return hist_print_map(s->maps.hists, &(struct bcct_hist_print){
		.unit = "usecs",
		.section = "comm",
		.label = label,
		.json_label = json_label,
		.clear = true,
	});
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Tracing IP socket first-read-byte latency. Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(so1stbyte,
	.category = "network",
	.summary = "IP socket first-byte latency: connect() to first read, per process (book)",
	.description =
	"For each IPv4 or IPv6 socket a process connects (connect(2), blocking or not), the time\n"
	"from the connect to the return of the first read on it (read, readv, pread64, preadv,\n"
	"preadv2, recvfrom, recvmsg, recvmmsg), a log2 histogram in microseconds per process. A\n"
	"socket closed before any read, or whose connect failed, is forgotten. The syscalls, as\n"
	"the book's so1stbyte.bt.",
	.examples =
	"    so1stbyte          # first-byte latency histograms until Ctrl-C\n"
	"    so1stbyte 1 5      # print every second, 5 times\n"
	"    so1stbyte -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &so1stbyte_bpf__skeleton,
	.optional_probes = BCCT_NAMES("sys_enter__preadv2", "sys_exit__preadv2"),
	.run = run);
