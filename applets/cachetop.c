/* cachetop: page cache hits and misses per process, top-style (core/top.h), over cachestat's
 * BPF object (the same probes, counted per process). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "core/top.h"
#include "cachestat.skel.h"
#include "cachestat.h"

BCCT_SKELETON(cachestat_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	TOP_NOCLEAR,
	TOP_MAXROWS,
	TOP_SORT('s', "sort field, default hits (pid, uid, cmd, hits, misses, dirties, read_hit, write_hit)"),
	TOP_ASCENDING,
	POS_INT_("interval", OPT_DEST(env, interval), "Interval between probes.", 1, INT_MAX),
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* One process's row, as BCC's cachetop computes it. */
struct row {
	unsigned int pid, uid;
	char comm[17];
	long long hits, misses, dirties;
	double read_hit, write_hit;
};

static int cmp_ll(long long x, long long y) { return x > y ? -1 : x < y; }
static int cmp_double(double x, double y) { return x > y ? -1 : x < y; }

#define ROW(p) ((const struct row *)(p))
static int by_pid(const void *a, const void *b) { return cmp_ll(ROW(a)->pid, ROW(b)->pid); }
static int by_uid(const void *a, const void *b) { return cmp_ll(ROW(a)->uid, ROW(b)->uid); }
static int by_cmd(const void *a, const void *b) { return -strcmp(ROW(a)->comm, ROW(b)->comm); }
static int by_hits(const void *a, const void *b) { return cmp_ll(ROW(a)->hits, ROW(b)->hits); }
static int by_misses(const void *a, const void *b) { return cmp_ll(ROW(a)->misses, ROW(b)->misses); }
static int by_dirties(const void *a, const void *b) { return cmp_ll(ROW(a)->dirties, ROW(b)->dirties); }
static int by_read_hit(const void *a, const void *b) { return cmp_double(ROW(a)->read_hit, ROW(b)->read_hit); }
static int by_write_hit(const void *a, const void *b) { return cmp_double(ROW(a)->write_hit, ROW(b)->write_hit); }

static void print_row(void *ctx, const void *entry)
{
	const struct row *r = entry;
	char user[32];

	out_begin();
	out_int("pid", "%8lld", r->pid);
	out_str("uid", "%-8.8s", sys_user_name(r->uid, user, sizeof(user)));
	out_str("cmd", "%-16s", r->comm);
	out_int("hits", "%8lld", r->hits);
	out_int("misses", "%8lld", r->misses);
	out_int("dirties", "%8lld", r->dirties);
	out_float("read_hit_pct", "%9.1f%%", r->read_hit);
	out_float("write_hit_pct", "%9.1f%%", r->write_hit);
	out_end();
}

static void title(void *ctx);

static const struct bcct_top display = {
	.sorts = (const struct bcct_top_sort[]){
		{ "hits", by_hits }, { "pid", by_pid }, { "uid", by_uid }, { "cmd", by_cmd },
		{ "misses", by_misses }, { "dirties", by_dirties }, { "read_hit", by_read_hit },
		{ "write_hit", by_write_hit }, { NULL },
	},
	.title = title,
	.header = "PID      UID      CMD              HITS     MISSES   DIRTIES  READ_HIT%  WRITE_HIT%",
	.row = print_row,
};

static void title(void *ctx)
{
	double buffers = sys_meminfo_kb("Buffers") / 1024.0, cached = sys_meminfo_kb("Cached") / 1024.0;
	char ts[16];

	if (env.json) {
		out_float("buffers_mb", "", buffers);
		out_float("cached_mb", "", cached);
		return;
	}
	out_text("%-8s Buffers MB: %.0f / Cached MB: %.0f / Sort: %s / Order: %s\n",
		 sys_time_of_day(ts, sizeof(ts)), buffers, cached, top_sort_name(&display),
		 top_env.ascending ? "ascending" : "descending");
}

/* BCC's per-process arithmetic: accesses by reads and writes, misses as pages added or
 * dirtied, and the share of each in both. */
static void to_row(const struct cachetop_key *k, const struct cachetop_val *v, struct row *r)
{
	unsigned long long mpa = v->n[CACHE_ACCESSED], mbd = v->n[CACHE_BUFFER_DIRTY];
	unsigned long long apcl = v->n[CACHE_ADDED], apd = v->n[CACHE_DIRTIED];
	double all = (double)(mpa + mbd + apcl + apd);

	memset(r, 0, sizeof(*r));
	r->pid = k->pid;
	r->uid = k->uid;
	snprintf(r->comm, sizeof(r->comm), "%.16s", k->comm);
	r->hits = mpa + mbd;
	r->misses = apcl + apd;
	r->dirties = mbd;
	r->read_hit = mpa ? 100.0 * mpa / all : 0;
	r->write_hit = apcl ? 100.0 * apcl / all : 0;
}

static int print(void *ctx, bool final)
{
	struct cachestat_bpf *skel = ctx;
	struct bcct_entries e, rows = { .stride = sizeof(struct row), .key_size = sizeof(struct row) };

	if (bcct_map_collect(skel->maps.procs, &e) < 0)
		return -1;
	rows.data = calloc(e.n ? e.n : 1, sizeof(struct row));
	if (!rows.data) {
		bcct_entries_free(&e);
		return -1;
	}
	for (size_t i = 0; i < e.n; i++)
		to_row(bcct_entry_key(&e, i), bcct_entry_value(&e, i), (struct row *)rows.data + i);
	rows.n = e.n;
	top_show(&display, ctx, &rows);
	free(rows.data);
	bcct_entries_free(&e);
	bcct_map_clear(skel->maps.procs);
	if (final)
		out_text("Detaching...\n");
	return 0;
}

static int configure(void *p)
{
	struct cachestat_bpf *skel = p;

	skel->rodata->per_process = true;
	return bcct_map_resize(skel, "stats", 1);
}

static int run(void)
{
	int err = top_check_options(&display);

	if (err)
		return err;
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.on_interval = print,
		.interval = env.interval ? env.interval : 5,
	});
}

BCCT_APPLET(cachetop,
	.category = "file/VFS",
	.summary = "Page cache hit/miss statistics per process, in a UI like top",
	.description =
	"Show Linux page cache hit/miss statistics including read and write hit % per processes in\n"
	"a UI like top. The probes are cachestat's (see `cachestat --help` for the fallback's\n"
	"tracepoints and what they count differently). Not interactive: -s and --ascending take the\n"
	"place of BCC's '<', '>' and 'r' keys.",
	.examples =
	"    cachetop             # refresh every 5 seconds\n"
	"    cachetop 1           # refresh every second\n"
	"    cachetop -p 1 -C 1   # PID 1 only, without clearing the screen\n"
	"    cachetop -s misses 1 # sort by misses\n",
	.opts = opts,
	.fallback = "tracepoints: pages of buffered reads and pages added, not function calls; mmap accesses not seen",
	.skeleton = &cachestat_bpf__skeleton,
	.optional_probes = BCCT_NAMES("dirtied", "buffer_dirty"),
	.run = run);
