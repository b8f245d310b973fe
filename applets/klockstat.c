/* klockstat: kernel mutex wait and hold times by caller, as BCC's (without kprobes or fentry,
 * the waits of contended mutexes only). */
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
	enum sort_field acq_sort, hld_sort;
	bool holds;             /* mutex_lock and mutex_unlock probed: hold times measured */
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

/* Index of the caller in a stack taken at a lock: the frame after the locking code's. A stack
 * taken at mutex_lock's fentry begins with the BPF program and its trampoline, so the locking
 * code is looked for among the first few frames; a stack without it starts at its caller. */
static int caller_index(const char *const *names, int n)
{
	int i = 0;

	while (i < n && i < 4 && !lock_frame(names[i]))
		i++;
	if (i == n || i == 4)
		return 0;
	while (i < n && lock_frame(names[i]))
		i++;
	return i;
}

/* qsort's comparator has no argument for it: the field of the table being sorted */
static _Thread_local enum sort_field sorting;

static uint64_t sort_value(const struct klockstat_stat *st)
{
	return sorting == SORT_COUNT ? st->count : sorting == SORT_TOTAL ? st->total_ns : st->max_ns;
}

static int by_field_desc(const void *a, const void *b)
{
	uint64_t va = sort_value(a), vb = sort_value(b);

	return va < vb ? 1 : va > vb ? -1 : 0;
}

static void print_row(struct klockstat_stat *st, long long stack_id)
{
	const char *const *names;
	int n = bcct_stack_side(o.stacks, (int)stack_id, false, 0, &names);
	int first = n > 0 ? caller_index(names, n) : 0;
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

/* One table: the rows of stats map `map` sorted by `field`, under BCC's header for `what`
 * ("Spin" or "Hold"), in JSON list `list`. */
static int print_table(struct bpf_map *map, enum sort_field field, const char *what, const char *list)
{
	struct bcct_entries e;
	size_t shown = 0;
	char avg[16], max[16], total[16];

	if (bcct_map_collect(map, &e) < 0)
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
	sorting = field;
	qsort(rows, e.n, sizeof(*rows), by_field_desc);
	snprintf(avg, sizeof(avg), "Avg %s", what);
	snprintf(max, sizeof(max), "Max %c%s", what[0] + 'a' - 'A', what + 1);
	snprintf(total, sizeof(total), "Total %c%s", what[0] + 'a' - 'A', what + 1);
	out_text("\n%40s %10s %6s %10s %10s\n", "Caller", avg, "Count", max, total);
	out_list(list);
	for (size_t i = 0; i < e.n && shown < (size_t)o.locks; i++, shown++)
		if (rows[i].st.count)
			print_row(&rows[i].st, rows[i].id);
	free(rows);
	bcct_entries_free(&e);
	bcct_map_clear(map);
	return 0;
}

static int print(void *ctx, bool final)
{
	struct klockstat_bpf *skel = ctx;
	int err;

	(void)final;
	err = print_table(skel->maps.stats, o.acq_sort, "Spin", "rows");
	/* Without kprobes or fentry the hold table stays empty: nothing measures holds. */
	err = err ? err : print_table(skel->maps.hold_stats, o.hld_sort, "Hold", "hold_rows");
	/* the stack of a mutex still held may be needed at its unlock: clear only the waits' */
	if (!o.holds)
		bcct_map_clear(skel->maps.stacks);
	return err;
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
	enum bcct_kind k = bcct_probe_chosen(ctx, "lock_enter");

	o.holds = k == KIND_FENTRY || k == KIND_KPROBE;
	if (!o.holds)
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
		/* BCC's "acq_field[,hld_field]": each element sorts the table it names */
		char buf[64], *save = NULL;

		snprintf(buf, sizeof(buf), "%s", o.sort);
		for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
			bool hold = !strncmp(f, "hld_", 4);
			enum sort_field *dst = hold ? &o.hld_sort : &o.acq_sort;

			if (!hold && strncmp(f, "acq_", 4)) {
				bcct_usage_err("-S: unknown field '%s' (acq_max, acq_total, acq_count, hld_max, hld_total, hld_count)", f);
				return BCCT_EXIT_USAGE;
			}
			if (!strcmp(f + 4, "max"))
				*dst = SORT_MAX;
			else if (!strcmp(f + 4, "total"))
				*dst = SORT_TOTAL;
			else if (!strcmp(f + 4, "count"))
				*dst = SORT_COUNT;
			else {
				bcct_usage_err("-S: unknown field '%s' (acq_max, acq_total, acq_count, hld_max, hld_total, hld_count)", f);
				return BCCT_EXIT_USAGE;
			}
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
	.summary = "Kernel mutex wait and hold times by caller (holds need kprobes or fentry)",
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
	/* hold times: only beside mutex_lock's entry (kprobes, fentry); without them the waits of
	 * lock_enter's parts, the contention tracepoints */
	.optional_probes = BCCT_NAMES("lock_return", "unlock"),
	.run = run);
