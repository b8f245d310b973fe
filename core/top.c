/* Top-style display; see top.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/top.h"
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"

_Thread_local struct bcct_top_env top_env = { .maxrows = 20 };
BCCT_OPT_LAYOUT(struct bcct_top_env, top_env)

static const struct bcct_top_sort *chosen_sort(const struct bcct_top *t)
{
	for (const struct bcct_top_sort *s = t->sorts; top_env.sort && s->name; s++)
		if (!strcmp(s->name, top_env.sort))
			return s;
	return t->sorts;
}

int top_check_options(const struct bcct_top *t)
{
	char names[256];
	size_t used = 0;

	if (!top_env.sort || strcmp(chosen_sort(t)->name, top_env.sort) == 0)
		return 0;
	names[0] = 0;
	for (const struct bcct_top_sort *s = t->sorts; s->name; s++)
		used += snprintf(names + used, used < sizeof(names) ? sizeof(names) - used : 0,
				 "%s%s", used ? ", " : "", s->name);
	bcct_usage_err("--sort: invalid choice '%s' (choose from %s)", top_env.sort, names);
	return BCCT_EXIT_USAGE;
}

const char *top_sort_name(const struct bcct_top *t)
{
	return chosen_sort(t)->name;
}

/* Clearing is for a person at a terminal: into a file or a pipe the escape sequence would be
 * noise, so there (and with -C) a blank line separates the intervals, as BCC's -C does. */
static void begin_screen(void)
{
	if (env.json)
		return;
	if (!top_env.noclear && isatty(fileno(stdout)))
		fputs("\033[H\033[2J", stdout);   /* cursor home, erase display: clear(1) */
	else
		putchar('\n');
}

void top_begin(const struct bcct_top *t, void *ctx)
{
	begin_screen();
	/* JSON: the title's keys are members of core's interval object, the rows its "rows". */
	if (t->title) {
		if (env.json)
			out_begin_members();
		t->title(ctx);
		if (env.json)
			out_end();
	}
}

void top_show(const struct bcct_top *t, void *ctx, struct bcct_entries *rows)
{
	size_t n = rows->n < (size_t)top_env.maxrows ? rows->n : (size_t)top_env.maxrows;

	bcct_entries_sort(rows, chosen_sort(t)->cmp);
	top_begin(t, ctx);
	out_header("%s", t->header);
	out_list("rows");               /* JSON: present, if empty, in every interval */
	/* Sorted largest first; --ascending walks from the smallest end. */
	for (size_t i = 0; i < n; i++)
		t->row(ctx, bcct_entry_key(rows, top_env.ascending ? rows->n - 1 - i : i));
	fflush(stdout);
}

int top_show_map(const struct bcct_top *t, void *ctx, struct bpf_map *map)
{
	struct bcct_entries rows;

	if (bcct_map_collect(map, &rows) < 0)
		return -1;
	top_show(t, ctx, &rows);
	bcct_entries_free(&rows);
	return bcct_map_clear(map) < 0 ? -1 : 0;
}

void top_title_loadavg(void *ctx)
{
	char ts[16], load[256];

	(void)ctx;
	sys_loadavg(load, sizeof(load));
	if (env.json)
		json_str("loadavg", load);
	else   /* BCC prints the file's newline too: a blank line follows */
		out_text("%-8s loadavg: %s\n\n", sys_time_of_day(ts, sizeof(ts)), load);
}

/* top_run_map's display and map, for its interval callback (one display per run). */
static _Thread_local const struct bcct_top *run_top;
static _Thread_local struct bpf_map *(*run_rows_map)(void *skel);

static int show_interval(void *skel, bool final)
{
	if (top_show_map(run_top, skel, run_rows_map(skel)) < 0)
		return -1;
	if (final)
		out_text("Detaching...\n");
	return 0;
}

int top_run(const struct bcct_top *t, struct bcct_run *r)
{
	char banner[96];
	int err = top_check_options(t);

	if (err)
		return err;
	r->interval = env.interval ? env.interval : 1;
	snprintf(banner, sizeof(banner), "Tracing... Output every %ld secs. Hit Ctrl-C to end",
		 r->interval);
	r->banner = banner;
	return bcct_run(r);
}

int top_run_map(const struct bcct_top *t, int (*configure)(void *skel),
		struct bpf_map *(*rows_map)(void *skel))
{
	run_top = t;
	run_rows_map = rows_map;
	return top_run(t, &(struct bcct_run){
		.configure = configure,
		.on_interval = show_interval,
	});
}
