/* argdist: count (-C) or histogram (-H) the values of expressions over function arguments,
 * return values, tracepoint fields or USDT arguments, printed every interval. The expressions
 * are compiled to BPF at run time by core/probe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/probe/probeset.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "bcct.h"

#define MAX_SPECS 32

static struct {
	bool cumulative;
	long string_size, top;
	struct bcct_list counts, hists, includes;
	struct pprobe pp[2 * MAX_SPECS];
	bool is_hist[2 * MAX_SPECS];
	int nprobes;
	uint64_t last_print;
	struct bcct_run *run;     /* for the maps core made (the --cgroup filter) */
} o = { .string_size = 80 };

static int add_spec(const char *arg, void *dest)
{
	struct bcct_list *l = dest;

	if (l->n >= MAX_SPECS) {
		bcct_usage_err("too many specifiers (at most %d)", MAX_SPECS);
		return -1;
	}
	l->v[l->n++] = arg;
	return 0;
}

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_TID('t'),
	OPT_INT_('z', "string-size", &o.string_size, "STRING_SIZE",
		 "maximum string size to read from char* arguments", 1, 4096),
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "output interval, in seconds (default 1 second)", 1, INT_MAX),
	STD_DURATION('d'),
	OPT_INT_('n', "number", OPT_DEST(env, count), "COUNT", "number of outputs", 1, INT_MAX),
	STD_VERBOSE,
	OPT_FLAG_('c', "cumulative", &o.cumulative, "do not clear histograms and freq counts at each interval"),
	OPT_INT_('T', "top", &o.top, "TOP", "number of top results to show (not applicable to histograms)", 1, INT_MAX),
	OPT_FUNC_('H', "histogram", &o.hists, "specifier", "probe specifier to capture histogram of (see examples below)", add_spec),
	OPT_FUNC_('C', "count", &o.counts, "specifier", "probe specifier to capture count of (see examples below)", add_spec),
	OPT_FUNC_('I', "include", &o.includes, "header", "additional header files (accepted, unused: types come from the kernel's BTF)", add_spec),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	STD_EBPF,
	OPT_END_,
};

struct row {
	uint64_t count;
	unsigned char *key;
};

static int by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->count < y->count ? -1 : x->count > y->count;
}

/* BCC: the label or the spec, "\tCOUNT      EVENT", rows by count ascending (-T: the last N). */
/* JSON: the key's values, split: [{"expr":"args->flags","value":32768}, {"expr":"str",
 * "text":"..."}] (a number under "value", a string under "text"); none for BCC's implicit
 * "total calls". */
static void json_values(const struct pprobe *pp, const void *key)
{
	const struct probe_layout *l = probe_program_layout(pp->progs[0]);

	json_begin_array("values");
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct probe_field *f = &l->fields[i];
		bool implicit = probe_spec_default_expr(pp->spec);   /* as probe_format_key words it */
		const char *expr = !implicit ? f->expr : f->expr[0] ? "retval" : NULL;

		if (!expr)
			continue;
		json_begin_object(NULL);
		json_str("expr", expr);
		if (f->is_string) {
			char s[f->size + 1];

			memcpy(s, (const char *)key + f->offset, f->size);
			s[f->size] = 0;
			json_str("text", s);
		} else if (f->is_signed || implicit) {
			json_int("value", (long long)probe_field_value(f, key));
		} else {
			json_uint("value", probe_field_value(f, key));
		}
		json_end_object();
	}
	json_end_array();
}

static void print_counts(const struct pprobe *pp)
{
	const struct probe_layout *l = probe_program_layout(pp->progs[0]);
	const char *label = probe_spec_target(pp->spec)->label;
	int fd = probe_sink_map_fd(pp->progs[0]);
	size_t n = 0, cap = 64, first = 0;
	struct row *rows = malloc(cap * sizeof(*rows));
	unsigned char *cur = calloc(2, l->size), *next = cur ? cur + l->size : NULL;
	bool have = false;
	char text[4096];

	while (rows && cur && bpf_map_get_next_key(fd, have ? cur : NULL, next) == 0) {
		uint64_t v;

		memcpy(cur, next, l->size);
		have = true;
		if (bpf_map_lookup_elem(fd, cur, &v))
			continue;
		if (n == cap) {
			struct row *r = realloc(rows, (cap *= 2) * sizeof(*rows));

			if (!r)
				break;
			rows = r;
		}
		rows[n].count = v;
		rows[n].key = malloc(l->size);
		if (!rows[n].key)
			break;
		memcpy(rows[n++].key, cur, l->size);
	}
	free(cur);
	if (!rows)
		return;
	qsort(rows, n, sizeof(*rows), by_count);
	if (o.top && (size_t)o.top < n)
		first = n - o.top;
	if (env.json) {
		out_list("probes");
		json_begin_object(NULL);
		json_str("probe", label ? label : pp->text);
		json_begin_array("counts");
		for (size_t i = first; i < n; i++) {
			probe_format_key(pp->progs[0], rows[i].key, text, sizeof(text));
			json_begin_object(NULL);
			json_uint("count", rows[i].count);
			json_str("event", text);
			json_values(pp, rows[i].key);
			json_end_object();
		}
		json_end_array();
		json_end_object();
	} else {
		printf("%s\n", label ? label : pp->text);
		printf("\t%-10s %s\n", "COUNT", "EVENT");
		for (size_t i = first; i < n; i++) {
			probe_format_key(pp->progs[0], rows[i].key, text, sizeof(text));
			printf("\t%-10llu %s\n", (unsigned long long)rows[i].count, text);
		}
	}
	if (!o.cumulative)
		for (size_t i = 0; i < n; i++)
			bpf_map_delete_elem(fd, rows[i].key);
	for (size_t i = 0; i < n; i++)
		free(rows[i].key);
	free(rows);
}

/* BCC: print_log2_hist(val_type=label or the expression, "retval" when none was given). */
static void print_hist(const struct pprobe *pp)
{
	const struct probe_layout *l = probe_program_layout(pp->progs[0]);
	const char *label = probe_spec_target(pp->spec)->label;
	int fd = probe_sink_map_fd(pp->progs[0]);
	struct bcct_hist h, zero;
	uint64_t slots[BCCT_MAX_SLOTS];
	uint32_t k = 0;

	memset(&h, 0, sizeof(h));
	memset(&zero, 0, sizeof(zero));
	if (bpf_map_lookup_elem(fd, &k, &h))
		return;
	if (!label)
		label = probe_spec_default_expr(pp->spec) || !l->nfields ? "retval" : l->fields[0].expr;
	hist_widen(slots, h.slots, BCCT_MAX_SLOTS);
	hist_emit_log2(env.json ? "probe" : NULL, env.json ? pp->text : NULL, slots, BCCT_MAX_SLOTS, label);
	if (!o.cumulative)
		bpf_map_update_elem(fd, &k, &zero, BPF_ANY);
}

static int on_interval(void *ctx, bool final)
{
	uint64_t now = bcct_now_ns();
	char ts[16];

	/* BCC prints at each interval only: not again when Ctrl-C (or -d) ends a partial one. */
	if (final && now - o.last_print + 50000000ULL < (uint64_t)env.interval * 1000000000ULL) {
		out_interval_skip();
		return 0;
	}
	o.last_print = now;
	if (!env.json)
		printf("[%s]\n", sys_time_of_day(ts, sizeof(ts)));
	/* JSON: the counting probes' "probes", then the histograms' "hists", each present, if
	 * empty, in every interval (an object cannot hold a key twice). */
	for (int pass = env.json ? 0 : 2; pass < 3; pass++) {
		for (int i = 0; pass < 2 && i < o.nprobes; i++)
			if (o.is_hist[i] == (pass == 1)) {
				out_list(pass ? "hists" : "probes");
				break;
			}
		for (int i = 0; i < o.nprobes; i++) {
			if (o.is_hist[i] && pass != 0)
				print_hist(&o.pp[i]);
			else if (!o.is_hist[i] && pass != 1)
				print_counts(&o.pp[i]);
		}
	}
	fflush(stdout);
	return 0;
}

static int attach(void *ctx)
{
	struct probe_load_opts lo = { .cgroup_fd = o.run->cgroup_fd };

	for (int i = 0; i < o.nprobes; i++) {
		int err = pprobe_attach(&o.pp[i], &lo, env.pid);

		if (err)
			return err;
	}
	probe_btf_release();
	o.last_print = bcct_now_ns();
	return 0;
}

static int run(void)
{
	struct probe_compile_opts co = {
		.string_size = o.string_size,
		.filter_tgid = env.pid, .filter_pid = env.tid,
		.cgroup_filter = env.cgroup != NULL,
	};
	struct bcct_run r = { .attach = attach, .on_interval = on_interval };
	int err = 0;

	if (!o.counts.n && !o.hists.n) {
		bcct_usage_err("at least one specifier is required");
		return BCCT_EXIT_USAGE;
	}
	if (!env.interval)
		env.interval = 1;
	if (o.includes.n)
		bcct_info("-I ignored: types come from the kernel's BTF, not headers");
	if (env.comm)
		strncpy(co.filter_comm, env.comm, sizeof(co.filter_comm) - 1);
	o.run = &r;
	/* BCC's order: the -C specifiers, then the -H ones. */
	for (int i = 0; i < o.counts.n + o.hists.n && !err; i++) {
		bool hist = i >= o.counts.n;
		const char *text = hist ? o.hists.v[i - o.counts.n] : o.counts.v[i];

		o.is_hist[i] = hist;
		o.nprobes = i + 1;
		err = pprobe_build(&o.pp[i], text, PROBE_TOOL_ARGDIST, hist, env.pid, &co, i);
	}
	if (!err)
		err = bcct_run(&r);
	pprobes_free(o.pp, &o.nprobes);
	probe_btf_release();
	return err;
}

BCCT_APPLET(argdist,
	.spec_kinds = PS_F_ALL,
	.category = "generic/multi-tool",
	.summary = "Trace a function and display a summary of its parameter values",
	.description =
	"Probe specifier syntax:\n"
	"        {p,r,t,u}:{[library],category}:function(signature):type[,type...]:expr[,expr...][:filter]][#label]\n"
	"Where:\n"
	"        p,r,t,u    -- probe at function entry, function exit, kernel\n"
	"                      tracepoint, or USDT probe\n"
	"                      in exit probes: can use $retval, $entry(param), $latency\n"
	"        library    -- the library that contains the function\n"
	"                      (leave empty for kernel functions)\n"
	"        category   -- the category of the kernel tracepoint (e.g. net, sched)\n"
	"        function   -- the function name to trace (or tracepoint name)\n"
	"        signature  -- the function's parameters, as in the C header\n"
	"        type       -- the type of the expression to collect (supports multiple)\n"
	"        expr       -- the expression to collect (supports multiple)\n"
	"        filter     -- the filter that is applied to collected values\n"
	"        label      -- the label for this probe in the resulting output\n"
	"Expressions are compiled to BPF at run time with the kernel's BTF types (no headers, no\n"
	"LLVM). Kernel functions need kprobes.",
	.examples =
	"argdist -H 'p::__kmalloc(u64 size):u64:size'\n"
	"        Print a histogram of allocation sizes passed to kmalloc\n"
	"\n"
	"argdist -p 1005 -C 'p:c:malloc(size_t size):size_t:size:size==16'\n"
	"        Print a frequency count of how many times process 1005 called malloc\n"
	"        with an allocation size of 16 bytes\n"
	"\n"
	"argdist -C 'r:c:gets():char*:(char*)$retval#snooped strings'\n"
	"        Snoop on all strings returned by gets()\n"
	"\n"
	"argdist -H 'r::__kmalloc(size_t size):u64:$latency/$entry(size)#ns per byte'\n"
	"        Print a histogram of nanoseconds per byte from kmalloc allocations\n"
	"\n"
	"argdist -C 'p::__kmalloc(size_t sz, gfp_t flags):size_t:sz:flags&GFP_ATOMIC'\n"
	"        Print frequency count of kmalloc allocation sizes that have GFP_ATOMIC\n"
	"\n"
	"argdist -p 1005 -C 'p:c:write(int fd):int:fd' -T 5\n"
	"        Print frequency counts of how many times writes were issued to a\n"
	"        particular file descriptor number, in process 1005, but only show\n"
	"        the top 5 busiest fds\n"
	"\n"
	"argdist -p 1005 -H 'r:c:read()'\n"
	"        Print a histogram of results (sizes) returned by read() in process 1005\n"
	"\n"
	"argdist -C 'r::vfs_read():u32:$PID:$latency > 100000'\n"
	"        Print frequency of reads by process where the latency was >0.1ms\n"
	"\n"
	"argdist -H 'r::vfs_read(void *file, void *buf, size_t count):size_t:\n"
	"            $entry(count):$latency > 1000000'\n"
	"        Print a histogram of read sizes that were longer than 1ms\n"
	"\n"
	"argdist -H \\\n"
	"        'p:c:write(int fd, const void *buf, size_t count):size_t:count:fd==1'\n"
	"        Print a histogram of buffer sizes passed to write() across all\n"
	"        processes, where the file descriptor was 1 (STDOUT)\n"
	"\n"
	"argdist -C 'p:c:fork()#fork calls'\n"
	"        Count fork() calls in libc across all processes\n"
	"        Can also use funccount.py, which is easier and more flexible\n"
	"\n"
	"argdist -H 't:block:block_rq_complete():u32:args->nr_sector'\n"
	"        Print histogram of number of sectors in completing block I/O requests\n"
	"\n"
	"argdist -C 't:irq:irq_handler_entry():int:args->irq'\n"
	"        Aggregate interrupts by interrupt request (IRQ)\n"
	"\n"
	"argdist -C 'u:pthread:pthread_start():u64:arg2' -p 1337\n"
	"        Print frequency of function addresses used as a pthread start function,\n"
	"        relying on the USDT pthread_start probe in process 1337\n"
	"\n"
	"argdist -H 'p:c:sleep(u32 seconds):u32:seconds' \\\n"
	"        -H 'p:c:nanosleep(struct timespec *req):long:req->tv_nsec'\n"
	"        Print histograms of sleep() and nanosleep() parameter values\n"
	"\n"
	"argdist -p 2780 -z 120 \\\n"
	"        -C 'p:c:write(int fd, char* buf, size_t len):char*:buf:fd==1'\n"
	"        Spy on writes to STDOUT performed by process 2780, up to a string size\n"
	"        of 120 characters\n",
	.opts = opts,
	.run = run);
