/* qdisc (BPF Performance Tools, ch. 10: qdisc-fq and its siblings as one tool): the queueing
 * latency of one kind of discipline, enqueue to dequeue, as a log2 histogram in microseconds. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/features.h"
#include "core/hist.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "qdisc.skel.h"

BCCT_SKELETON(qdisc_bpf);

static struct {
	const char *kind;
	char banner[96];
	char enqueue[64], dequeue[64];   /* the book's functions for the kind: tbf_enqueue, ... */
} o;

static const struct bcct_opt opts[] = {
	POS_STR_("qdisc", &o.kind, "the discipline's kind as tc names it: fq, fq_codel, tbf, ..."),
	STD_INTERVAL,
	STD_COUNT,
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

/* The book's qdisc-<kind> probes where the kernel has both functions (its module loaded). */
static bool kind_kprobes(void)
{
	const char *why;

	return bcct_target_usable(KIND_KPROBE, o.enqueue, &why) &&
	       bcct_target_usable(KIND_KPROBE, o.dequeue, &why);
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
	bool kprobes = kind_kprobes();

	strncpy((char *)s->rodata->kind, o.kind, sizeof(s->rodata->kind) - 1);
	bpf_program__set_autoload(s->progs.kind_enqueue, kprobes);
	bpf_program__set_autoload(s->progs.kind_dequeue, kprobes);
	bcct_probe_enable(p, "enqueue", !kprobes);
	bcct_probe_enable(p, "dequeue", !kprobes);
	return 0;
}

static int attach(void *p)
{
	struct qdisc_bpf *s = p;
	int err;

	if (!bpf_program__autoload(s->progs.kind_enqueue))
		return 0;
	err = bcct_track_link(bpf_program__attach_kprobe(s->progs.kind_enqueue, false, o.enqueue));
	if (!err)
		err = bcct_track_link(bpf_program__attach_kprobe(s->progs.kind_dequeue, true, o.dequeue));
	if (!err) {
		bcct_info("probe %s: kprobe", o.enqueue);
		bcct_info("probe %s: kretprobe", o.dequeue);
	}
	return err;
}

static int run(void)
{
	if (!o.kind || !o.kind[0] || strlen(o.kind) > 15) {
		bcct_usage_err("the discipline's kind (fq, tbf, ...) is required, at most 15 characters");
		return BCCT_EXIT_USAGE;
	}
	snprintf(o.banner, sizeof(o.banner), "Tracing qdisc %s latency. Hit Ctrl-C to end.", o.kind);
	snprintf(o.enqueue, sizeof(o.enqueue), "%s_enqueue", o.kind);
	snprintf(o.dequeue, sizeof(o.dequeue), "%s_dequeue", o.kind);
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
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
	"... as one tool. As the book, kprobes on <kind>_enqueue and (return) <kind>_dequeue\n"
	"(fq_enqueue, tbf_dequeue, ...) where the kernel has both and allows kprobes; otherwise\n"
	"the qdisc:qdisc_enqueue and qdisc:qdisc_dequeue tracepoints (Linux 5.16+) on root\n"
	"disciplines of that kind (classes inside a classful discipline are not timed apart).\n"
	"-v shows the method.",
	.examples =
	"    qdisc fq          # fq queueing latency until Ctrl-C\n"
	"    qdisc tbf 1 5     # tbf, every second, 5 times\n",
	.opts = opts,
	.skeleton = &qdisc_bpf__skeleton,
	.fallback = "qdisc:qdisc_enqueue/qdisc_dequeue on root disciplines of the kind",
	.falls_back = qdisc_falls_back,
	.run = run);
