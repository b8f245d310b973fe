/* Messages, and libbpf's messages routed through -v. */
#include <stdio.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/log.h"
#include "core/run.h"

_Thread_local FILE *bcct_thread_stdout, *bcct_thread_stderr;   /* core/thread_io.h */
_Thread_local const char *bcct_prog = "bcct";
_Thread_local int bcct_verbose;

static void vlog(const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", bcct_prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void bcct_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void bcct_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void bcct_info(const char *fmt, ...)
{
	va_list ap;
	if (!bcct_verbose)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void bcct_usage_err(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", bcct_prog);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s --help')\n", bcct_prog);
}

/* ---- libbpf's messages -------------------------------------------------------------------- */

/* The program libbpf last reported as failing to load: libbpf unloads everything after a
 * failure, so its message is the only place that names the culprit. The wording matched here
 * ("prog 'NAME': failed to load") is pinned by tests/unit/test_select.c, which loads a program
 * the verifier refuses (and by tests/live/core_attach.sh, which expects the fallback after it): a
 * libbpf that words it differently fails those tests, not users' fallbacks. */
static _Thread_local char failed_prog[64];

const char *bcct_load_failure(void)
{
	return failed_prog;
}

void bcct_load_failure_reset(void)
{
	failed_prog[0] = 0;
}

static void note_load_failure(enum libbpf_print_level level, const char *msg)
{
	const char *name = strstr(msg, "prog '");

	if (level == LIBBPF_WARN && name && strstr(name, "': failed to load")) {
		name += 6;
		snprintf(failed_prog, sizeof(failed_prog), "%.*s", (int)strcspn(name, "'"), name);
	}
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	const char *prefix;
	va_list again;
	bool whole;

	va_copy(again, ap);
	whole = vsnprintf(msg, sizeof(msg), fmt, ap) < (int)sizeof(msg);
	note_load_failure(level, msg);
	/* libbpf's own messages begin with "libbpf: " already; the verifier's do not. */
	prefix = strncmp(msg, "libbpf: ", 8) ? "libbpf: " : "";
	if (!whole && level != LIBBPF_DEBUG && bcct_verbose >= 1) {
		/* A verifier log arrives as one message: print all of it, its end says why. */
		fprintf(stderr, "%s: %s", bcct_prog, prefix);
		vfprintf(stderr, fmt, again);
		va_end(again);
		return 0;
	}
	va_end(again);
	if (level == LIBBPF_DEBUG && bcct_verbose < 2)
		return 0;
	if (level != LIBBPF_DEBUG && bcct_verbose < 1)
		return 0;
	fprintf(stderr, "%s: %s%s", bcct_prog, prefix, msg);
	return 0;
}

void bcct_libbpf_quiet(void)
{
	libbpf_set_print(libbpf_print);
}
