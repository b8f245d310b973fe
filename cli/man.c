/* bcct --man DIR [JSON.md]: the manual pages, generated from the applet table so that they say
 * what the binary does: bcct.8 and one bcct-NAME.8 per applet and alias (never NAME.8 or
 * NAME-bpfcc.8, Debian's libbpf-tools and bpfcc-tools pages). The FIELDS section comes from
 * docs/JSON.md's per-applet tables, which tests/live/json.sh checks against real output; the
 * build passes the file (cmake/docs.cmake), so the binary carries no copy of it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "core/sys/sys.h"

#define SECTION "8"
#define DOC_MAX (1 << 20)
#define ROWS_MAX 512

/* One character of text, escaped: a backslash printed, a minus as typed in a command line. */
static void roff_char(FILE *out, char c)
{
	if (c == '\\')
		fputs("\\e", out);
	else if (c == '-')
		fputs("\\-", out);
	else
		fputc(c, out);
}

/* Writes n bytes of s as roff text. fill: running text, whose leading spaces would break the
 * line and whose blank lines become paragraph spacing; else kept as is (.nf blocks). */
static void roff_n(FILE *out, const char *s, size_t n, bool fill)
{
	bool bol = true;

	for (const char *end = s + n; s < end; s++) {
		if (bol && fill && *s == ' ')
			continue;
		if (bol && fill && *s == '\n') {
			fputs(".sp\n", out);
			continue;
		}
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", out);     /* not a request */
		bol = *s == '\n';
		roff_char(out, *s);
	}
}

static void roff(FILE *out, const char *s, bool fill)
{
	roff_n(out, s, strlen(s), fill);
}

/* Markdown of docs/JSON.md's cells: `code` in bold, "\|" a bar. */
static void md(FILE *out, const char *s, size_t n)
{
	bool code = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '`') {
			fputs((code = !code) ? "\\fB" : "\\fR", out);
		} else if (s[i] == '\\' && i + 1 < n && s[i + 1] == '|') {
			fputc('|', out);
			i++;
		} else {
			roff_char(out, s[i] == '\n' ? ' ' : s[i]);
		}
	}
	if (code)
		fputs("\\fR", out);
}

/* ---- docs/JSON.md's tables: shapes (TS, HISTS, ...), runs and per-applet notes ---- */

struct row {
	char *cell[3];
};

struct json_doc {
	char *text;
	struct row shapes[ROWS_MAX], runs[ROWS_MAX], notes[ROWS_MAX];
	int nshapes, nruns, nnotes;
};

/* Cells of a table line "| a | b |", split at bars not escaped, trimmed; returns their count. */
static int split_cells(char *line, char **cell, int max)
{
	int n = 0;
	char *p = line + 1;

	while (*p && n < max) {
		char *start = p, *end;

		while (*p && !(*p == '|' && p[-1] != '\\'))
			p++;
		if (!*p)
			break;
		end = p;
		while (start < end && *start == ' ')
			start++;
		while (end > start && end[-1] == ' ')
			end--;
		*end = 0;
		cell[n++] = start;
		p++;
	}
	return n;
}

static bool all_upper(const char *s)
{
	for (; *s; s++)
		if (!(*s >= 'A' && *s <= 'Z'))
			return false;
	return true;
}

static char *strip_backticks(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '`' && s[n - 1] == '`') {
		s[n - 1] = 0;
		return s + 1;
	}
	return s;
}

static int json_doc_read(struct json_doc *d, const char *path)
{
	bool in_tables = false;
	char *save = NULL;
	size_t len;

	d->text = sys_read_file(path, DOC_MAX, &len);
	if (!d->text) {
		fprintf(stderr, "bcct: --man: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (char *line = strtok_r(d->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct row r = { 0 };
		int n;

		if (!strncmp(line, "## ", 3))
			in_tables = !strcmp(line, "## Per applet");
		if (!in_tables || line[0] != '|')
			continue;
		n = split_cells(line, r.cell, 3);
		if (n < 2 || !strncmp(r.cell[0], "---", 3) || !strcmp(r.cell[0], "shape") ||
		    !strcmp(r.cell[0], "run") || !strcmp(r.cell[0], "applet"))
			continue;
		for (int i = 1; i < n; i++)
			r.cell[i] = strip_backticks(r.cell[i]);
		if (n == 3 && d->nruns < ROWS_MAX)
			d->runs[d->nruns++] = r;
		else if (n == 2 && all_upper(r.cell[0]) && d->nshapes < ROWS_MAX)
			d->shapes[d->nshapes++] = r;
		else if (n == 2 && d->nnotes < ROWS_MAX)
			d->notes[d->nnotes++] = r;
	}
	return 0;
}

/* Does the command of run r start with the word name? */
static bool run_of(const struct row *r, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(r->cell[1], name, n) && (r->cell[1][n] == ' ' || !r->cell[1][n]);
}

/* One key list "TS,pid:int,?mode:int": shapes expanded, each key once, as "key (type)". */
static void keys(FILE *out, const struct json_doc *d, const char *list, char seen[][64], int *nseen,
		 bool *first)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		char tok[256];
		bool shape = false;

		snprintf(tok, sizeof(tok), "%.*s", (int)n, p);
		p += n + (p[n] == ',');
		for (int i = 0; i < d->nshapes; i++)
			if (!strcmp(d->shapes[i].cell[0], tok)) {
				keys(out, d, d->shapes[i].cell[1], seen, nseen, first);
				shape = true;
			}
		if (shape)
			continue;
		const char *key = tok + (tok[0] == '?' || tok[0] == '!');
		const char *colon = strchr(key, ':');
		int klen = colon ? (int)(colon - key) : (int)strlen(key);
		bool dup = false;

		for (int i = 0; i < *nseen; i++)
			dup |= (int)strlen(seen[i]) == klen && !strncmp(seen[i], key, klen);
		if (dup || *nseen >= 128)
			continue;
		snprintf(seen[(*nseen)++], 64, "%.*s", klen, key);
		fputs(*first ? "" : ",\n", out);
		*first = false;
		fputs("\\fB", out);
		roff_n(out, key, klen, true);
		fputs("\\fR (", out);
		if (colon)
			md(out, colon + 1, strlen(colon + 1));
		fputs(tok[0] == '?' ? ", with some options or data)" : ")", out);
	}
}

static bool has_option(const struct bcct_opt *opts, const char *long_name)
{
	for (const struct bcct_opt *o = opts; o && o->type != OPT_END; o++)
		if (o->long_name && !strcmp(o->long_name, long_name))
			return true;
	return false;
}

static void fields(FILE *out, const struct json_doc *d, struct cli_target t)
{
	const char *name = cli_target_name(t), *from = name;
	int shown = 0;

	fputs(".SH FIELDS\n", out);
	if (!has_option(cli_target_opts(t), "json")) {
		fputs("Text only, as BCC prints it: this applet has no \\fB\\-\\-json\\fR.\n", out);
		return;
	}
	fputs("The text output has BCC's columns, named by its header line. With \\fB\\-\\-json\\fR "
	      "each line is one JSON object (NDJSON) with the same values, a key naming each the same "
	      "way in every applet, and units in key names (bcct's docs/JSON.md). The keys of the "
	      "runs the test suite checks:\n", out);
	for (int pass = 0; pass < 2 && !shown; pass++) {
		if (pass == 1) {
			if (!t.alias)
				break;
			from = t.applet->name;      /* an alias prints what its applet prints */
		}
		for (int i = 0; i < d->nruns; i++) {
			char seen[128][64];
			int nseen = 0;
			bool first = true;

			if (!run_of(&d->runs[i], from))
				continue;
			fputs(".TP\n\\fB", out);
			roff(out, d->runs[i].cell[1], true);
			fputs(" \\-\\-json\\fR\n", out);
			keys(out, d, d->runs[i].cell[2], seen, &nseen, &first);
			fputs("\n", out);
			shown++;
		}
	}
	if (!shown)
		fputs(".PP\nThe keys of the shared shapes of docs/JSON.md (histograms, rows, stacks), "
		      "as \\fB\\-\\-json\\fR prints them.\n", out);
	for (int i = 0; i < d->nnotes; i++)
		if (!strcmp(d->notes[i].cell[0], from)) {
			fputs(".PP\nKeys that come and go with options: ", out);
			md(out, d->notes[i].cell[1], strlen(d->notes[i].cell[1]));
			fputs("\n", out);
		}
}

/* ---- the pages ---- */

/* What each family costs, by the applet's category. */
static const struct {
	const char *category, *text;
} overheads[] = {
	{ "process", "One BPF program run per traced event (exec, exit, signal): rare events, "
		     "negligible overhead." },
	{ "syscalls", "One BPF program run per system call: on the raw syscall hooks every system "
		      "call of the system runs it (bench/syscall_overhead measures it), so the cost grows "
		      "with the system call rate." },
	{ "file/VFS", "One BPF program run per file-system call traced (VFS functions, or the "
		      "syscalls of the fallback): the cost grows with the I/O call rate." },
	{ "filesystem", "One BPF program run per file-system operation traced: the cost grows with "
			"the operation rate." },
	{ "scheduler/CPU", "Scheduler and interrupt probes run on every context switch, wakeup or "
			   "interrupt, measurable only at very high rates; sampling applets cost in "
			   "proportion to their frequency." },
	{ "block I/O", "One BPF program run per block I/O request: negligible but at very high IOPS." },
	{ "network", "One BPF program run per TCP state change: negligible but at very high "
		     "connection rates." },
	{ "library", "A uprobe per call of the traced function: each hit traps into the kernel, "
		     "costly on hot functions." },
	{ "generic/multi-tool", "Depends on the probes given: kernel probes and tracepoints cost "
				"well under a microsecond per hit, uprobes more; counting in the kernel "
				"is cheaper than printing each event." },
	{ "security", "One BPF program run per capability check." },
	{ "other", "Reads /proc or tracefs: no per-event cost." },
};

static void overhead(FILE *out, const struct bcct_applet *a)
{
	const char *text = "One BPF program run per traced event: the cost grows with the event rate.";

	for (size_t i = 0; i < sizeof(overheads) / sizeof(overheads[0]); i++)
		if (!strcmp(overheads[i].category, a->category))
			text = overheads[i].text;
	fputs(".SH OVERHEAD\n", out);
	roff(out, text, true);
	fputs(" Aggregating applets count in the kernel and copy only their summaries out; per-event "
	      "applets copy each event through a ring buffer, and events lost when it is full are "
	      "counted and reported on stderr.\n", out);
}

static void header(FILE *out, const char *page, const char *summary)
{
	char upper[128];
	size_t i;

	for (i = 0; page[i] && i < sizeof(upper) - 1; i++)
		upper[i] = page[i] >= 'a' && page[i] <= 'z' ? page[i] - 'a' + 'A' : page[i];
	upper[i] = 0;
	fputs(".\\\" Generated by bcct --man from its applet table and docs/JSON.md: edit those.\n", out);
	/* Never hyphenated: JSON keys, options and paths are words a hyphen would change; the
	 * man macros take the HY register at every paragraph, so .nh alone does not last. */
	fputs(".nr HY 0\n", out);
	fputs(".TH ", out);
	roff(out, upper, false);
	/* Left-aligned: JSON keys and paths are long words a justified line cannot take. */
	fputs(" " SECTION " \"\" \"bcct " BCCT_VERSION "\" \"bcct\"\n.ad l\n.SH NAME\n", out);
	roff(out, page, false);
	fputs(" \\- ", out);
	roff(out, summary, true);
	fputs("\n", out);
}

static void synopsis(FILE *out, const char *name, const struct bcct_opt *opts)
{
	fputs(".SH SYNOPSIS\n.SY \"bcct ", out);
	roff(out, name, false);
	fputs("\"\n.OP \\-h\n", out);
	for (const struct bcct_opt *o = opts; o && o->type != OPT_END; o++) {
		char flag[80];

		if (bcct_opt_is_positional(o)) {
			fputs(o->type == OPT_LIST ? ".I " : ".RI [ ", out);
			roff(out, o->argname, false);
			fputs(o->type == OPT_LIST ? "\n.RI [ " : " ]\n", out);
			if (o->type == OPT_LIST) {
				roff(out, o->argname, false);
				fputs(" ...]\n", out);
			}
			continue;
		}
		if (o->short_name)
			snprintf(flag, sizeof(flag), "-%c", o->short_name);
		else
			snprintf(flag, sizeof(flag), "--%s", o->long_name);
		fputs(".OP ", out);
		roff(out, flag, false);
		if (bcct_opt_takes_value(o)) {
			fputs(o->implicit ? " \"[" : " \"", out);
			roff(out, o->argname, false);
			fputs(o->implicit ? "]\"" : "\"", out);
		}
		fputs("\n", out);
	}
	fputs(".YS\n", out);
}

/* Text with lines indented on purpose (argdist's and trace's probe syntax) is kept as laid out. */
static void block(FILE *out, const char *text)
{
	bool laid_out = strstr(text, "\n ") || strstr(text, "\n\t") || text[0] == ' ';

	fputs(laid_out ? ".PP\n.nf\n" : ".PP\n", out);
	roff(out, text, !laid_out);
	fputs(laid_out ? "\n.fi\n" : "\n", out);
}

/* "-p PID" or "--pid PID" (bold option, italic value, in brackets when it may be left out). */
static void option_form(FILE *out, const char *dashes, const char *name, const char *value,
			bool optional)
{
	fputs("\\fB", out);
	roff(out, dashes, true);
	roff(out, name, true);
	fputs("\\fR", out);
	if (value) {
		fputs(optional ? " [\\fI" : " \\fI", out);
		roff(out, value, true);
		fputs(optional ? "\\fR]" : "\\fR", out);
	}
}

static void options(FILE *out, const struct bcct_opt *opts)
{
	fputs(".SH OPTIONS\n", out);
	for (const struct bcct_opt *o = opts; o && o->type != OPT_END; o++) {
		if (!bcct_opt_is_positional(o))
			continue;
		fputs(".TP\n\\fI", out);
		roff(out, o->argname, true);
		fputs("\\fR\n", out);
		roff(out, o->help ? o->help : "", true);
		fputs("\n", out);
	}
	fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow the help message and exit\n", out);
	for (const struct bcct_opt *o = opts; o && o->type != OPT_END; o++) {
		const char *v = bcct_opt_takes_value(o) ? o->argname : NULL;

		if (bcct_opt_is_positional(o))
			continue;
		fputs(".TP\n", out);
		if (o->short_name)
			option_form(out, "-", (char[]){ o->short_name, 0 }, v, o->implicit);
		if (o->short_name && o->long_name)
			fputs(", ", out);
		if (o->long_name)
			option_form(out, "--", o->long_name, v, o->implicit);
		fputs("\n", out);
		roff(out, o->help ? o->help : "", true);
		fputs("\n", out);
	}
}

/* BCC's example lines "    runqlat 1 10     # print 1 second summaries" as a list, the
 * command in bold; anything else as laid out. */
static void examples(FILE *out, const char *text)
{
	const char *p;
	bool listed = true;

	if (!text || !*text)
		return;
	for (p = text; *p && listed; p += strcspn(p, "\n"), p += *p == '\n') {
		size_t n = strcspn(p, "\n");
		const char *hash = memchr(p, '#', n);

		listed = hash && hash > p && hash[-1] == ' ';
	}
	fputs(".SH EXAMPLES\n", out);
	if (!listed) {
		fputs(".nf\n", out);
		roff(out, text, false);
		fputs(text[strlen(text) - 1] == '\n' ? ".fi\n" : "\n.fi\n", out);
		return;
	}
	for (p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		size_t n = strcspn(p, "\n");
		const char *hash = memchr(p, '#', n), *cmd = p, *end = hash;

		while (*cmd == ' ')
			cmd++;
		while (end > cmd && end[-1] == ' ')
			end--;
		fputs(".TP\n\\fB", out);
		roff_n(out, cmd, end - cmd, true);
		fputs("\\fR\n", out);
		for (hash++; *hash == ' '; hash++)
			;
		roff_n(out, hash, p + n - hash, true);
		fputs("\n", out);
	}
	fputs(".PP\nThe examples call the applet by its name, as through a link made by "
	      "\\fBbcct \\-\\-install\\fR; \\fBbcct\\fR followed by the same words does the same.\n", out);
}

static void exit_status(FILE *out)
{
	fputs(".SH EXIT STATUS\n0 success, 1 runtime failure (one line on stderr says why), 2 usage "
	      "error, 127 unknown applet.\n", out);
}

struct see_also {
	FILE *out;
	struct cli_target self;
};

static int see_also_one(struct cli_target t, void *arg)
{
	struct see_also *s = arg;

	if (strcmp(t.applet->category, s->self.applet->category) ||
	    !strcmp(cli_target_name(t), cli_target_name(s->self)))
		return 0;
	fputs(",\n\\fBbcct\\-", s->out);
	roff(s->out, cli_target_name(t), true);
	fputs("\\fR(" SECTION ")", s->out);
	return 0;
}

static void see_also(FILE *out, struct cli_target t)
{
	struct see_also s = { out, t };

	fputs(".SH SEE ALSO\n\\fBbcct\\fR(" SECTION ")", out);
	cli_for_each_name(see_also_one, &s);
	fputs("\n.PP\nBCC's own tool is \\fB", out);
	roff(out, cli_target_name(t), true);
	fputs("\\-bpfcc\\fR(8) in Debian's bpfcc\\-tools.\n", out);
}

static int applet_page(FILE *out, struct cli_target t, const struct json_doc *d)
{
	const struct bcct_applet *a = t.applet;
	const char *name = cli_target_name(t);
	char page[128];

	snprintf(page, sizeof(page), "bcct-%s", name);
	header(out, page, t.alias ? t.alias->summary : a->summary);
	synopsis(out, name, cli_target_opts(t));
	fputs(".SH DESCRIPTION\n", out);
	roff(out, t.alias ? t.alias->summary : a->summary, true);
	fputs(".\n", out);
	if (t.alias) {
		fputs(".PP\n\\fB", out);
		roff(out, name, true);
		fputs("\\fR is \\fBbcct ", out);
		roff(out, a->name, true);
		for (int i = 0; i < 6 && t.alias->args[i]; i++) {
			const char *arg = t.alias->args[i];
			/* As typed in a shell: vfscount's pattern '^vfs_.*' quoted. */
			bool quote = strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					    "0123456789_-./:=,") < strlen(arg);

			fputs(quote ? " '" : " ", out);
			roff(out, arg, true);
			fputs(quote ? "'" : "", out);
		}
		fputs(t.alias->opts ? "\\fR with the options below.\n" : "\\fR: it takes the options of "
		      "\\fBbcct\\-", out);
		if (!t.alias->opts) {
			roff(out, a->name, true);
			fputs("\\fR(" SECTION "), below.\n", out);
		}
	}
	if (a->description)
		block(out, a->description);
	if (!t.alias && a->aliases && a->aliases[0].name) {
		fputs(".PP\nAliases:", out);
		for (const struct bcct_alias *al = a->aliases; al->name; al++) {
			fputs(al == a->aliases ? " \\fB" : ", \\fB", out);
			roff(out, al->name, true);
			fputs("\\fR", out);
		}
		fputs(", each with its own page.\n", out);
	}
	fputs(".PP\nRun as \\fBbcct ", out);
	roff(out, name, true);
	fputs("\\fR, or as \\fB", out);
	roff(out, name, true);
	fputs("\\fR through a link made by \\fBbcct \\-\\-install\\fR. Category: ", out);
	roff(out, a->category, true);
	fputs(".\n", out);
	options(out, cli_target_opts(t));
	fields(out, d, t);
	overhead(out, a);
	examples(out, t.alias && t.alias->opts ? t.alias->examples : a->examples);
	exit_status(out);
	see_also(out, t);
	return 0;
}

static void entries(FILE *out, const struct cli_entry *e)
{
	for (; e->name; e++) {
		fputs(".TP\n\\fB", out);
		roff(out, e->name, true);
		fputs("\\fR\n", out);
		roff(out, e->help, true);
		fputs("\n", out);
	}
}

static int list_one(struct cli_target t, void *arg)
{
	FILE *out = arg;

	fputs(".TP\n\\fBbcct\\-", out);
	roff(out, cli_target_name(t), true);
	fputs("\\fR(" SECTION ")\n", out);
	roff(out, t.alias ? t.alias->summary : t.applet->summary, true);
	fputs("\n", out);
	return 0;
}

static void bcct_page(FILE *out)
{
	header(out, "bcct", cli_summary);
	fputs(".SH SYNOPSIS\n.SY bcct\n.I applet\n.RI [ args ...]\n.YS\n"
	      ".SY bcct\n.B \\-\\-list\n|\n.B \\-\\-help\n.RI [ applet ]\n|\n.B \\-\\-version\n|\n"
	      ".B features\n.YS\n.SY bcct\n.B \\-\\-install\n.OP \\-s\n.OP \\-f\n.OP \\-\\-bpfcc\n"
	      ".I dir\n.YS\n.SH DESCRIPTION\n", out);
	roff(out, cli_summary, true);
	fputs("\n.PP\nEach applet is one of BCC's tracing tools with BCC's options and output; "
	      "\\fBbcct\\fR \\fIapplet\\fR runs it, as does a link named \\fIapplet\\fR (or "
	      "\\fIapplet\\fR\\-bpfcc) to the binary. Each applet picks the best way to attach this "
	      "kernel offers (fentry, kprobe, raw tracepoint, tracepoint) and falls back where a "
	      "faithful fallback exists; \\fB\\-v\\fR says which. Every applet has its page, "
	      "\\fBbcct\\-\\fR\\fIapplet\\fR(" SECTION "), listed below.\n.SH COMMANDS\n", out);
	entries(out, cli_commands);
	fputs(".SH APPLETS\n", out);
	cli_for_each_name(list_one, out);
	fputs(".SH ENVIRONMENT\n", out);
	entries(out, cli_environment);
	exit_status(out);
	fputs(".SH FILES\n.TP\n.I /run/bcct/\nwhat a run learnt of this kernel (trimmed BTF, feature "
	      "probes), kept for the rest of the boot\n.SH SEE ALSO\n\\fBbpftrace\\fR(8)\n", out);
}

struct man_run {
	const char *dir;
	const struct json_doc *doc;
};

static int write_page(const char *dir, const char *name, struct cli_target *t, const struct json_doc *d)
{
	char path[4096];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, SECTION);
	out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "bcct: --man: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (t)
		applet_page(out, *t, d);
	else
		bcct_page(out);
	if (fclose(out)) {
		fprintf(stderr, "bcct: --man: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int man_one(struct cli_target t, void *arg)
{
	struct man_run *r = arg;
	char name[128];

	snprintf(name, sizeof(name), "bcct-%s", cli_target_name(t));
	return write_page(r->dir, name, &t, r->doc);
}

int cli_man(int argc, char **argv)
{
	static struct json_doc doc;
	struct man_run r = { argc > 0 ? argv[0] : NULL, &doc };

	if (argc < 1 || argc > 2) {
		fprintf(stderr, "bcct: usage: bcct --man DIR [JSON.md]\n");
		return BCCT_EXIT_USAGE;
	}
	if (argc == 2 && json_doc_read(&doc, argv[1]))
		return BCCT_EXIT_FAIL;
	if (write_page(r.dir, "bcct", NULL, &doc) || cli_for_each_name(man_one, &r))
		return BCCT_EXIT_FAIL;
	return 0;
}
