/* socksize (BPF Performance Tools, ch. 10): socket read and write sizes, a log2 histogram per
 * process and direction, as the book's socksize.bt. The socket I/O object bpf/sockio.bpf.c. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "sockio.h"
#include "sockio.skel.h"

BCCT_SKELETON(sockio_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* The section: "comm = sshd, dir = read". */
static void label(const void *key, char *buf, size_t len)
{
	const struct sockio_size_key *k = key;

	snprintf(buf, len, "%s, dir = %s", k->comm, k->dir == SOCKIO_WRITE ? "write" : "read");
}

static void json_label(const void *key, const char *key_name)
{
	const struct sockio_size_key *k = key;

	json_str("comm", k->comm);
	json_str("dir", k->dir == SOCKIO_WRITE ? "write" : "read");
}

static int print(void *p, bool final)
{
	struct sockio_bpf *s = p;

	out_interval_begin();
	return hist_print_map(s->maps.size_hists, &(struct bcct_hist_print){
		.unit = "bytes",
		.section = "comm",
		.label = label,
		.json_label = json_label,
		.clear = true,
	});
}

static int configure(void *p)
{
	struct sockio_bpf *s = p;

	s->rodata->mode = SOCKIO_SOCKSIZE;
	sock_programs_only(p, BCCT_NAMES("read_kretprobe", "write_kretprobe", "read_raw", "read_btf",
					 "read_tp", "write_raw", "write_btf", "write_tp"));
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing socket I/O sizes... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(socksize,
	.category = "network",
	.summary = "Socket read and write sizes, a histogram per process (book)",
	.description =
	"The bytes each socket read and write returned, a log2 histogram per process name and\n"
	"direction: kretprobes on sock_read_iter and sock_write_iter (read(2), write(2) and their\n"
	"vector forms), as the book's socksize.bt. " SOCK_IO_FALLBACK_NOTE,
	.examples =
	"    socksize          # socket I/O sizes by process until Ctrl-C\n"
	"    socksize 1 5      # print every second, 5 times\n"
	"    socksize -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockio_bpf__skeleton,
	.optional_probes = SOCK_IO_OPTIONAL,
	.fallback = SOCK_IO_FALLBACK,
	.falls_back = sock_io_falls_back,
	.run = run);
