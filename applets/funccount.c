/* funccount: count calls to functions, tracepoints and USDT probes matching a pattern. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/output.h"
#include "core/probe/probespec.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "symbolize/symbolize.h"
#include "funccount.skel.h"
#include "funccount.h"

BCCT_SKELETON(funccount_bpf);

static struct {
	bool regexp, debug, addr;
	bool by_ip;             /* kernel functions counted per address (no attach cookies) */
	long cpu;
	const char *pattern;
	struct ps_spec spec;
	struct ps_targets targets;
	struct ps_progs progs;
	struct funccount_bpf *skel;
} o = { .cpu = -1 };

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "summary interval, seconds", 1, INT_MAX),
	STD_DURATION('d'),
	STD_TIMESTAMP('T', "include timestamp on output"),
	OPT_FLAG_('r', "regexp", &o.regexp, "use regular expressions. Default is \"*\" wildcards only."),
	OPT_FLAG_('D', "debug", &o.debug, "print the probe targets (name, file, offset) before starting"),
	OPT_INT_('c', "cpu", &o.cpu, "CPU", "trace this CPU only", 0, INT_MAX),
	OPT_FLAG_(0, "addr", &o.addr, "print each kernel function's address too (BCC's vfscount layout)"),
	STD_FILTERS,
	POS_STR_("pattern", &o.pattern, "search expression for events"),
	STD_EBPF,
	OPT_END_,
};

/* vfscount: BCC's tool is this count of every vfs_* function with addresses, its only
 * argument a duration (no kprobes or fentry: it stops with funccount's one line). */
static const struct bcct_opt vfscount_opts[] = {
	POS_INT_("time", OPT_DEST(env, duration), "seconds to trace (default: until Ctrl-C)", 1, INT_MAX),
	STD_FILTERS,
	OPT_END_,
};

struct row {
	const char *name;
	unsigned long long count;
	size_t index;
};

/* BCC: ascending by count; equal counts keep target order. */
static int by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Adds a counts[] entry (key: the target's index, from its attach cookie) to per_target. */
static int add_by_index(void *per_target, const void *key, const void *value)
{
	unsigned int idx = *(const unsigned int *)key;

	if (idx < o.targets.n)
		((unsigned long long *)per_target)[idx] += *(const unsigned long long *)value;
	return 0;
}

/* Adds an ip_counts[] entry (kernels without attach cookies: key, the kprobe's address) to
 * the target whose function holds it. */
static int add_by_ip(void *per_target, const void *key, const void *value)
{
	long idx = ps_kfunc_target_at(&o.targets, *(const uint64_t *)key);

	if (idx >= 0)
		((unsigned long long *)per_target)[idx] += *(const unsigned long long *)value;
	return 0;
}

static int print(void *ctx, bool final)
{
	struct bpf_map *map = o.by_ip ? o.skel->maps.ip_counts : o.skel->maps.counts;
	unsigned long long *per_target = calloc(o.targets.n, sizeof(*per_target));
	struct row *rows = calloc(o.targets.n, sizeof(*rows));
	size_t n = 0;
	char ts[16];

	if (!per_target || !rows ||
	    bcct_map_foreach(map, o.by_ip ? add_by_ip : add_by_index, per_target) < 0) {
		free(per_target);
		free(rows);
		return -1;
	}
	for (size_t i = 0; i < o.targets.n; i++)
		if (per_target[i])
			rows[n++] = (struct row){ o.targets.v[i].name, per_target[i], i };
	free(per_target);
	qsort(rows, n, sizeof(*rows), by_count);

	out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", sys_time_of_day(ts, sizeof(ts)));
	if (o.addr)
		out_header("%-16s %-26s %8s", "ADDR", "FUNC", "COUNT");
	else
		out_header("%-36s %8s", "FUNC", "COUNT");
	out_list("rows");               /* JSON: present, if empty, in every interval */
	for (size_t i = 0; i < n; i++) {
		out_begin();
		if (o.addr)
			out_uint("addr", "%-16llx", sym_kernel_addr(rows[i].name));
		out_str("func", o.addr ? "%-26s" : "%-36s", rows[i].name);
		out_uint("count", "%8llu", rows[i].count);
		out_end();
	}
	free(rows);
	fflush(stdout);
	if (!final)
		bcct_map_clear(map);
	return 0;
}

static int attach(void *ctx)
{
	int n = ps_attach(&o.spec, &o.targets, &o.progs, false, 0);

	return n < 0 ? n : 0;
}

static int configure(void *p)
{
	struct funccount_bpf *skel = o.skel = p;
	int err;

	skel->rodata->cpu_filter = o.cpu;
	skel->rodata->use_cookie = bcct_has(FEAT_COOKIE);
	o.progs = (struct ps_progs){
		.probe = skel->progs.count_probe,
		.multi = skel->progs.count_multi,
		.tp = skel->progs.count_tp,
		.usdt = skel->progs.count_usdt,
		.kfunc_by_ip = true,
	};
	err = ps_prepare(&o.spec, &o.targets, &o.progs);
	if (err)
		return err;
	/* One address per kernel function: a kprobe's IP is the same at each of its hits. */
	o.by_ip = skel->rodata->key_by_ip = ps_keys_by_ip(&o.spec, &o.targets, &o.progs);
	bpf_map__set_max_entries(skel->maps.counts, o.by_ip ? 1 : o.targets.n);
	return bpf_map__set_max_entries(skel->maps.ip_counts, o.by_ip ? o.targets.n : 1);
}

static int run(void)
{
	char banner[4096];
	int err;

	if (!o.pattern) {
		bcct_usage_err("the following arguments are required: pattern");
		return BCCT_EXIT_USAGE;
	}
	err = ps_open(o.pattern, PS_F_ALL | (o.regexp ? PS_F_REGEX : 0), env.pid,
				  "no functions matched by pattern \"%s\"", o.debug, &o.spec, &o.targets);
	if (err)
		goto out;

	/* BCC reports how many functions matched; attach failures are reported on their own. */
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = o.addr ? "Tracing... Ctrl-C to end." :
			  ps_banner(banner, sizeof(banner), o.pattern, &o.targets),
		.attach = attach,
		.on_interval = print,
		.on_exit = ps_detaching,
	});
out:
	o.skel = NULL;
	ps_close(&o.spec, &o.targets);
	return err;
}

BCCT_APPLET(funccount,
	.spec_kinds = PS_F_ALL,
	.category = "generic/multi-tool",
	.summary = "Count functions, tracepoints, and USDT probes",
	.description =
	"The pattern is func (kernel), lib:func or /path:func (user), t:category:event (tracepoint)\n"
	"or u:lib:probe / u:lib:provider:probe (USDT), with \"*\" wildcards (or -r regular\n"
	"expressions). Each match is one attach point, told apart in the kernel by its BPF cookie;\n"
	"kernels without cookies (before 5.15) tell kernel functions apart by the probed address, as\n"
	"BCC does, named from kallsyms.",
	.examples =
	"    funccount 'vfs_*'             # count kernel fns starting with \"vfs\"\n"
	"    funccount -r '^vfs.*'         # same as above, using regular expressions\n"
	"    funccount -Ti 5 'vfs_*'       # output every 5 seconds, with timestamps\n"
	"    funccount -d 10 'vfs_*'       # trace for 10 seconds only\n"
	"    funccount -p 185 'vfs_*'      # count vfs calls for PID 181 only\n"
	"    funccount t:sched:sched_process_fork  # count calls to the sched_process_fork tracepoint\n"
	"    funccount -p 185 u:node:gc*   # count all GC USDT probes in node, PID 185\n"
	"    funccount c:malloc            # count all malloc() calls in libc\n"
	"    funccount go:os.*             # count all \"os.*\" calls in libgo\n"
	"    funccount -p 185 go:os.*      # count all \"os.*\" calls in libgo, PID 185\n"
	"    funccount ./test:read*        # count \"read*\" calls in the ./test binary\n"
	"    funccount -c 1 'vfs_*'        # count vfs calls on CPU 1 only\n",
	.opts = opts,
	.skeleton = &funccount_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		{ "vfscount", "Count VFS calls (\"vfs_*\" kernel functions)", { "--addr", "-r", "^vfs_.*" },
		  .opts = vfscount_opts,
		  .spec_kinds = PS_F_KFUNC,
		  .examples =
		  "    vfscount      # count vfs_* calls until Ctrl-C\n"
		  "    vfscount 10   # count for 10 seconds\n" },
		{ NULL },
	});
