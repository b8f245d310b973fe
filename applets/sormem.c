/* sormem (BPF Performance Tools, ch. 10): socket receive queue memory (rmem_alloc) and its limit
 * (sk_rcvbuf) as log2 histograms, and receive-buffer overflows as they happen, as the book's
 * sormem.bt. The socket I/O object bpf/sockio.bpf.c. */
#include <stdio.h>
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/features.h"
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

static void label(const void *key, char *buf, size_t len)
{
	snprintf(buf, len, "%s", *(const unsigned int *)key == SOCKIO_RMEM_LIMIT ? "rmem_limit" :
				"rmem_alloc");
}

static int print(void *p, bool final)
{
	struct sockio_bpf *s = p;

	out_interval_begin();
	return hist_print_map(s->maps.rmem_hists, &(struct bcct_hist_print){
		.unit = "bytes",
		.section = "buffer",
		.label = label,
		.clear = true,
	});
}

/* The book's lines, its probe's name first. */
static int on_event(void *ctx, const void *data, size_t size)
{
	const struct sockio_event *e = data;

	if (size < sizeof(*e))
		return 0;
	out_event_time(e->ts_ns);
	out_begin();
	if (e->kind == SOCKIO_RCVQUEUE_FULL) {
		out_str("probe", "%s", "tracepoint:sock:sock_rcvqueue_full");
		out_int("rmem_alloc", "rmem_alloc %lld", e->rmem_alloc);
		out_int("rcvbuf", "> rcvbuf %lld,", e->rcvbuf);
		out_uint("truesize", "skb size %llu", e->truesize);
	} else {
		out_str("probe", "%s", "tracepoint:sock:sock_exceed_buf_limit");
		out_int("rmem_alloc", "rmem_alloc %lld,", e->rmem_alloc);
		out_int("allocated", "allocated %lld", e->allocated);
	}
	out_end();
	return 0;
}

static int configure(void *p)
{
	struct sockio_bpf *s = p;

	s->rodata->mode = SOCKIO_SORMEM;
	sock_programs_only(p, BCCT_NAMES("recvmsg_", "rcvqueue_full", "exceed_buf_limit"));
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing socket receive buffer size. Hit Ctrl-C to end.",
		.on_event = on_event,
		.on_interval = print,
	});
}

SOCK_KPROBE_FALLBACK(rmem_falls_back, "sock_recvmsg")

BCCT_APPLET(sormem,
	.category = "network",
	.summary = "Socket receive buffer usage and overflows (book)",
	.description =
	"At each socket receive, the memory queued for receiving (rmem_alloc) and its limit\n"
	"(rmem_limit: sk_rcvbuf), as log2 histograms; each overflow (sock:sock_rcvqueue_full,\n"
	"sock:sock_exceed_buf_limit) as a line when it happens. A kprobe on sock_recvmsg, as the\n"
	"book's sormem.bt; without kprobes, the sock:sock_recv_length tracepoint, which reads\n"
	"the queue after the receive rather than before it. -v shows the method.",
	.examples =
	"    sormem          # receive buffer histograms until Ctrl-C\n"
	"    sormem 1 5      # print every second, 5 times\n"
	"    sormem -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockio_bpf__skeleton,
	.optional_probes = SOCK_IO_OPTIONAL,
	.fallback = "sock:sock_recv_length: the receive queue after the receive, not before",
	.falls_back = rmem_falls_back,
	.run = run);
