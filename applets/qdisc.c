/* qdisc (BPF Performance Tools, ch. 10: qdisc-fq and its siblings as one tool): the queueing
 * latency of one kind of discipline, enqueue to dequeue, as a log2 histogram in microseconds. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/features.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/run.h"
#include "qdisc.skel.h"

BCCT_SKELETON(qdisc_bpf);

static struct {
	const char *kind;
	char banner[96];
} o;

static const struct bcct_opt opts[] = {
	POS_STR_("qdisc", &o.kind, "the discipline's kind as tc names it: fq, fq_codel, tbf, ..."),
	STD_INTERVAL,
	STD_COUNT,
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

static bool fq_kprobes(void)
{
	const char *why;

	return !strcmp(o.kind, "fq") && bcct_target_usable(KIND_KPROBE, "fq_enqueue", &why);
}

static int print(void *p, bool final)
{
	struct qdisc_bpf *s = p;

	out_interval_begin();
	return hist_print_map(s->maps.hists, &(struct bcct_hist_print){
		.unit = "usecs",
		.clear = true,
	});
}

static int configure(void *p)
{
	struct qdisc_bpf *s = p;
	bool kprobes = fq_kprobes();

	strncpy((char *)s->rodata->kind, o.kind, sizeof(s->rodata->kind) - 1);
	bcct_probe_enable(p, "fq_enqueue", kprobes);
	bcct_probe_enable(p, "fq_dequeue", kprobes);
	bcct_probe_enable(p, "enqueue", !kprobes);
	bcct_probe_enable(p, "dequeue", !kprobes);
	return 0;
}

static int run(void)
{
	if (!o.kind || !o.kind[0] || strlen(o.kind) > 15) {
		bcct_usage_err("the discipline's kind (fq, tbf, ...) is required, at most 15 characters");
		return BCCT_EXIT_USAGE;
	}
	snprintf(o.banner, sizeof(o.banner), "Tracing qdisc %s latency. Hit Ctrl-C to end.", o.kind);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.banner,
		.on_interval = print,
	});
}

SOCK_KPROBE_FALLBACK(qdisc_falls_back, "fq_enqueue")

BCCT_APPLET(qdisc,
	.category = "network",
	.summary = "Queueing latency of one kind of qdisc, enqueue to dequeue (book)",
	.description =
	"The time packets wait in queueing disciplines of the kind given (as tc names it), from\n"
	"enqueue to dequeue, a log2 histogram in microseconds: the book's qdisc-fq, qdisc-tbf,\n"
	"... as one tool. For fq, kprobes on fq_enqueue and (return) fq_dequeue where the kernel\n"
	"allows, as the book; otherwise, and for the other kinds, the qdisc:qdisc_enqueue and\n"
	"qdisc:qdisc_dequeue tracepoints (Linux 5.16+) on root disciplines of that kind (classes\n"
	"inside a classful discipline are not timed apart). -v shows the method.",
	.examples =
	"    qdisc fq          # fq queueing latency until Ctrl-C\n"
	"    qdisc tbf 1 5     # tbf, every second, 5 times\n",
	.opts = opts,
	.skeleton = &qdisc_bpf__skeleton,
	.optional_probes = BCCT_NAMES("fq_enqueue", "fq_dequeue"),
	.fallback = "qdisc:qdisc_enqueue/qdisc_dequeue on root disciplines of the kind",
	.falls_back = qdisc_falls_back,
	.run = run);
