/* syscount: summarize syscall counts and latencies, per syscall or per process. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "syscount.skel.h"
#include "syscount.h"
#include "core/sys/sys.h"

BCCT_SKELETON(syscount_bpf);

static struct {
	bool failures, latency, ms, process, list;
	long interval, top, errno_nr, ppid;
	const char *syscall;
	long syscall_nr;
} o = { .top = 10, .syscall_nr = -1 };

/* -e: a number (its absolute value, like BCC) or a name such as ENOENT. */
static int parse_errno(const char *arg, void *dest)
{
	long v;

	if (!bcct_parse_long(arg, &v) && v != 0) {
		*(long *)dest = labs(v);
		return 0;
	}
	if ((v = sys_errno_number(arg))) {
		*(long *)dest = v;
		return 0;
	}
	return -1;
}

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_TID('t'),
	OPT_INT_('c', "ppid", &o.ppid, "PPID", "trace only child of this pid", 1, INT_MAX),
	OPT_INT_('i', "interval", &o.interval, "INTERVAL", "print summary at this interval (seconds)", 1, INT_MAX),
	STD_DURATION('d'),
	OPT_INT_('T', "top", &o.top, "TOP", "print only the top syscalls by count or latency", 1, INT_MAX),
	OPT_FLAG_('x', "failures", &o.failures, "trace only failed syscalls (return < 0)"),
	OPT_FUNC_('e', "errno", &o.errno_nr, "ERRNO", "trace only syscalls that return this error (numeric or EPERM, etc.)", parse_errno),
	OPT_FLAG_('L', "latency", &o.latency, "collect syscall latency"),
	OPT_FLAG_('m', "milliseconds", &o.ms, "display latency in milliseconds (default: microseconds)"),
	OPT_FLAG_('P', "process", &o.process, "count by process and not by syscall"),
	OPT_FLAG_('l', "list", &o.list, "print list of recognized syscalls and exit"),
	OPT_STR_(0, "syscall", &o.syscall, "SYSCALL", "trace this syscall only (use option -l to get all recognized syscalls)"),
	STD_FILTERS,
	STD_EBPF,
	STD_EXEC,
	OPT_END_,
};

static const char *syscall_name(unsigned int nr, char *buf, size_t len)
{
	if (sys_syscall_name(nr))
		return sys_syscall_name(nr);
	snprintf(buf, len, "[unknown: %u]", nr);
	return buf;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* BCC's -l: sorted names, four columns of %-22s joined by three spaces. */
static void list_syscalls(void)
{
	const char *names[sys_syscall_count()];
	int n = 0;

	for (long i = 0; i < sys_syscall_count(); i++)
		if (sys_syscall_name(i))
			names[n++] = sys_syscall_name(i);
	qsort(names, n, sizeof(names[0]), cmp_name);
	for (int i = 0; i < n; i++)
		printf("%-22s%s", names[i], i % 4 == 3 || i == n - 1 ? "\n" : "   ");
}

/* bcct_map_collect's layout for a u32 key: the key padded to 8 bytes, then the value. */
struct entry {
	unsigned int key;
	struct syscount_val val __attribute__((aligned(8)));
};

static int by_count(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->val.count != y->val.count)
		return x->val.count > y->val.count ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int by_latency(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->val.total_ns != y->val.total_ns)
		return x->val.total_ns > y->val.total_ns ? -1 : 1;
	return by_count(a, b);
}

static void print_row(const struct entry *e)
{
	char buf[32], comm[sizeof(e->val.comm)];

	out_begin();
	if (o.process) {
		out_int("pid", "%-6lld", e->key);
		/* BCC names the process as it is now (/proc/PID/comm): the comm seen in-kernel at
		 * its first syscall may predate an exec (`timeout 5 dd` counted as "timeout"). A
		 * process gone by now keeps that in-kernel name rather than BCC's "[unknown]". */
		if (!*sys_pid_comm(e->key, comm, sizeof(comm)))
			snprintf(comm, sizeof(comm), "%s", e->val.comm);
		out_str("comm", "%-15s", comm);
	} else {
		out_str("syscall", "%-22s", syscall_name(e->key, buf, sizeof(buf)));
	}
	out_uint("count", "%8llu", e->val.count);
	if (o.latency && env.json)      /* exact, in one unit whatever -m says */
		out_uint("total_ns", "", e->val.total_ns);
	else if (o.latency && o.ms)
		out_float("time_ms", "%16.6f", e->val.total_ns / 1e6);
	else if (o.latency)
		out_float("time_us", "%16.3f", e->val.total_ns / 1e3);
	out_end();
}

static int print(void *ctx, bool final)
{
	struct syscount_bpf *skel = ctx;
	const char *agg = o.process ? "PID    COMM" : "SYSCALL";
	struct bcct_entries e;
	char ts[16];
	long shown = 0;

	if (bcct_map_collect(skel->maps.data, &e) < 0)
		return -1;
	assert(e.n == 0 || e.stride == sizeof(struct entry));
	bcct_entries_sort(&e, o.latency ? by_latency : by_count);
	out_text("[%s]\n", sys_time_of_day(ts, sizeof(ts)));
	if (o.latency)
		out_header("%-22s %8s %16s", agg, "COUNT", o.ms ? "TIME (ms)" : "TIME (us)");
	else
		out_header("%-22s %8s", agg, "COUNT");
	out_list("rows");               /* JSON: present, if empty, in every interval */
	for (size_t i = 0; i < e.n && shown < o.top; i++, shown++)
		print_row((const struct entry *)bcct_entry_key(&e, i));
	out_text("\n");
	bcct_entries_free(&e);
	bcct_map_clear(skel->maps.data);
	return 0;
}

static void detaching(void *ctx)
{
	out_text("Detaching...\n");
}

static int configure(void *p)
{
	struct syscount_bpf *skel = p;

	skel->rodata->measure_latency = o.latency;
	skel->rodata->count_by_process = o.process;
	skel->rodata->filter_failed = o.failures;
	skel->rodata->filter_errno = o.errno_nr;
	skel->rodata->filter_syscall = o.syscall_nr;
	skel->rodata->filter_ppid = o.ppid;
	/* Without -L the entry probe has nothing to do: leave it unattached, as BCC does. */
	bcct_probe_enable(skel, "sys_enter", o.latency);
	/* Keyed by syscall number (under 1024 on every architecture) unless -P keys by process. */
	return o.process ? 0 : bcct_map_resize(skel, "data", 1024);
}

static int run(void)
{
	char banner[128];

	if (o.list) {
		list_syscalls();
		return 0;
	}
	if (o.syscall && (o.syscall_nr = sys_syscall_nr(o.syscall)) < 0) {
		bcct_usage_err("syscall '%s' not found (see -l)", o.syscall);
		return BCCT_EXIT_USAGE;
	}
	if (o.syscall)
		snprintf(banner, sizeof(banner), "Tracing %ssyscall '%s'... Ctrl+C to quit.",
			 o.failures ? "failed " : "", o.syscall);
	else
		snprintf(banner, sizeof(banner), "Tracing %ssyscalls, printing top %ld... Ctrl+C to quit.",
			 o.failures ? "failed " : "", o.top);

	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = banner,
		.on_interval = print,
		.on_exit = detaching,
		.interval = o.interval,
	});
}

BCCT_APPLET(syscount,
	.category = "syscalls",
	.summary = "Summarize syscall counts and latencies",
	.examples =
	"    syscount                  # print top 10 syscalls by count at Ctrl-C\n"
	"    syscount -p $(pidof dd)   # look only at a particular process\n"
	"    syscount -L               # measure and sort output by latency\n"
	"    syscount -P               # group statistics by pid, not by syscall\n"
	"    syscount -x -i 5          # count only failed syscalls, print every 5 s\n"
	"    syscount -e ENOENT -i 5   # count only syscalls failed with a given errno\n"
	"    syscount --syscall openat # count only openat()\n"
	"    syscount -l               # list the recognized syscall names\n"
	"    syscount --exec ls -l /   # count the syscalls of this command, from exec to exit\n",
	.opts = opts,
	.skeleton = &syscount_bpf__skeleton,
	.optional_probes = BCCT_NAMES("sys_enter"),
	.run = run);
