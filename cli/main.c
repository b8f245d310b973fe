/* bcct: dispatch on argv[0] (also NAME-bpfcc, Debian's names) or on the first argument. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cli/cli.h"
#include "core/applet.h"
#include "core/features.h"
#include "core/pmc.h"
#include "core/probe/probespec.h"
#include "core/run.h"
#include "core/runtime.h"

struct cli_target cli_find(const char *name)
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
			return (struct cli_target){ *a, NULL };
		for (const struct bcct_alias *al = (*a)->aliases; al && al->name; al++)
			if (!strcmp(al->name, name))
				return (struct cli_target){ *a, al };
	}
	return (struct cli_target){ NULL, NULL };
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

int cli_unknown(const char *name)
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

/* Is path already one of our links: a symbolic link to self, or a hard link to it? */
static bool is_our_link(const char *path, const char *self, const struct stat *self_st)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n >= 0) {
		target[n] = 0;
		return !strcmp(target, self) || (stat(path, &st) == 0 && st.st_dev == self_st->st_dev &&
						   st.st_ino == self_st->st_ino);
	}
	return lstat(path, &st) == 0 && st.st_dev == self_st->st_dev && st.st_ino == self_st->st_ino;
}

struct install_opts {
	const char *self, *dir;
	struct stat self_st;
	bool symbolic, force;
	int made, skipped;
};

/* One link; an existing file that is not already ours is reported and left alone, as busybox
 * does, unless -f. Returns -1 only when the link cannot be made. */
static int install_one(struct install_opts *o, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", o->dir, name);
	if (lstat(path, &st) == 0) {
		if (!o->force && !is_our_link(path, o->self, &o->self_st)) {
			fprintf(stderr, "bcct: --install: %s exists and is not a link to bcct: skipped (-f replaces it)\n",
				path);
			o->skipped++;
			return 0;
		}
		if (unlink(path)) {
			fprintf(stderr, "bcct: cannot replace %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	if ((o->symbolic ? symlink(o->self, path) : link(o->self, path)) == 0) {
		o->made++;
		return 0;
	}
	fprintf(stderr, "bcct: cannot create %s: %s\n", path, strerror(errno));
	return -1;
}

/* NAME, and with --bpfcc also NAME-bpfcc (Debian's names for BCC's tools). */
static int install_name(struct install_opts *o, const char *name, bool bpfcc)
{
	char alt[128];

	if (install_one(o, name))
		return -1;
	snprintf(alt, sizeof(alt), "%s-bpfcc", name);
	return bpfcc ? install_one(o, alt) : 0;
}

#define INSTALL_USAGE "usage: bcct --install [-s] [-f] [--bpfcc] DIR"

static int install(int argc, char **argv)
{
	struct install_opts o = { 0 };
	bool bpfcc = false;
	char self[PATH_MAX];
	ssize_t n;
	struct stat st;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-s"))
			o.symbolic = true;
		else if (!strcmp(argv[i], "-f"))
			o.force = true;
		else if (!strcmp(argv[i], "--bpfcc"))
			bpfcc = true;
		else if (argv[i][0] == '-' || o.dir) {
			fprintf(stderr, "bcct: --install: unexpected argument '%s' (" INSTALL_USAGE ")\n", argv[i]);
			return BCCT_EXIT_USAGE;
		} else
			o.dir = argv[i];
	}
	if (!o.dir) {
		fprintf(stderr, "bcct: --install needs a directory (" INSTALL_USAGE ")\n");
		return BCCT_EXIT_USAGE;
	}
	if (stat(o.dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "bcct: --install: '%s' is not a directory\n", o.dir);
		return BCCT_EXIT_USAGE;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0 || (self[n] = 0, stat(self, &o.self_st))) {
		fprintf(stderr, "bcct: cannot find my own path: %s\n", strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	o.self = self;
	for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
		if (install_name(&o, (*a)->name, bpfcc))
			return BCCT_EXIT_FAIL;
		for (const struct bcct_alias *al = (*a)->aliases; al && al->name; al++)
			if (install_name(&o, al->name, bpfcc))
				return BCCT_EXIT_FAIL;
	}
	printf("installed %d %s links in %s", o.made, o.symbolic ? "symbolic" : "hard", o.dir);
	if (o.skipped)
		printf(" (%d existing files left alone)", o.skipped);
	printf("\n");
	return 0;
}

static int features(int argc, char **argv)
{
	if (argc > 0) {
		fprintf(stderr, "bcct: features takes no arguments (got '%s'); 'bcct APPLET -v' shows how an applet attaches\n",
			argv[0]);
		return BCCT_EXIT_USAGE;
	}
	/* Unprivileged, every probe that loads a program fails: say so before the table, which
	 * would otherwise read as a kernel without raw_tp or ring buffers. */
	if (bcct_check_privileges())
		printf("Not privileged: the features below that need a BPF program loaded could not be "
		       "probed and show as absent.\n\n");
	printf("%-16s %-4s %s\n", "FEATURE", "OK", "NOTE");
	for (int f = 0; f < FEAT__COUNT; f++) {
		char sources[160];
		const char *pmu = f == FEAT_PERF_HW && bcct_has(f) ? pmc_pmu(sources, sizeof(sources)) : NULL;

		if (pmu)   /* which PMU the hardware events (llcstat) are counted by */
			printf("%-16s %-4s %s PMU\n", bcct_feature_name(f), "yes", pmu);
		else
			printf("%-16s %-4s %s\n", bcct_feature_name(f), bcct_has(f) ? "yes" : "no",
			       bcct_feature_why(f));
	}
	printf("\n%-16s %-4s %s\n", "APPLET", "RUN", "PROBES");
	for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
		char plan[1024];
		int ok = bcct_applet_plan(*a, plan, sizeof(plan));

		printf("%-16s %-4s %s\n", (*a)->name, ok ? "yes" : "no", plan);
		for (const struct bcct_alias *al = (*a)->aliases; al && al->name; al++)
			if (al->spec_kinds) {
				const char *given = "probes given at run time: ";

				ok = ps_kinds_summary(al->spec_kinds, plan, sizeof(plan)) > 0;
				printf("%-16s %-4s %s %s: %s\n", al->name, ok ? "yes" : "no", (*a)->name,
				       al->args[0] ? "with preset probes" : "preset",
				       plan + (strncmp(plan, given, strlen(given)) ? 0 : strlen(given)));
			}
	}
	return 0;
}

const char cli_summary[] = "BCC's tracing tools in one static binary: no Python, no kernel headers, no LLVM.";

const struct cli_entry cli_commands[] = {
	{ "--list, -l", "the applets, by category" },
	{ "--help, -h, help", "this text, or an applet's with a name" },
	{ "--version, -V", "version, git revision and libbpf version" },
	{ "features", "this kernel's BPF features, and how each applet would attach" },
	{ "serve", "run applets, serve their aggregates as Prometheus metrics:\n"
		   "bcct serve --listen ADDR:PORT APPLET [ARGS] [-- APPLET [ARGS]]...\n"
		   "(docs/METRICS.md; bcct serve --help)" },
	{ "--install DIR", "a link in DIR for every applet: hard, or symbolic with -s; an\n"
			   "existing file that is not a link to bcct is left alone unless -f;\n"
			   "--bpfcc also makes Debian's NAME-bpfcc names" },
	{ NULL },
};

const struct cli_entry cli_environment[] = {
	{ "BCCT_DISABLE=KIND,...", "never attach with these kinds (fentry, kprobe, raw_tp, tp_btf, ...):\n"
				   "forces a fallback, for testing" },
	{ "BCCT_NO_CACHE=1", "do not use or fill the per-boot cache in /run/bcct" },
	{ "BCCT_FULL_BTF=1", "let libbpf relocate against the whole kernel BTF (no trimmed target)" },
	{ "BCCT_FORCE_PERFBUF=1", "use a perf buffer even where the kernel has a ring buffer" },
	{ "BCCT_DEBUG_ROOT=DIR", "where separate debug files live (default /usr/lib/debug)" },
	{ NULL },
};

int cli_for_each_name(int (*fn)(struct cli_target t, void *arg), void *arg)
{
	for (const struct bcct_applet *const *a = bcct_applets; *a; a++) {
		int err = fn((struct cli_target){ *a, NULL }, arg);

		for (const struct bcct_alias *al = (*a)->aliases; !err && al && al->name; al++)
			err = fn((struct cli_target){ *a, al }, arg);
		if (err)
			return err;
	}
	return 0;
}

const struct bcct_opt *cli_target_opts(struct cli_target t)
{
	return t.alias && t.alias->opts ? t.alias->opts : t.applet->opts;
}

const char *cli_target_name(struct cli_target t)
{
	return t.alias ? t.alias->name : t.applet->name;
}

/* The label in a column `width` wide, the help's further lines under its first. */
static void print_entries(FILE *out, const struct cli_entry *e, int width)
{
	for (; e->name; e++) {
		fprintf(out, "  %-*s", width, e->name);
		for (const char *h = e->help; *h; h++) {
			fputc(*h, out);
			if (*h == '\n')
				fprintf(out, "  %-*s", width, "");
		}
		fputc('\n', out);
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bcct APPLET [ARGS...]   or call bcct through a link named APPLET (or APPLET-bpfcc)\n"
		"       bcct --list | --help [APPLET] | --version | features\n"
		"       bcct --install [-s] [-f] [--bpfcc] DIR\n"
		"\n%s\n"
		"'bcct --list' lists the applets; 'bcct APPLET --help' (or 'bcct help APPLET') shows an\n"
		"applet's options and BCC's examples.\n"
		"\n", cli_summary);
	print_entries(out, cli_commands, 20);
	fprintf(out, "\nExit status: 0 success, 1 runtime failure, 2 usage error, 127 unknown applet.\n"
		"\nEnvironment:\n");
	print_entries(out, cli_environment, 23);
}

int cli_run_applet(struct cli_target t, int argc, char **argv)
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
		view.description = t.alias->description;
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
	if (bcct_serve_interval)
		env.json = true;        /* bcct serve reads the applet's JSON */
	bcct_verbose = env.verbose;
	/* Ctrl-C and SIGTERM are caught from here, not only once the run loads its programs: an
	 * applet may spend seconds resolving its probes first (kallsyms, BTF, symbol tables), and a
	 * SIGINT then would be lost where the shell started bcct with SIGINT ignored (a script's
	 * background job), leaving the tool to run on. */
	loop_catch_signals();
	err = bcct_run_applet(a);
	loop_restore_signals();
	return err;
}

int main(int argc, char **argv)
{
	char *name = basename(argv[0]);
	struct cli_target t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	bcct_libbpf_quiet();
	if (strcmp(name, "bcct") && strncmp(name, "bcct-", 5)) {
		t = cli_find(name);
		if (!t.applet)
			return cli_unknown(name);
		return cli_run_applet(t, argc, argv);
	}
	if (argc < 2) {
		usage(stderr);
		return BCCT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--list") || !strcmp(argv[1], "-l"))
		return list();
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bcct %s (%s), libbpf %s\n", BCCT_VERSION, BCCT_REVISION, libbpf_version_string());
		return 0;
	}
	if (!strcmp(argv[1], "--install"))
		return install(argc - 2, argv + 2);
	if (!strcmp(argv[1], "features"))
		return features(argc - 2, argv + 2);
	if (!strcmp(argv[1], "serve"))
		return cli_serve(argc - 2, argv + 2);
	/* Not in the usage: the build's generators (cmake/docs.cmake). */
	if (!strcmp(argv[1], "--man"))
		return cli_man(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--completion"))
		return cli_completion(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		t = cli_find(argv[2]);
		if (!t.applet)
			return cli_unknown(argv[2]);
		char *help[] = { argv[2], "--help", NULL };
		return cli_run_applet(t, 2, help);
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "bcct: unrecognized option '%s' (try 'bcct --help')\n", argv[1]);
		return BCCT_EXIT_USAGE;
	}
	t = cli_find(argv[1]);
	if (!t.applet)
		return cli_unknown(argv[1]);
	return cli_run_applet(t, argc - 1, argv + 1);
}
