/* Top-style display (filetop, cachetop, biotop, tcptop; later slabratetop, ustat): every
 * interval, the screen is cleared (unless -C/--noclear, or stdout is not a terminal: then a blank
 * line separates the intervals, as BCC's tools print with -C), a title is printed, then the
 * column header and at most -r/--maxrows rows sorted by the -s/--sort key, largest first. With
 * --json each interval is one object: {"ts":"HH:MM:SS", <title keys>, "rows":[{...}, ...]}.
 *
 * The applet keeps its rows in a struct bcct_entries (core/maps.h: usually straight from its
 * BPF map with bcct_map_collect), names its sort keys with a comparator each, and prints one row
 * with out_begin()/out_*()/out_end(); core does the rest. The display is not interactive:
 * BCC's cachetop takes sort keys from the keyboard under curses, bcct takes -s instead. */
#ifndef BCCT_TOP_H
#define BCCT_TOP_H
#include <stdbool.h>
#include "core/maps.h"
#include "core/opts.h"

/* What the top options set (one display per run). */
struct bcct_top_env {
	bool noclear;           /* -C */
	long maxrows;           /* -r, default 20 */
	const char *sort;       /* -s, NULL: the applet's first sort key */
	bool ascending;         /* --ascending (BCC's cachetop 'r' key): smallest first */
};
extern _Thread_local struct bcct_top_env top_env;
extern struct bcct_top_env top_env_layout;

#define TOP_NOCLEAR     OPT_FLAG_('C', "noclear", OPT_DEST(top_env, noclear), "don't clear the screen")
#define TOP_MAXROWS     OPT_INT_('r', "maxrows", OPT_DEST(top_env, maxrows), "MAXROWS", "maximum rows to print, default 20", 1, INT_MAX)
/* -s: letter and help per tool (BCC's slabratetop and ustat use -s and -S differently). */
#define TOP_SORT(s, h)  OPT_STR_(s, "sort", OPT_DEST(top_env, sort), "SORT", h)
#define TOP_ASCENDING   OPT_FLAG_(0, "ascending", OPT_DEST(top_env, ascending), "sort smallest first")

/* A sort key: -s NAME, and how two rows (struct bcct_entries elements) compare, larger first. */
struct bcct_top_sort {
	const char *name;
	int (*cmp)(const void *a, const void *b);
};

struct bcct_top {
	const struct bcct_top_sort *sorts;   /* terminated by { NULL }; the first is the default */
	/* Above the header, once per interval (text: its own lines; JSON: its keys after "ts").
	 * NULL: nothing. top_title_loadavg is BCC's "HH:MM:SS loadavg: ..." line. */
	void (*title)(void *ctx);
	const char *header;                  /* the column header line (text only) */
	void (*row)(void *ctx, const void *entry);   /* one row: out_begin() ... out_end() */
};

/* From run(): -s names one of t's sort keys. 0, or BCCT_EXIT_USAGE after a one-line error
 * listing them. */
int top_check_options(const struct bcct_top *t);
/* Comparators: larger first, and one on a field of the applet's row struct (key, then value
 * "val"): TOP_BY_FIELD(struct row, reads) defines by_reads. */
static inline int top_larger_first(unsigned long long x, unsigned long long y)
{
	return x > y ? -1 : x < y;
}
#define TOP_BY_FIELD(row_type, f)						\
	static int by_##f(const void *a, const void *b)				\
	{ return top_larger_first(((const row_type *)a)->val.f, ((const row_type *)b)->val.f); }

/* The usual whole run of a top tool whose rows are one BPF map (filetop, biotop): checks -s,
 * prints BCC's "Tracing... Output every N secs. Hit Ctrl-C to end" banner, shows rows_map(skel)
 * every interval (default 1 s) and "Detaching..." at the end. Returns bcct_run's status. */
int top_run_map(const struct bcct_top *t, int (*configure)(void *skel),
		struct bpf_map *(*rows_map)(void *skel));
/* The same with the applet's own run (its attach, its interval callback calling top_show):
 * checks -s, sets r's banner and interval (default 1 s), runs. */
struct bcct_run;
int top_run(const struct bcct_top *t, struct bcct_run *r);
/* The sort key in use ("all"). */
const char *top_sort_name(const struct bcct_top *t);
/* The start of one interval's display: the screen cleared (or a blank line) and t's title.
 * For tools whose rows are not one table (tcptop: an IPv4 and an IPv6 table, each with its
 * header only when it has rows); top_show does it for the others. */
void top_begin(const struct bcct_top *t, void *ctx);
/* One interval's display of rows (sorted here, in place). */
void top_show(const struct bcct_top *t, void *ctx, struct bcct_entries *rows);
/* The same straight from a BPF map, which is then cleared for the next interval. Returns 0,
 * or -1 when the map cannot be read. */
int top_show_map(const struct bcct_top *t, void *ctx, struct bpf_map *map);
/* BCC's title line: "HH:MM:SS loadavg: " and /proc/loadavg as is (its newline included, so a
 * blank line follows); JSON: "loadavg":"0.10 0.05 0.01 1/123 4567". */
void top_title_loadavg(void *ctx);
#endif
