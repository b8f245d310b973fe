/* klockstat: kernel mutex wait times by caller (hold times need kprobes or fentry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "klockstat.skel.h"
#include "klockstat.h"

BCCT_SKELETON(klockstat_bpf);

enum sort_field { SORT_MAX, SORT_TOTAL, SORT_COUNT };

static struct {
	long locks, stack_lines, stack_size, interval;
	const char *caller, *sort;
	enum sort_field acq_sort;
	struct bcct_stacks *stacks;
} o = { .locks = 99999999, .stack_lines = 1, .stack_size = BCCT_STACK_STORAGE_DEFAULT };

static const struct bcct_opt opts[] = {
	STD_DURATION('d'),
	OPT_INT_('i', "interval", OPT_DEST(env, interval), "INTERVAL", "print summary at this interval (seconds)", 1, INT_MAX),
	OPT_INT_('n', "locks", &o.locks, "LOCKS", "print given number of locks", 1, LONG_MAX),
	OPT_INT_('s', "stacks", &o.stack_lines, "STACKS", "print given number of stack entries", 1, KLOCKSTAT_STACK_DEPTH),
	OPT_STR_('c', "caller", &o.caller, "CALLER", "print locks taken by given caller"),
	OPT_STR_('S', "sort", &o.sort, "SORT", "sort data on <aq_field,hd_field>, fields: acq_[max|total|count] hld_[max|total|count]"),
	STD_PID('p'),
	STD_TID('t'),
	STACK_STORAGE_OPT(o.stack_size),
	STD_JSON,
	STD_VERBOSE,
	STD_EBPF,
	OPT_END_,
};

/* Frames of the locking code itself: the caller is the first frame after them. */
static bool lock_frame(const char *name)
{
	static const char *const prefixes[] = { "__mutex_", "mutex_", "__ww_mutex", "ww_mutex_" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static uint64_t sort_value(const struct klockstat_stat *st)
{
	return o.acq_sort == SORT_COUNT ? st->count : o.acq_sort == SORT_TOTAL ? st->total_ns : st->max_ns;
}

static int by_field_desc(const void *a, const void *b)
{
	uint64_t va = sort_value(a), vb = sort_value(b);

	return va < vb ? 1 : va > vb ? -1 : 0;
}

static void print_row(struct klockstat_stat *st, long long stack_id)
{
	const char *const *names;
	int n = bcct_stack_side(o.stacks, (int)stack_id, false, 0, &names), first = 0;

	while (first < n && lock_frame(names[first]))
		first++;
	const char *caller = n < 0 ? bcct_stack_missed_text(false) : first < n ? names[first] : "[unknown]";

	if (o.caller && !strstr(caller, o.caller))
		return;
	out_begin();
	out_str("caller", "%40s", caller);
	out_uint("avg_ns", "%10llu", st->total_ns / st->count);
	out_uint("count", "%6llu", st->count);
	out_uint("max_ns", "%10llu", st->max_ns);
	out_uint("total_ns", "%10llu", st->total_ns);
	if (env.json) {
		int lines = first + o.stack_lines < n ? (int)o.stack_lines : n - first;

		json_str_array("stack", n > 0 ? names + first : NULL, n > 0 ? lines : 0);
	}
	out_end();
	/* BCC's -s N: the caller and the frames that called it, N lines in all. */
	for (int i = first + 1; !env.json && i < n && i < first + o.stack_lines; i++)
		printf("%40s\n", names[i]);
}

static int print(void *ctx, bool final)
{
	struct klockstat_bpf *skel = ctx;
	struct bcct_entries e;
	size_t shown = 0;

	(void)final;
	if (bcct_map_collect(skel->maps.stats, &e) < 0)
		return 1;
	/* values start 8-byte aligned after the 8-byte key: sort on them through a copy */
	struct { struct klockstat_stat st; long long id; } *rows = calloc(e.n ? e.n : 1, sizeof(*rows));

	if (!rows) {
		bcct_entries_free(&e);
		return 1;
	}
	for (size_t i = 0; i < e.n; i++) {
		memcpy(&rows[i].st, bcct_entry_value(&e, i), sizeof(rows[i].st));
		memcpy(&rows[i].id, bcct_entry_key(&e, i), sizeof(rows[i].id));
	}
	qsort(rows, e.n, sizeof(*rows), by_field_desc);
	out_text("\n%40s %10s %6s %10s %10s\n", "Caller", "Avg Spin", "Count", "Max spin", "Total spin");
	out_list("rows");
	for (size_t i = 0; i < e.n && shown < (size_t)o.locks; i++, shown++)
		if (rows[i].st.count)
			print_row(&rows[i].st, rows[i].id);
	/* Hold times need a probe at mutex_lock's return and at mutex_unlock: none here. */
	out_text("\n%40s %10s %6s %10s %10s\n", "Caller", "Avg Hold", "Count", "Max hold", "Total hold");
	free(rows);
	bcct_entries_free(&e);
	bcct_map_clear(skel->maps.stats);
	bcct_map_clear(skel->maps.stacks);
	return 0;
}

static int configure(void *p)
{
	struct klockstat_bpf *skel = p;

	bpf_map__set_max_entries(skel->maps.stacks, o.stack_size);
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){
		.kernel = true,
		.offsets = true,        /* BCC: ksym(addr, show_offset=True) */
	});
}

static void started(void *ctx)
{
	(void)ctx;
	bcct_warn("hold times need kprobes or fentry on mutex_lock/mutex_unlock; showing the waits of contended mutexes (lock:contention_begin/end)");
}

static int run(void)
{
	int err;

	if (env.duration && env.interval) {
		bcct_usage_err("-d and -i are mutually exclusive");
		return BCCT_EXIT_USAGE;
	}
	if (o.sort) {
		/* "acq_field[,hld_field]": the hold field is accepted, there is nothing to sort */
		char acq[32];

		snprintf(acq, sizeof(acq), "%.*s", (int)strcspn(o.sort, ","), o.sort);
		if (!strcmp(acq, "acq_max") || !strcmp(acq, "hld_max") || !strcmp(acq, "hld_total") ||
		    !strcmp(acq, "hld_count"))
			o.acq_sort = SORT_MAX;
		else if (!strcmp(acq, "acq_total"))
			o.acq_sort = SORT_TOTAL;
		else if (!strcmp(acq, "acq_count"))
			o.acq_sort = SORT_COUNT;
		else {
			bcct_usage_err("-S: unknown field '%s' (acq_max, acq_total, acq_count, hld_max, hld_total, hld_count)", acq);
			return BCCT_EXIT_USAGE;
		}
	}
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing lock events... Hit Ctrl-C to end.",
		.on_start = started,
		.on_interval = print,
	});
	bcct_stacks_free(o.stacks);
	return err;
}

BCCT_APPLET(klockstat,
	.category = "scheduler/CPU",
	.summary = "Kernel mutex wait times by caller (hold times need kprobes or fentry)",
	.examples =
	"    klockstat                           # trace system wide\n"
	"    klockstat -d 5                      # trace for 5 seconds only\n"
	"    klockstat -i 5                      # display stats every 5 seconds\n"
	"    klockstat -p 123                    # trace locks for PID 123\n"
	"    klockstat -t 321                    # trace locks for PID 321\n"
	"    klockstat -c pipe_                  # display stats only for lock callers with 'pipe_' substring\n"
	"    klockstat -S acq_count              # sort lock acquired results on acquired count\n"
	"    klockstat -S hld_total              # sort lock held results on total held time\n"
	"    klockstat -S acq_count,hld_total    # combination of above\n"
	"    klockstat -n 3                      # display 3 locks\n"
	"    klockstat -s 3                      # display 3 levels of stack\n",
	.opts = opts,
	.skeleton = &klockstat_bpf__skeleton,
	.run = run);
