/* Text or NDJSON output; see output.h. */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include "core/output.h"
#include "core/opts.h"
#include "core/run.h"
#include "core/sys/sys.h"

/* JSON writer state: whether the next member needs a comma, per nesting level. */
#define JSON_MAX_DEPTH 16
static int depth;
static bool need_comma[JSON_MAX_DEPTH];
static bool text_first;

void json_write_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		default:
			if (*p < 0x20)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

static void member(const char *key)
{
	if (depth > 0 && need_comma[depth - 1])
		putchar(',');
	if (depth > 0)
		need_comma[depth - 1] = true;
	if (key) {
		json_write_string(key);
		putchar(':');
	}
}

/* Opens an object or array (c is '{' or '['): its first member needs no comma. */
static void open_nested(const char *key, char c)
{
	member(key);
	putchar(c);
	if (depth < JSON_MAX_DEPTH)
		need_comma[depth] = false;
	depth++;
}

/* Closes it (c is '}' or ']'): it was a member, so the next one in its parent needs a comma. */
static void close_nested(char c)
{
	putchar(c);
	depth--;
	if (depth > 0)
		need_comma[depth - 1] = true;
}

void json_begin_object(const char *key) { open_nested(key, '{'); }
void json_begin_array(const char *key) { open_nested(key, '['); }
void json_end_array(void) { close_nested(']'); }

void json_end_object(void)
{
	close_nested('}');
	if (depth == 0) {
		putchar('\n');
		fflush(stdout);
	}
}

void json_str(const char *key, const char *v) { member(key); json_write_string(v ? v : ""); }
void json_int(const char *key, long long v) { member(key); printf("%lld", v); }
void json_uint(const char *key, unsigned long long v) { member(key); printf("%llu", v); }
void json_float(const char *key, double v) { member(key); printf("%.6g", v); }
void json_bool(const char *key, bool v) { member(key); fputs(v ? "true" : "false", stdout); }

/* Text meant for people (headers, banners): none of it in JSON mode. */
static void text_only(const char *end, const char *fmt, va_list ap)
{
	if (env.json)
		return;
	vprintf(fmt, ap);
	fputs(end, stdout);
}

void out_header(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_only("\n", fmt, ap);
	va_end(ap);
}

void out_text(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_only("", fmt, ap);
	va_end(ap);
}

void out_interval_begin(void)
{
	char ts[16];

	out_text("\n");
	if (env.timestamp)
		out_text("%-8s\n", bcct_time_str(ts, sizeof(ts)));
}

void out_begin(void)
{
	if (env.json)
		json_begin_object(NULL);
	else
		text_first = true;
}

static void text_sep(void)
{
	if (!text_first)
		putchar(' ');
	text_first = false;
}

void out_str(const char *key, const char *fmt, const char *v)
{
	if (env.json) {
		json_str(key, v);
		return;
	}
	text_sep();
	printf(fmt, v ? v : "");
}

void out_int(const char *key, const char *fmt, long long v)
{
	if (env.json) {
		json_int(key, v);
		return;
	}
	text_sep();
	printf(fmt, v);
}

void out_uint(const char *key, const char *fmt, unsigned long long v)
{
	if (env.json) {
		json_uint(key, v);
		return;
	}
	text_sep();
	printf(fmt, v);
}

void out_float(const char *key, const char *fmt, double v)
{
	if (env.json) {
		json_float(key, v);
		return;
	}
	text_sep();
	printf(fmt, v);
}

void out_time(const char *key)
{
	char buf[16];

	out_str(key, "%-8s", sys_time_of_day(buf, sizeof(buf)));
}

void out_end(void)
{
	if (env.json) {
		json_end_object();
		return;
	}
	putchar('\n');
	fflush(stdout);
}
