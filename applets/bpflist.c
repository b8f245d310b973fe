/* bpflist: processes holding BPF programs and maps (their fds), and with -v the kprobes and
 * uprobes tracers registered through tracefs, as BCC's bpflist. No BPF of its own. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/output.h"
#include "core/sys/sys.h"

static struct {
	int verbosity;
} o;

static const struct bcct_opt opts[] = {
	OPT_COUNT_('v', "verbosity", &o.verbosity, "count and display kprobes/uprobes as well"),
	STD_JSON,
	OPT_END_,
};

/* (pid, type) -> count, in the order first seen (BCC's dict, then a stable sort by pid). */
struct count {
	int pid;
	char type[32];
	unsigned long n;
};
static struct count *counts;
static size_t ncounts, capcounts;

static int add(int pid, const char *type, size_t len)
{
	struct count *c;

	if (len >= sizeof(counts->type))
		len = sizeof(counts->type) - 1;
	for (size_t i = 0; i < ncounts; i++)
		if (counts[i].pid == pid && strlen(counts[i].type) == len &&
		    !strncmp(counts[i].type, type, len)) {
			counts[i].n++;
			return 0;
		}
	if (ncounts == capcounts) {
		struct count *more = realloc(counts, (capcounts = capcounts ? capcounts * 2 : 64) * sizeof(*more));

		if (!more)
			return -1;
		counts = more;
	}
	c = &counts[ncounts++];
	c->pid = pid;
	memcpy(c->type, type, len);
	c->type[len] = 0;
	c->n = 1;
	return 0;
}

/* Probes registered by tracers through tracefs carry their PID in the name: BCC's
 * "p__x64_sys_read_bcc_1234", libbpf's legacy "libbpf_1234_...". bcct attaches through the
 * kprobe/uprobe PMUs, which leave nothing there. */
static void parse_probes(const char *typ)
{
	const char *tracefs = bcct_tracefs();
	char path[512], *text, *line, *save = NULL;

	if (o.verbosity > 1)
		printf("open %ss:\n", typ);
	snprintf(path, sizeof(path), "%s/%s_events", tracefs ? tracefs : "/nonexistent", typ);
	text = sys_read_file(path, 16u << 20, NULL);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		const char *m = strstr(line, "_bcc_");
		int pid = 0;

		if (m && isdigit((unsigned char)m[5]))
			pid = atoi(m + 5);
		else if ((m = strstr(line, "libbpf_")) && isdigit((unsigned char)m[7]))
			pid = atoi(m + 7);
		if (pid > 0)
			add(pid, typ, strlen(typ));
		if (o.verbosity > 1)
			printf("%s\n", line);
	}
	free(text);
	if (o.verbosity > 1)
		printf("\n");
}

/* "anon_inode:bpf-prog", "anon_inode:bpf-map" (BCC's bpf-([\w-]+)): the kind after "bpf-". */
static void find_bpf_fds(int pid)
{
	char dir[64], link[320], target[128];
	struct dirent *d;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	fds = opendir(dir);
	if (!fds)
		return;
	while ((d = readdir(fds))) {
		ssize_t n;
		size_t len = 0;
		const char *kind;

		if (d->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, d->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strncmp(target, "anon_inode:bpf-", 15))
			continue;
		kind = target + 15;
		while (isalnum((unsigned char)kind[len]) || kind[len] == '_' || kind[len] == '-')
			len++;
		if (len)
			add(pid, kind, len);
	}
	closedir(fds);
}

static int run(void)
{
	struct dirent *d;
	DIR *proc;
	size_t width = 0;
	char fmt[64];

	if (o.verbosity > 0) {
		parse_probes("kprobe");
		parse_probes("uprobe");
	}
	proc = opendir("/proc");
	if (!proc) {
		bcct_err("cannot list /proc: %m");
		return BCCT_EXIT_FAIL;
	}
	while ((d = readdir(proc)))
		if (isdigit((unsigned char)d->d_name[0]))
			find_bpf_fds(atoi(d->d_name));
	closedir(proc);
	/* By PID, first seen first among equals (Python's stable sort): an insertion sort. */
	for (size_t i = 1; i < ncounts; i++)
		for (size_t j = i; j > 0 && counts[j].pid < counts[j - 1].pid; j--) {
			struct count t = counts[j];

			counts[j] = counts[j - 1];
			counts[j - 1] = t;
		}
	for (size_t i = 0; i < ncounts; i++)
		if (strlen(counts[i].type) > width)
			width = strlen(counts[i].type);
	snprintf(fmt, sizeof(fmt), "%%-%zus", width + 1);
	out_header("%-6s %-16s %-*s %s", "PID", "COMM", (int)width + 1, "TYPE", "COUNT");
	for (size_t i = 0; i < ncounts; i++) {
		char comm[32];

		sys_pid_comm(counts[i].pid, comm, sizeof(comm));
		out_begin();
		out_int("pid", "%-6lld", counts[i].pid);
		out_str("comm", "%-16s", comm[0] ? comm : "[unknown]");
		out_str("type", fmt, counts[i].type);
		out_uint("count", "%llu", counts[i].n);
		out_end();
	}
	free(counts);
	return 0;
}

BCCT_APPLET(bpflist,
	.category = "other",
	.summary = "Display processes currently using BPF programs and maps",
	.examples =
	"    bpflist     # display all processes currently using BPF\n"
	"    bpflist -v  # also count kprobes/uprobes\n"
	"    bpflist -vv # display kprobes/uprobes and count them\n",
	.opts = opts,
	.run = run,
	.no_bpf = true);
