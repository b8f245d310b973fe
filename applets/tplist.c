/* tplist: display kernel tracepoints or USDT probes and their formats. No BPF: tracefs and ELF
 * notes only, so it runs without privileges wherever those are readable. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/sys/sys.h"
#include "core/output.h"
#include "symbolize/usdt.h"

static struct {
	long pid;
	const char *lib, *filter;
} o;

static const struct bcct_opt opts[] = {
	OPT_INT_('p', "pid", &o.pid, "PID", "List USDT probes in the specified process", 1, INT_MAX),
	OPT_STR_('l', "lib", &o.lib, "LIB", "List USDT probes in the specified library or executable"),
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose), "Increase verbosity level (print variables, arguments, etc.)"),
	STD_JSON,
	POS_STR_("filter", &o.filter, "A filter that specifies which probes/tracepoints to print"),
	OPT_END_,
};

static bool wanted(const char *name)
{
	return !o.filter || !fnmatch(o.filter, name, 0);
}

/* ---- kernel tracepoints ----------------------------------------------------------------- */

/* parent/name[suffix] into buf; false when it does not fit. */
static bool path_join(char *buf, size_t len, const char *parent, const char *name, const char *suffix)
{
	int n = snprintf(buf, len, "%s/%s%s", parent, name, suffix);

	return n > 0 && (size_t)n < len;
}

static bool is_dir(const char *parent, const char *name)
{
	char path[4096];
	struct stat st;

	if (name[0] == '.' || !path_join(path, sizeof(path), parent, name, ""))
		return false;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* "field:TYPE NAME;" -> type and name, BCC's split: the name is the last word. */
static bool parse_field(char *line, char **type, char **name)
{
	char *f = strstr(line, "field:"), *semi, *sp;

	if (!f)
		return false;
	f += strlen("field:");
	semi = strchr(f, ';');
	if (!semi)
		return false;
	*semi = 0;
	while (semi > f && (semi[-1] == ' ' || semi[-1] == '\t'))
		*--semi = 0;
	sp = strrchr(f, ' ');
	if (!sp)
		return false;
	*sp = 0;
	*type = f;
	*name = sp + 1;
	return strncmp(*name, "common_", 7) != 0;
}

/* The fields of the event in directory dir/ev, without the common_ ones. */
static void print_format(const char *dir, const char *ev)
{
	char path[4096], line[1024], *type, *name;
	FILE *f;

	if (!path_join(path, sizeof(path), dir, ev, "/format") || !(f = fopen(path, "r")))
		return;
	if (env.json)
		json_begin_array("fields");
	while (fgets(line, sizeof(line), f)) {
		if (!parse_field(line, &type, &name))
			continue;
		if (env.json) {
			json_begin_object(NULL);
			json_str("type", type);
			json_str("name", name);
			json_end_object();
		} else {
			printf("    %s %s;\n", type, name);
		}
	}
	if (env.json)
		json_end_array();
	fclose(f);
}

static void print_tracepoint(const char *dir, const char *cat, const char *ev)
{
	char name[512];

	snprintf(name, sizeof(name), "%s:%s", cat, ev);
	if (!wanted(name))
		return;
	if (env.json) {
		out_begin();
		json_str("tracepoint", name);
	} else {
		printf("%s\n", name);
	}
	if (env.verbose)
		print_format(dir, ev);
	if (env.json)
		out_end();
}

static int list_tracepoints(void)
{
	const char *tracefs = bcct_tracefs();
	struct dirent **cats, **evs;
	char events[4096], dir[4096];
	int ncat;

	if (!tracefs) {
		bcct_err("cannot list tracepoints: %s", bcct_tracefs_why());
		return BCCT_EXIT_FAIL;
	}
	snprintf(events, sizeof(events), "%s/events", tracefs);
	ncat = scandir(events, &cats, NULL, alphasort);
	if (ncat < 0) {
		bcct_err("%s: %s", events, strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	for (int c = 0; c < ncat; c++) {
		const char *cat = cats[c]->d_name;
		int nev;

		nev = is_dir(events, cat) && path_join(dir, sizeof(dir), events, cat, "") ?
		      scandir(dir, &evs, NULL, alphasort) : -1;
		for (int e = 0; e < nev; e++) {
			if (is_dir(dir, evs[e]->d_name))
				print_tracepoint(dir, cat, evs[e]->d_name);
			free(evs[e]);
		}
		if (nev >= 0)
			free(evs);
		free(cats[c]);
	}
	free(cats);
	return 0;
}

/* ---- USDT probes ------------------------------------------------------------------------ */

/* All notes of one provider:name in one file: BCC's probe with its locations. */
struct location {
	unsigned long long pc;
	char *args;
};

struct probe {
	char *path, *provider, *name;
	unsigned long long semaphore;
	struct location *locs;
	int nlocs;
};

struct probes {
	struct probe *v;
	int n;
};

static struct probe *find_probe(struct probes *ps, const struct bcct_usdt_probe *p)
{
	struct probe *pr;

	for (int i = 0; i < ps->n; i++) {
		pr = &ps->v[i];
		if (!strcmp(pr->path, p->path) && !strcmp(pr->provider, p->provider) &&
		    !strcmp(pr->name, p->name))
			return pr;
	}
	pr = realloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
	if (!pr)
		return NULL;
	ps->v = pr;
	pr = &ps->v[ps->n++];
	*pr = (struct probe){ .path = strdup(p->path), .provider = strdup(p->provider),
			      .name = strdup(p->name), .semaphore = p->semaphore };
	return pr;
}

static int add_location(void *ctx, const struct bcct_usdt_probe *p)
{
	struct probes *ps = ctx;
	struct location *locs;
	struct probe *pr;

	pr = find_probe(ps, p);
	if (!pr)
		return -ENOMEM;
	locs = realloc(pr->locs, (pr->nlocs + 1) * sizeof(*locs));
	if (!locs)
		return -ENOMEM;
	pr->locs = locs;
	locs[pr->nlocs++] = (struct location){ .pc = p->pc, .args = strdup(p->args) };
	return 0;
}

static int count_words(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (*s != ' ' && (s[1] == ' ' || !s[1]))
			n++;
	return n;
}

/* BCC's argument text: "8 unsigned bytes @ *(bp - 16)". */
static void format_arg(const struct bcct_usdt_arg *a, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%d %s bytes @ ", a->size, a->is_signed ? "signed  " : "unsigned");
	char sign = a->val < 0 ? '-' : '+';
	char index[32] = "";

	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= n;
	if (a->index_reg[0] && a->scale != 1)
		snprintf(index, sizeof(index), " + %s * %d", a->index_reg, a->scale);
	else if (a->index_reg[0])
		snprintf(index, sizeof(index), " + %s", a->index_reg);
	switch (a->kind) {
	case USDT_ARG_CONST:
		snprintf(buf, len, "%lld", a->val);
		break;
	case USDT_ARG_REG:
		snprintf(buf, len, "%s", a->reg);
		break;
	case USDT_ARG_REG_DEREF:
		snprintf(buf, len, "*(%s %c %lld%s)", a->reg, sign, llabs(a->val), index);
		break;
	case USDT_ARG_SYM_DEREF:
		snprintf(buf, len, "*(&%s %c %lld)", a->ident, sign, llabs(a->val));
		break;
	}
}

static void print_arguments(const char *spec)
{
	struct bcct_usdt_arg args[16];
	int n = bcct_usdt_parse_args(spec, args, 16);
	char text[256], *copy, *tok, *save = NULL;

	if (n >= 0) {
		for (int i = 0; i < n; i++) {
			format_arg(&args[i], text, sizeof(text));
			printf("    argument #%d %s\n", i + 1, text);
		}
		return;
	}
	/* A form we do not decode: show it raw rather than nothing. */
	copy = strdup(spec);
	n = 0;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		printf("    argument #%d %s\n", ++n, tok);
	free(copy);
}

static void print_probe_json(const struct probe *pr)
{
	out_begin();
	json_str("path", pr->path);
	json_str("provider", pr->provider);
	json_str("name", pr->name);
	json_uint("semaphore", pr->semaphore);
	json_begin_array("locations");
	for (int i = 0; i < pr->nlocs; i++) {
		json_begin_object(NULL);
		json_uint("address", pr->locs[i].pc);
		json_str("args", pr->locs[i].args);
		json_end_object();
	}
	json_end_array();
	out_end();
}

static void print_probe(const struct probe *pr)
{
	if (env.json) {
		print_probe_json(pr);
		return;
	}
	if (!env.verbose) {
		printf("%s %s:%s\n", pr->path, pr->provider, pr->name);
		return;
	}
	printf("%s %s:%s [sema 0x%llx]\n", pr->path, pr->provider, pr->name, pr->semaphore);
	if (env.verbose == 1) {
		printf("  %d location(s)\n", pr->nlocs);
		printf("  %d argument(s)\n", count_words(pr->locs[0].args));
		return;
	}
	for (int i = 0; i < pr->nlocs; i++) {
		printf("  location #%d 0x%llx\n", i + 1, pr->locs[i].pc);
		print_arguments(pr->locs[i].args);
	}
}

/* Like BCC, a provider:name found in several files is shown once, for the first. */
static void print_probes(const struct probes *ps)
{
	char name[512];

	for (int i = 0; i < ps->n; i++) {
		const struct probe *pr = &ps->v[i];
		bool dup = false;

		snprintf(name, sizeof(name), "%s:%s", pr->provider, pr->name);
		for (int j = 0; j < i && !dup; j++)
			dup = !strcmp(ps->v[j].provider, pr->provider) && !strcmp(ps->v[j].name, pr->name);
		if (!dup && wanted(name))
			print_probe(pr);
	}
}

static void free_probes(struct probes *ps)
{
	for (int i = 0; i < ps->n; i++) {
		for (int j = 0; j < ps->v[i].nlocs; j++)
			free(ps->v[i].locs[j].args);
		free(ps->v[i].locs);
		free(ps->v[i].path);
		free(ps->v[i].provider);
		free(ps->v[i].name);
	}
	free(ps->v);
}

static int list_usdt(void)
{
	struct probes ps = {};
	char path[4096], self[32];
	int err, fd = -1;

	/* -l with -p: the file as the process sees it (in its mount namespace), read through the
	 * descriptor found. */
	if (o.lib && o.pid && (fd = sys_pid_find_library(o.pid, o.lib, true, path, sizeof(path))) < 0) {
		bcct_usage_err("-l %s: no such binary or library in process %ld", o.lib, o.pid);
		return BCCT_EXIT_USAGE;
	}
	if (o.lib && !o.pid && !sys_find_executable(o.lib, path, sizeof(path)) &&
	    !sys_find_library(o.lib, false, path, sizeof(path))) {
		bcct_usage_err("-l %s: no such binary or library", o.lib);
		return BCCT_EXIT_USAGE;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (o.pid && !o.lib)
		err = bcct_usdt_foreach_pid(o.pid, add_location, &ps);
	else
		err = bcct_usdt_foreach_file(path, fd >= 0 ? self : NULL, add_location, &ps);
	if (fd >= 0)
		close(fd);
	if (err == -ENOENT && o.pid && !o.lib) {
		bcct_usage_err("-p %ld: no such process", o.pid);
		free_probes(&ps);
		return BCCT_EXIT_USAGE;
	}
	if (err < 0) {
		bcct_err("%s: %s", o.pid && !o.lib ? "cannot read the process's mappings" : path,
			 err == -ENOEXEC ? "not an ELF file" : strerror(-err));
		free_probes(&ps);
		return BCCT_EXIT_FAIL;
	}
	print_probes(&ps);
	free_probes(&ps);
	return 0;
}

static int run(void)
{
	if (o.pid || o.lib)
		return list_usdt();
	return list_tracepoints();
}

BCCT_APPLET(tplist,
	.category = "generic/multi-tool",
	.summary = "Display kernel tracepoints or USDT probes and their formats",
	.examples =
	"    tplist                        # list all kernel tracepoints\n"
	"    tplist 'block*'               # tracepoints whose name matches block*\n"
	"    tplist -v sched:sched_switch  # print the fields of a tracepoint\n"
	"    tplist -l basic_usdt          # list USDT probes of a binary\n"
	"    tplist -l c                   # list USDT probes of libc\n"
	"    tplist -vv -l c '*alloc*'     # with locations and arguments\n"
	"    tplist -p 1234                # USDT probes of every file process 1234 maps\n",
	.opts = opts,
	.run = run,
	.no_bpf = true);
