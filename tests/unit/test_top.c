/* core/top.c: the top display's rows sorted by the -s key (largest first, --ascending
 * smallest), cut at -r, a blank line instead of clearing when stdout is not a terminal (a file
 * here), the header and title in text only, and in JSON one interval object with `ts`, `ts_ns`,
 * the title's keys and `rows`; -s naming no key is a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/top.h"
#include "check.h"

struct row { char name[8]; long long n; };

static int by_n(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->n > y->n ? -1 : x->n < y->n;
}

static int by_name(const void *a, const void *b)
{
	return -strcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

static void print_row(void *ctx, const void *e)
{
	const struct row *r = e;

	out_begin();
	out_str("name", "%-4s", r->name);
	out_int("n", "%3lld", r->n);
	out_end();
}

static void title(void *ctx)
{
	if (env.json)
		json_str("mode", "test");
	else
		out_text("TITLE\n");
}

static const struct bcct_top display = {
	.sorts = (const struct bcct_top_sort[]){ { "n", by_n }, { "name", by_name }, { NULL } },
	.title = title,
	.header = "NAME   N",
	.row = print_row,
};

/* One interval over fresh rows (top_show sorts them in place). */
static char *show(void)
{
	struct row rows[] = { { "b", 5 }, { "a", 9 }, { "d", 1 }, { "c", 7 } };
	struct bcct_entries e = { .n = 4, .key_size = sizeof(struct row), .stride = sizeof(struct row),
				  .data = (unsigned char *)rows };

	check_capture_begin();
	out_interval_open();            /* as core's loop wraps on_interval */
	top_show(&display, NULL, &e);
	out_interval_close();
	return check_capture_end();
}

int main(int argc, char **argv)
{
	char *got;

	check_init(argc, argv);
	got = show();
	CHECK_STR("default key, all rows, blank line (not a terminal)", got,
		  "\nTITLE\nNAME   N\na      9\nc      7\nb      5\nd      1\n");
	free(got);

	top_env.maxrows = 2;
	top_env.sort = "name";
	CHECK(top_check_options(&display) == 0, "-s name is a key");
	got = show();
	CHECK_STR("-s name -r 2", got, "\nTITLE\nNAME   N\nd      1\nc      7\n");
	free(got);

	top_env.ascending = true;
	got = show();
	CHECK_STR("--ascending", got, "\nTITLE\nNAME   N\na      9\nb      5\n");
	free(got);

	top_env.ascending = false;
	top_env.sort = NULL;
	env.json = true;
	got = show();
	CHECK(strncmp(got, "{\"ts\":\"", 7) == 0 && strstr(got, "\"ts_ns\":"),
	      "JSON begins with ts and ts_ns: %s", got);
	CHECK(strstr(got, ",\"mode\":\"test\",\"rows\":[{\"name\":\"a\",\"n\":9},{\"name\":\"c\",\"n\":7}]}\n") &&
	      !strchr(strchr(got, '\n') + 1, '\n'), "one JSON object, title keys then rows: %s", got);
	free(got);
	env.json = false;

	top_env.sort = "nope";
	check_capture_begin();
	CHECK(top_check_options(&display) == BCCT_EXIT_USAGE, "-s nope is a usage error");
	free(check_capture_end());
	return check_summary("top");
}
