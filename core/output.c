/* Text or NDJSON output; see output.h. */
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/output.h"
#include "core/opts.h"
#include "core/sys/sys.h"

/* JSON writer state: whether the next member needs a comma, per nesting level. */
#define JSON_MAX_DEPTH 16
static int depth;
static bool need_comma[JSON_MAX_DEPTH];
static bool text_first;

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF), or 0 if the byte at p does not start one. */
static int utf8_sequence_length(const unsigned char *p)
{
	int n;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)      /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* JSON text must be UTF-8, but comms, paths and arguments are whatever bytes the traced process
 * used: a byte that is not part of valid UTF-8 becomes U+FFFD, so every line still parses. */
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
			if (*p < 0x20) {
				printf("\\u%04x", *p);
			} else if (*p < 0x80) {
				putchar(*p);
			} else {
				int n = utf8_sequence_length(p);

				if (n == 0) {
					fputs("\\ufffd", stdout);
				} else {
					fwrite(p, 1, n, stdout);
					p += n - 1;
				}
			}
		}
	}
	putchar('"');
}

/* Commas are tracked JSON_MAX_DEPTH levels deep; deeper levels share the last slot. */
static bool *comma_slot(int level)
{
	return &need_comma[level < JSON_MAX_DEPTH ? level : JSON_MAX_DEPTH - 1];
}

static void member(const char *key)
{
	if (depth > 0 && *comma_slot(depth - 1))
		putchar(',');
	if (depth > 0)
		*comma_slot(depth - 1) = true;
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
	*comma_slot(depth) = false;
	depth++;
}

/* Closes it (c is '}' or ']'): it was a member, so the next one in its parent needs a comma. */
static void close_nested(char c)
{
	putchar(c);
	depth--;
	if (depth > 0)
		*comma_slot(depth - 1) = true;
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
/* The shortest decimal that reads back as v: "%.6g" turned a seconds-since-start timestamp of
 * 12345.678901 into 12345.7. JSON has no NaN or infinity, so those are null. */
void json_float(const char *key, double v)
{
	char buf[40];

	member(key);
	if (!isfinite(v)) {
		fputs("null", stdout);
		return;
	}
	for (int precision = 1; precision <= 17; precision++) {
		snprintf(buf, sizeof(buf), "%.*g", precision, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, stdout);
}
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
		out_text("%-8s\n", sys_time_of_day(ts, sizeof(ts)));
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

/* A terminal gets each line as it is printed. A file or pipe gets full buffers: core's loop
 * flushes after each batch of events, at each interval and at exit, so a storm of events costs
 * one write() per batch instead of one per line. (--json flushes each object: json_end_object.) */
void out_setup_buffering(void)
{
	static char buf[64 * 1024];

	if (isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOLBF, 0);
	else
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}

void out_end(void)
{
	if (env.json) {
		json_end_object();
		return;
	}
	putchar('\n');   /* flushed per batch of events (out_setup_buffering) */
}
