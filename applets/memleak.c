/* memleak: outstanding (not yet freed) allocations by stack, in a process's allocator (-p, -c)
 * or in the kernel's, as BCC's memleak. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/btf.h"
#include "core/output.h"
#include "core/maps.h"
#include "core/run.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "memleak.skel.h"
#include "memleak.h"

BCCT_SKELETON(memleak_bpf);

#define MEMLEAK_MAX_ARGS 64    /* -c "COMMAND": words, as BCC splits it */

static struct {
	bool trace, show_allocs, combined_only, wa_missing_free, percpu;
	long older_ms, sample_rate, top, min_size, max_size;
	const char *command, *obj;
	char *argv_buf;
	char *argv[MEMLEAK_MAX_ARGS + 1];
	struct memleak_bpf *skel;
	struct bcct_stacks *stacks;
} o = { .older_ms = 500, .sample_rate = 1, .top = 10, .min_size = -1, .max_size = -1, .obj = "c" };

static const struct bcct_opt opts[] = {
	OPT_INT_('p', "pid", OPT_DEST(env, pid), "PID", "the PID to trace; if not specified, trace kernel allocs", 1, INT_MAX),
	OPT_FLAG_('t', "trace", &o.trace, "print trace messages for each alloc/free call"),
	STD_INTERVAL,
	STD_COUNT,
	OPT_FLAG_('a', "show-allocs", &o.show_allocs, "show allocation addresses and sizes as well as call stacks"),
	OPT_INT_('o', "older", &o.older_ms, "OLDER", "prune allocations younger than this age in milliseconds", 0, INT_MAX),
	OPT_STR_('c', "command", &o.command, "COMMAND", "execute and trace the specified command"),
	OPT_FLAG_(0, "combined-only", &o.combined_only, "show combined allocation statistics only"),
	OPT_FLAG_(0, "wa-missing-free", &o.wa_missing_free, "Workaround to alleviate misjudgments when free is missing"),
	OPT_INT_('s', "sample-rate", &o.sample_rate, "SAMPLE_RATE", "sample every N-th allocation to decrease the overhead", 1, INT_MAX),
	OPT_INT_('T', "top", &o.top, "TOP", "display only this many top allocating stacks (by size)", 1, INT_MAX),
	OPT_INT_('z', "min-size", &o.min_size, "MIN_SIZE", "capture only allocations larger than this size", 0, LONG_MAX),
	OPT_INT_('Z', "max-size", &o.max_size, "MAX_SIZE", "capture only allocations smaller than this size", 0, LONG_MAX),
	OPT_STR_('O', "obj", &o.obj, "OBJ", "attach to allocator functions in the specified object"),
	OPT_FLAG_(0, "percpu", &o.percpu, "trace percpu allocations"),
	STD_STACK_OPTS,
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

static bool kernel_mode(void)
{
	return !env.pid && !o.command;
}

/* ---- -t: one line per allocator call ---- */

/* The messages of BCC's bpf_trace_printk calls, in trace_pipe's layout (which BCC's
 * trace_fields() reads back): "comm-tid [cpu] seconds: message". */
static int on_event(void *ctx, const void *data, size_t size)
{
	const struct memleak_event *e = data;
	char msg[128];

	if (size < sizeof(*e))
		return 0;
	switch (e->kind) {
	case MEMLEAK_ALLOC_ENTER:
		snprintf(msg, sizeof(msg), "alloc entered, size = %llu", e->size);
		break;
	case MEMLEAK_ALLOC_EXIT:
		snprintf(msg, sizeof(msg), "alloc exited, size = %llu, result = %llx", e->size, e->addr);
		break;
	default:
		snprintf(msg, sizeof(msg), "free entered, address = %llx, size = %llu", e->addr, e->size);
		break;
	}
	out_event_time(e->ts);
	if (env.json) {
		out_begin();
		out_str("comm", "%s", e->comm);
		out_int("pid", "%lld", e->pid);
		out_int("tid", "%lld", e->tid);
		out_int("cpu", "%lld", e->cpu);
		out_str("call", "%s", e->kind == MEMLEAK_ALLOC_ENTER ? "alloc_enter" :
			e->kind == MEMLEAK_ALLOC_EXIT ? "alloc_exit" : "free_enter");
		out_uint("bytes", "%llu", e->size);
		if (e->kind != MEMLEAK_ALLOC_ENTER)
			out_uint("addr", "%llu", e->addr);
		out_end();
		return 0;
	}
	printf("%16s-%-7u [%03u] %.6f: %s\n", e->comm, e->tid, e->cpu, e->ts / 1e9, msg);
	return 0;
}

/* ---- the report ---- */

struct outstanding {
	unsigned long long addr;
	struct memleak_alloc info;
};

/* One stack's outstanding allocations (or, before grouping, one allocation); `first` orders
 * stacks of equal size as BCC's stable sort does (by their first allocation in ascending size). */
struct by_stack {
	int stack_id;
	unsigned long long size, count;
	size_t first;
};

static int cmp_size(const void *a, const void *b)
{
	const struct outstanding *x = a, *y = b;

	return x->info.size < y->info.size ? -1 : x->info.size > y->info.size;
}

static int cmp_total(const void *a, const void *b)
{
	const struct by_stack *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Every entry of map (u64 key -> value) as an array of records laid out as bcct_map_collect
 * lays them out: the key, then the value (8-byte aligned). Returns their number, or -1. */
static long read_map(struct bpf_map *map, size_t record_size, void **out)
{
	struct bcct_entries e = { 0 };

	if (bcct_map_collect(map, &e) < 0 || (e.n && e.stride != record_size)) {
		bcct_entries_free(&e);
		return -1;
	}
	*out = e.data;
	return (long)e.n;
}

static void title(void)
{
	char now[16];

	out_text("[%s] Top %ld stacks with outstanding allocations:\n",
		 sys_time_of_day(now, sizeof(now)), o.top);
}

/* "\t%d bytes in %d allocations from stack" and the frames, each "\t\t" + (with addresses)
 * "0x%016x\t" + "name+0xoff [module]"; in JSON one element of "stacks". */
static void print_stack(int stack_id, unsigned long long size, unsigned long long count, bool addresses)
{
	bool user = !kernel_mode();
	const char *const *names;
	const uint64_t *addrs;
	int n = bcct_stack_frames(o.stacks, stack_id, user, env.pid, NULL, &names);

	if (env.json) {
		out_begin();
		out_uint("bytes", "%llu", size);
		out_uint("allocs", "%llu", count);
		json_str_array(user ? "user_stack" : "kernel_stack", names, n < 0 ? 0 : n);
		if (n < 0)
			json_bool(user ? "user_stack_missed" : "kernel_stack_missed", true);
		out_end();
		return;
	}
	printf("\t%llu bytes in %llu allocations from stack\n", size, count);
	if (n < 0) {
		printf("\t\tstack information lost\n");
		return;
	}
	addrs = bcct_stack_addrs(o.stacks, user);
	for (int i = 0; i < n; i++) {
		if (addresses)
			printf("\t\t0x%016llx\t%s\n", (unsigned long long)addrs[i], names[i]);
		else
			printf("\t\t%s\n", names[i]);
	}
}

static int cmp_stack(const void *a, const void *b)
{
	const struct by_stack *x = a, *y = b;

	if (x->stack_id != y->stack_id)
		return x->stack_id < y->stack_id ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* BCC's print_outstanding: allocations at least -o old with a stack, grouped by stack, the -T
 * largest totals in ascending order; -a lists each allocation first. */
static int print_outstanding(void)
{
	unsigned long long now = bcct_now_ns(), min_age = o.older_ms * 1000000ULL;
	struct outstanding *all = NULL;
	struct by_stack *refs;
	size_t nrefs = 0, ngroups = 0;
	long n = read_map(o.skel->maps.allocs, sizeof(*all), (void **)&all);

	if (n < 0)
		return -1;
	qsort(all, n, sizeof(*all), cmp_size);
	refs = calloc(n ? n : 1, sizeof(*refs));
	if (!refs) {
		free(all);
		return -1;
	}
	title();
	if (o.show_allocs)
		out_list("allocations");
	for (long i = 0; i < n; i++) {
		const struct memleak_alloc *a = &all[i].info;

		if (now - min_age < a->timestamp_ns || a->stack_id < 0)
			continue;
		refs[nrefs++] = (struct by_stack){ .stack_id = a->stack_id, .size = a->size, .count = 1,
						   .first = i };
		if (o.show_allocs) {
			out_begin();
			if (!env.json) {
				printf("\taddr = %llx size = %llu\n", all[i].addr, a->size);
			} else {
				out_uint("addr", "%llu", all[i].addr);
				out_uint("bytes", "%llu", a->size);
			}
			out_end();
		}
	}
	/* group by stack, in place: each group keeps its first allocation in size order */
	qsort(refs, nrefs, sizeof(*refs), cmp_stack);
	for (size_t i = 0; i < nrefs; i++) {
		if (ngroups && refs[ngroups - 1].stack_id == refs[i].stack_id) {
			refs[ngroups - 1].size += refs[i].size;
			refs[ngroups - 1].count++;
		} else {
			refs[ngroups++] = refs[i];
		}
	}
	qsort(refs, ngroups, sizeof(*refs), cmp_total);
	out_list("stacks");
	for (size_t g = ngroups > (size_t)o.top ? ngroups - o.top : 0; g < ngroups; g++)
		print_stack(refs[g].stack_id, refs[g].size, refs[g].count, true);
	free(refs);
	free(all);
	return 0;
}

struct combined {
	unsigned long long stack_id;
	struct memleak_combined info;
};

static int cmp_combined(const void *a, const void *b)
{
	const struct combined *x = a, *y = b;

	return x->info.total_size > y->info.total_size ? -1 : x->info.total_size < y->info.total_size;
}

/* BCC's print_outstanding_combined: the running totals per stack, the -T largest, printed in
 * ascending order. Stacks whose allocations were all freed are left out. */
static int print_combined(void)
{
	struct combined *all = NULL;
	long n = read_map(o.skel->maps.combined_allocs, sizeof(*all), (void **)&all);
	long shown = 0;

	if (n < 0)
		return -1;
	qsort(all, n, sizeof(*all), cmp_combined);
	while (shown < n && shown < o.top && all[shown].info.number_of_allocs)
		shown++;
	title();
	out_list("stacks");
	for (long i = shown - 1; i >= 0; i--)
		print_stack((int)all[i].stack_id, all[i].info.total_size, all[i].info.number_of_allocs, false);
	free(all);
	return 0;
}

static int print(void *ctx, bool final)
{
	int err = o.combined_only ? print_combined() : print_outstanding();

	fflush(stdout);
	return err;
}

/* ---- setup ---- */

static void header(void *ctx)
{
	if (kernel_mode())
		out_text("Attaching to kernel allocators, Ctrl+C to quit.\n");
	else
		out_text("Attaching to pid %ld, Ctrl+C to quit.\n", env.pid);
}

/* The allocator's functions, as BCC attaches them: entry and return, or entry only; the
 * optional ones are missing from some C libraries (valloc and pvalloc from bionic,
 * aligned_alloc before C11). */
static const struct {
	const char *func;
	bool optional;
} functions[] = {
	{ "malloc" }, { "calloc" }, { "realloc" }, { "mmap" }, { "posix_memalign" },
	{ "valloc", true }, { "memalign" }, { "pvalloc", true }, { "aligned_alloc", true },
	{ "free" }, { "munmap" },
};

static struct bpf_program *prog_named(const char *func, const char *suffix)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%s", func, suffix);
	return bpf_object__find_program_by_name(o.skel->obj, name);
}

static int attach(void *ctx)
{
	char shown[4096], path[64];
	int fd = sys_pid_find_library(env.pid, o.obj, true, shown, sizeof(shown));
	int err = 0;

	if (kernel_mode())
		return 0;
	if (fd < 0) {
		bcct_err("cannot find library or executable \"%s\" in process %ld", o.obj, env.pid);
		return BCCT_EXIT_FAIL;
	}
	/* the inode found, not a same-named file of ours (core/sys: sys_pid_find_library) */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]) && !err; i++) {
		struct bpf_program *exit_prog = prog_named(functions[i].func, "exit");

		err = bcct_attach_uprobe(prog_named(functions[i].func, "enter"), false, env.pid, path,
					 functions[i].func, 0);
		if (!err && exit_prog)
			err = bcct_attach_uprobe(exit_prog, true, env.pid, path, functions[i].func, 0);
		if (err && functions[i].optional) {
			bcct_info("%s: no %s: not traced", shown, functions[i].func);
			err = 0;
		} else if (err) {
			bcct_err("cannot attach to %s in %s: %s", functions[i].func, shown, strerror(-err));
			err = BCCT_EXIT_FAIL;
		}
	}
	close(fd);
	return err;
}

static int configure(void *p)
{
	struct memleak_bpf *skel = p;
	static const char *const kernel_probes[] = {
		"kmalloc", "kmalloc_node", "kmem_cache_alloc", "kmem_cache_alloc_node", "kfree",
		"kmem_cache_free",
	};
	/* Pages by frame number (tracepoints) when addresses are printed, as BCC prints them; else
	 * by struct page at the raw tracepoints, which release at exit without a grace period. */
	bool page_numbers = o.show_allocs || o.trace;
	struct bpf_program *prog;

	o.skel = skel;
	skel->rodata->kernel_mode = kernel_mode();
	skel->rodata->trace_all = o.trace;
	skel->rodata->wa_missing_free = o.wa_missing_free && kernel_mode();
	skel->rodata->min_size = o.min_size >= 0 ? (__u64)o.min_size : 0;
	skel->rodata->max_size = o.max_size >= 0 ? (__u64)o.max_size : ~0ULL;
	skel->rodata->sample_every_n = o.sample_rate;
	skel->rodata->page_size = sysconf(_SC_PAGESIZE);
	for (size_t i = 0; i < sizeof(kernel_probes) / sizeof(kernel_probes[0]); i++)
		bcct_probe_enable(skel, kernel_probes[i], kernel_mode() && !o.percpu);
	bcct_probe_enable(skel, "mm_page_alloc", kernel_mode() && !o.percpu && page_numbers);
	bcct_probe_enable(skel, "mm_page_free", kernel_mode() && !o.percpu && page_numbers);
	bcct_probe_enable(skel, "page_alloc", kernel_mode() && !o.percpu && !page_numbers);
	bcct_probe_enable(skel, "page_free", kernel_mode() && !o.percpu && !page_numbers);
	bcct_probe_enable(skel, "percpu_alloc_percpu", kernel_mode() && o.percpu);
	bcct_probe_enable(skel, "percpu_free_percpu", kernel_mode() && o.percpu);
	/* the uprobe programs are attached by attach() in user mode only */
	bpf_object__for_each_program(prog, skel->obj)
		if (!strncmp(bpf_program__section_name(prog), "uprobe", 6) ||
		    !strncmp(bpf_program__section_name(prog), "uretprobe", 9))
			bpf_program__set_autoload(prog, !kernel_mode());
	/* Kernel mode records allocations inside kmalloc's tracepoint: entries made in advance
	 * never allocate there. Before the BPF memory allocator (6.1) the kernel also warns
	 * ("trace type BPF program uses run-time allocation") at every load of a uprobe program
	 * using a map that allocates as it goes: preallocated there too, as BCC's. */
	if (kernel_mode() || bcct_btf_find("bpf_mem_alloc", BTF_KIND_STRUCT) < 0)
		bpf_map__set_map_flags(skel->maps.allocs, 0);
	return bcct_stacks_renew(&o.stacks, skel->maps.stack_traces, &(struct bcct_stack_fmt){
		.kernel = kernel_mode(), .user = !kernel_mode(), .offsets = true, .modules = true });
}

/* -c "COMMAND": split on white space as BCC does (no shell), run by core held until attached. */
static int split_command(void)
{
	int n = 0;

	o.argv_buf = strdup(o.command);
	if (!o.argv_buf)
		return -1;
	for (char *save = NULL, *w = strtok_r(o.argv_buf, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (n == MEMLEAK_MAX_ARGS) {
			bcct_usage_err("-c: more than %d words", MEMLEAK_MAX_ARGS);
			return -1;
		}
		o.argv[n++] = w;
	}
	if (!n) {
		bcct_usage_err("-c: empty command");
		return -1;
	}
	o.argv[n] = NULL;
	env.exec_argv = o.argv;
	return 0;
}

static int run(void)
{
	int err;

	if (o.min_size >= 0 && o.max_size >= 0 && o.min_size > o.max_size) {
		bcct_usage_err("min_size (-z) can't be greater than max_size (-Z)");
		return BCCT_EXIT_USAGE;
	}
	if (o.command && env.pid) {
		bcct_usage_err("-p and -c are mutually exclusive");
		return BCCT_EXIT_USAGE;
	}
	if (o.percpu && !kernel_mode()) {
		bcct_usage_err("--percpu traces the kernel's allocations: not with -p or -c");
		return BCCT_EXIT_USAGE;
	}
	if (o.command) {
		if (split_command())
			return BCCT_EXIT_USAGE;
		out_text("Executing '%s' and tracing the resulting process.\n", o.command);
	}
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = o.trace ? on_event : NULL,
		/* BCC's -t prints the calls only, no reports */
		.on_interval = o.trace ? NULL : print,
		.interval = o.trace ? 0 : env.interval ? env.interval : 5,
	});
	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	free(o.argv_buf);
	return err;
}

BCCT_APPLET(memleak,
	.category = "memory",
	.summary = "Trace outstanding memory allocations that weren't freed",
	.description =
	"Supports both user-mode allocations made with libc functions (uprobes on malloc, calloc,\n"
	"realloc, mmap, posix_memalign, valloc, memalign, pvalloc, aligned_alloc, free, munmap of\n"
	"-O's object in the process of -p or -c) and kernel-mode allocations (the kmem tracepoints\n"
	"kmalloc, kmem_cache_alloc, mm_page_alloc and their frees; percpu's with --percpu).\n"
	"A report is also printed when the trace ends (Ctrl-C, the command's exit). -t prints each\n"
	"call in trace_pipe's layout (\"comm-tid [cpu] seconds: message\") instead of reports.",
	.examples =
	"    memleak -p $(pidof allocs)\n"
	"        Trace allocations and display a summary of \"leaked\" (outstanding)\n"
	"        allocations every 5 seconds\n"
	"    memleak -p $(pidof allocs) -t\n"
	"        Trace allocations and display each individual allocator function call\n"
	"    memleak -ap $(pidof allocs) 10\n"
	"        Trace allocations and display allocated addresses, sizes, and stacks\n"
	"        every 10 seconds for outstanding allocations\n"
	"    memleak -c \"./allocs\"\n"
	"        Run the specified command and trace its allocations\n"
	"    memleak\n"
	"        Trace allocations in kernel mode and display a summary of outstanding\n"
	"        allocations every 5 seconds\n"
	"    memleak -o 60000\n"
	"        Trace allocations in kernel mode and display a summary of outstanding\n"
	"        allocations that are at least one minute (60 seconds) old\n"
	"    memleak -s 5\n"
	"        Trace roughly every 5th allocation, to reduce overhead\n",
	.opts = opts,
	.skeleton = &memleak_bpf__skeleton,
	.optional_probes = BCCT_NAMES("kmalloc_node", "kmem_cache_alloc_node"),
	.run = run);
