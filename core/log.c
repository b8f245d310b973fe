#include <stdio.h>
#include <stdarg.h>
#include "core/log.h"

const char *bcct_prog = "bcct";
int bcct_verbose;

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
