/* bcct: dispatch on argv[0] (also NAME-bpfcc, Debian's names) or on the first argument. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/run.h"

struct target {
	const struct bcct_applet *applet;
	const struct bcct_alias *alias;   /* NULL when called by the applet's own name */
};

static struct target find(const char *name)
{
	char base[64];
	size_t n = strlen(name);

	/* Debian installs BCC's tools as NAME-bpfcc. */
	if (n > 6 && n < sizeof(base) && !strcmp(name + n - 6, "-bpfcc")) {
		memcpy(base, name, n - 6);
		base[n - 6] = 0;
		name = base;
	}
	for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
		if (!strcmp((*a)->name, name))
			return (struct target){ *a, NULL };
		for (const struct bcct_alias *al = (*a)->aliases; al && al->name; al++)
			if (!strcmp(al->name, name))
				return (struct target){ *a, al };
	}
	return (struct target){ NULL, NULL };
}

static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[lb + 1];

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static int unknown(const char *name)
{
	char hint[256] = "";
	int shown = 0;

	for (int d = 1; d <= 3 && !shown; d++)
		for (const struct bcct_applet *const *a = bcct_applets; *a && shown < 4; a++) {
			if (distance(name, (*a)->name) != d && !strstr((*a)->name, name))
				continue;
			snprintf(hint + strlen(hint), sizeof(hint) - strlen(hint), "%s%s", shown ? ", " : "",
				 (*a)->name);
			shown++;
		}
	fprintf(stderr, "bcct: unknown applet '%s'%s%s%s (see 'bcct --list')\n", name,
		shown ? "; did you mean " : "", hint, shown ? "?" : "");
	return BCCT_EXIT_UNKNOWN;
}

static int list(void)
{
	const char *cats[64];
	int ncats = 0;

	for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
		bool seen = false;
		for (int i = 0; i < ncats; i++)
			seen |= !strcmp(cats[i], (*a)->category);
		if (!seen && ncats < 64)
			cats[ncats++] = (*a)->category;
	}
	for (int c = 0; c < ncats; c++) {
		printf("%s%s:\n", c ? "\n" : "", cats[c]);
		for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
			if (strcmp((*a)->category, cats[c]))
				continue;
			printf("  %-16s %s\n", (*a)->name, (*a)->summary);
			for (const struct bcct_alias *al = (*a)->aliases; al && al->name; al++)
				printf("  %-16s %s\n", al->name, al->summary);
		}
	}
	return 0;
}

static int install_one(const char *self, const char *dir, const char *name, bool symbolic)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	if ((symbolic ? symlink(self, path) : link(self, path)) == 0)
		return 0;
	fprintf(stderr, "bcct: cannot create %s: %s\n", path, strerror(errno));
	return -1;
}

static int install(int argc, char **argv)
{
	bool symbolic = false;
	const char *dir = NULL;
	char self[PATH_MAX];
	ssize_t n;
	struct stat st;
	int count = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-s"))
			symbolic = true;
		else if (!dir)
			dir = argv[i];
		else {
			fprintf(stderr, "bcct: --install: unexpected argument '%s' (usage: bcct --install [-s] DIR)\n", argv[i]);
			return BCCT_EXIT_USAGE;
		}
	}
	if (!dir) {
		fprintf(stderr, "bcct: --install needs a directory (usage: bcct --install [-s] DIR)\n");
		return BCCT_EXIT_USAGE;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "bcct: --install: '%s' is not a directory\n", dir);
		return BCCT_EXIT_USAGE;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		fprintf(stderr, "bcct: cannot find my own path: %s\n", strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	self[n] = 0;
	for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
		if (install_one(self, dir, (*a)->name, symbolic))
			return BCCT_EXIT_FAIL;
		count++;
		for (const struct bcct_alias *al = (*a)->aliases; al && al->name; al++, count++)
			if (install_one(self, dir, al->name, symbolic))
				return BCCT_EXIT_FAIL;
	}
	printf("installed %d %s links in %s\n", count, symbolic ? "symbolic" : "hard", dir);
	return 0;
}

static int features(void)
{
	printf("%-16s %-4s %s\n", "FEATURE", "OK", "NOTE");
	for (int f = 0; f < FEAT__COUNT; f++)
		printf("%-16s %-4s %s\n", bcct_feature_name(f), bcct_has(f) ? "yes" : "no", bcct_feature_why(f));
	printf("\n%-16s %-4s %s\n", "APPLET", "RUN", "PROBES");
	for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
		char plan[1024];
		int ok = bcct_applet_plan(*a, plan, sizeof(plan));

		printf("%-16s %-4s %s\n", (*a)->name, ok ? "yes" : "no", plan);
	}
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bcct APPLET [ARGS...]   or call bcct through a link named APPLET\n"
		"       bcct --list | --help [APPLET] | --install [-s] DIR | --version | features\n"
		"\nBCC's tracing tools in one static binary: no Python, no kernel headers, no LLVM.\n");
}

static int run_applet(struct target t, int argc, char **argv)
{
	const struct bcct_applet *a = t.applet;
	char *args[argc + 8];
	int n = 0, err;

	/* An alias runs its applet with preset arguments first. */
	args[n++] = (char *)(t.alias ? t.alias->name : a->name);
	for (int i = 0; t.alias && i < 6 && t.alias->args[i]; i++)
		args[n++] = (char *)t.alias->args[i];
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;

	bcct_prog = args[0];
	bcct_current = a;
	bcct_env_reset();
	if (t.alias && t.alias->opts) {
		/* The alias's own tool (killsnoop): its presets through the applet's table, then
		 * the user's arguments through the alias's, whose help is the alias's alone. */
		struct bcct_applet view = *a;
		int presets = 1;

		view.name = t.alias->name;
		view.summary = t.alias->summary;
		view.description = NULL;
		view.opts = t.alias->opts;
		view.examples = t.alias->examples;
		view.aliases = NULL;
		while (presets < 7 && t.alias->args[presets - 1])
			presets++;
		err = bcct_parse_args(a, presets, args);
		if (!err)
			err = bcct_parse_args(&view, n - presets + 1, args + presets - 1);
	} else {
		err = bcct_parse_args(a, n, args);
	}
	if (err)
		return err == 1 ? BCCT_EXIT_OK : err;
	bcct_verbose = env.verbose;
	return bcct_run_applet(a);
}

int main(int argc, char **argv)
{
	char *name = basename(argv[0]);
	struct target t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	bcct_libbpf_quiet();
	if (strcmp(name, "bcct") && strncmp(name, "bcct-", 5)) {
		t = find(name);
		if (!t.applet)
			return unknown(name);
		return run_applet(t, argc, argv);
	}
	if (argc < 2) {
		usage(stderr);
		return BCCT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--list") || !strcmp(argv[1], "-l"))
		return list();
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bcct %s\n", BCCT_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--install"))
		return install(argc - 2, argv + 2);
	if (!strcmp(argv[1], "features"))
		return features();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		t = find(argv[2]);
		if (!t.applet)
			return unknown(argv[2]);
		char *help[] = { argv[2], "--help", NULL };
		return run_applet(t, 2, help);
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "bcct: unrecognized option '%s' (try 'bcct --help')\n", argv[1]);
		return BCCT_EXIT_USAGE;
	}
	t = find(argv[1]);
	if (!t.applet)
		return unknown(argv[1]);
	return run_applet(t, argc - 1, argv + 1);
}
