/* reset-trace: reset the ftrace state a crashed tracer can leave in tracefs (kprobes, uprobes,
 * the trace buffer, the tracer, filters, enabled events), as BCC's reset-trace. No BPF. Files
 * this kernel lacks (kprobe_events without kprobes, set_graph_function without the function
 * graph tracer) are skipped, said with -v. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/sys/sys.h"

static struct {
	bool force, quiet, verbose;
	const char *dir;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('F', "force", &o.force, "force: reset all tracing files"),
	OPT_FLAG_('v', "verbose", &o.verbose, "verbose: print details while working"),
	OPT_FLAG_('q', "quiet", &o.quiet, "quiet: no output"),
	OPT_END_,
};

/* A file's contents without its "#" comment lines and trailing newlines, as the shell's
 * $(grep -v '^#' file) gives them. */
static char *contents(const char *path)
{
	char *text = sys_read_file(path, 4u << 20, NULL), *out, *w;

	if (!text)
		return NULL;
	out = w = text;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);

		if (line[0] != '#') {
			memmove(w, line, len);
			w += len;
		}
		line += len;
	}
	while (w > out && w[-1] == '\n')
		w--;
	*w = 0;
	return out;
}

static void show(const char *path, const char *when)
{
	char *text = sys_read_file(path, 4u << 20, NULL);
	int n = 0;

	printf("%s, %s (line enumerated):\n", path + strlen(o.dir) + 1, when);
	for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		printf("%6d\t%.*s\n", ++n, nl ? (int)(nl - line) : (int)strlen(line), line);
	}
	free(text);
}

/* Truncates the file and writes value (the shell's echo VALUE > file). */
static int write_value(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	char line[64];
	int len = snprintf(line, sizeof(line), "%s\n", value);
	int ok = fd >= 0 && write(fd, line, len) == len;
	int err = errno;

	if (fd >= 0)
		close(fd);
	errno = err;
	return ok ? 0 : -1;
}

/* A file tracefs lists but refuses to read (EPERM: the function tracer's files on a kernel that
 * disables function tracing) holds nothing a tracer could have left: skipped, said with -v. */
static void unreadable(const char *path)
{
	if (o.verbose)
		printf("%s: cannot read (%s), skipped\n", path, strerror(errno));
}

static void writefile(const char *file, const char *value, const char *expected)
{
	char path[512];
	char *now;

	snprintf(path, sizeof(path), "%s/%s", o.dir, file);
	if (access(path, W_OK)) {
		if (o.verbose)
			printf("%s: %s, skipped\n", path, errno == ENOENT ? "not on this kernel" : strerror(errno));
		return;
	}
	if (o.verbose)
		printf("Checking %s\n", path);
	now = contents(path);
	if (!now) {
		unreadable(path);
		return;
	}
	if (!strcmp(now, expected)) {
		free(now);
		return;
	}
	free(now);
	if (!o.quiet)
		printf("Needed to reset %s\n", path);
	if (o.verbose)
		show(path, "before");
	if (write_value(path, value))
		fprintf(stderr, "WARNING: command failed \"echo %s > %s\": %s. A tracer still running? "
			"Continuing.\n", value, path, strerror(errno));
	if (o.verbose) {
		show(path, "after");
		printf("\n");
	}
}

static void checkfile(const char *file, const char *value, const char *expected)
{
	char path[512];
	char *now;

	snprintf(path, sizeof(path), "%s/%s", o.dir, file);
	if (access(path, F_OK)) {
		if (o.verbose)
			printf("%s: not on this kernel, skipped\n", path);
		return;
	}
	if (o.force) {
		writefile(file, value, expected);
		return;
	}
	if (o.quiet)
		return;
	if (o.verbose)
		printf("Checking %s\n", path);
	now = contents(path);
	if (!now) {
		unreadable(path);
		return;
	}
	if (strcmp(now, expected)) {
		printf("Noticed unrelated tracing file %s isn't set as expected. Not resetting (-F to "
		       "force, -v for verbose).\n", path);
		if (o.verbose) {
			show(path, "contents");
			printf("Expected \"%s\".\n", expected);
		}
	}
	free(now);
}

static int run(void)
{
	o.dir = bcct_tracefs();
	if (!o.dir) {
		bcct_err("cannot reset tracing: %s", bcct_tracefs_why());
		return BCCT_EXIT_FAIL;
	}
	if (o.verbose)
		printf("Resetting tracing state...\n\n");
	writefile("kprobe_events", "", "");
	writefile("uprobe_events", "", "");
	writefile("trace", "", "");             /* clears trace_pipe */
	checkfile("current_tracer", "nop", "nop");
	checkfile("set_ftrace_filter", "", "");
	checkfile("set_graph_function", "", "");
	checkfile("set_ftrace_pid", "", "no pid");
	checkfile("events/enable", "0", "0");
	checkfile("tracing_thresh", "0", "0");
	checkfile("tracing_on", "1", "1");
	if (o.verbose)
		printf("\nDone.\n");
	return 0;
}

BCCT_APPLET_NAMED(reset_trace, "reset-trace",
	.category = "other",
	.summary = "Reset the state of tracing (tracefs) after a tracer was killed",
	.examples =
	"    reset-trace              # disable semi-enabled tracing\n"
	"    reset-trace -F           # reset every tracing file, also the unrelated ones\n",
	.opts = opts,
	.run = run,
	.no_bpf = true);
