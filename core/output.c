/* Text or NDJSON output; see output.h. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>
#include "core/output.h"
#include "core/run.h"
#include "core/opts.h"
#include "core/sys/sys.h"

/* JSON writer state: whether the next member needs a comma, per nesting level. */
#define JSON_MAX_DEPTH 16
static _Thread_local int depth;
static _Thread_local bool need_comma[JSON_MAX_DEPTH];
static _Thread_local bool text_first;

/* Length of the well-formed UTF-8 sequence at p, of at most avail bytes (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF: the second byte's range says it), or 0 if
 * the byte at p does not start one.
 * *valid_prefix (when not NULL) gets how many of its bytes are a valid beginning of one: Python's
 * decode(errors="replace") writes one U+FFFD for that maximal prefix (Unicode's "maximal subpart"),
 * at least one byte. */
static int utf8_sequence_length_n(const unsigned char *p, size_t avail, int *valid_prefix)
{
	int n;
	unsigned char lo = 0x80, hi = 0xbf;   /* the second byte's range, narrowed below */

	if (valid_prefix)
		*valid_prefix = 1;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((size_t)i >= avail || (p[i] & 0xc0) != 0x80 ||   /* also stops at the NUL */
		    (i == 1 && (p[i] < lo || p[i] > hi)))
			return 0;
		if (valid_prefix)
			*valid_prefix = i + 1;
	}
	return n;
}

/* JSON text must be UTF-8, but comms, paths and arguments are whatever bytes the traced process
 * used. A byte 0xNN that is not part of valid UTF-8 is written "\udcNN": the lone surrogate
 * U+DCNN, as PEP 383's "surrogateescape" maps it, so that the line still parses and the bytes
 * can be had back (Python: s.encode("utf-8", "surrogateescape")). Valid UTF-8 never yields a
 * surrogate, so the escape is unambiguous. len bytes, NULs included ("\u0000"). */
static void json_write_bytes(const unsigned char *s, size_t len)
{
	putchar('"');
	for (const unsigned char *p = s, *end = s + len; p < end; p++) {
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
				int n = utf8_sequence_length_n(p, end - p, NULL);

				if (n == 0) {
					printf("\\udc%02x", *p);
				} else {
					fwrite(p, 1, n, stdout);
					p += n - 1;
				}
			}
		}
	}
	putchar('"');
}

void json_write_string(const char *s)
{
	s = s ? s : "";
	json_write_bytes((const unsigned char *)s, strlen(s));
}

void out_text_bytes(const void *data, size_t len)
{
	static const char replacement[] = "\xef\xbf\xbd";   /* U+FFFD */

	if (env.json)
		return;
	for (const unsigned char *p = data, *end = p + len; p < end;) {
		int valid, n = utf8_sequence_length_n(p, end - p, &valid);

		if (n) {
			fwrite(p, 1, n, stdout);
			p += n;
		} else {
			fputs(replacement, stdout);
			p += valid;
		}
	}
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
void json_bytes(const char *key, const void *v, size_t len) { member(key); json_write_bytes(v, len); }
void json_int(const char *key, long long v) { member(key); printf("%lld", v); }
void json_uint(const char *key, unsigned long long v) { member(key); printf("%llu", v); }
/* The shortest decimal that reads back as v, plain ("%.*f") or in exponent form ("%.*g"). */
static void shortest_decimal(char *buf, size_t len, double v, bool plain)
{
	for (int precision = plain ? 0 : 1; precision <= (plain ? 24 : 17); precision++) {
		snprintf(buf, len, plain ? "%.*f" : "%.*g", precision, v);
		if (strtod(buf, NULL) == v)
			break;
	}
}

/* The shortest decimal that reads back as v: "%.6g" turned a seconds-since-start timestamp of
 * 12345.678901 into 12345.7. Plain notation where it is short enough ("13112400", not
 * "1.31124e+07"), so a script reading it as text sees the digits. JSON has no NaN or infinity, so
 * those are null. */
void json_float(const char *key, double v)
{
	char buf[64];

	member(key);
	if (!isfinite(v)) {
		fputs("null", stdout);
		return;
	}
	shortest_decimal(buf, sizeof(buf), v, v == 0 || (fabs(v) >= 1e-6 && fabs(v) < 1e17));
	fputs(buf, stdout);
}

/* Python's float repr: plain from 1e-4 up to 1e16, at least one decimal ("4.0"). */
const char *out_python_float(char *buf, size_t len, double v)
{
	bool plain = v == 0 || (fabs(v) >= 1e-4 && fabs(v) < 1e16);

	if (!isfinite(v)) {
		snprintf(buf, len, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
		return buf;
	}
	shortest_decimal(buf, len, v, plain);
	if (plain && !strchr(buf, '.') && strlen(buf) + 2 < len)
		strcat(buf, ".0");
	return buf;
}
void json_bool(const char *key, bool v) { member(key); fputs(v ? "true" : "false", stdout); }

void json_str_array(const char *key, const char *const *v, int n)
{
	json_begin_array(key);
	for (int i = 0; i < n; i++)
		json_str(NULL, v[i]);
	json_end_array();
}

void out_json_key(char *dst, size_t len, const char *header)
{
	static const struct { const char *text, *json; } units[] = {
		{ "usecs", "us" }, { "nsecs", "ns" }, { "msecs", "ms" },
	};
	size_t i, n;

	for (i = 0; header[i] && i + 1 < len; i++)
		dst[i] = tolower((unsigned char)header[i]);
	dst[i] = 0;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		n = strlen(units[u].text);
		if (i >= n && !strcmp(dst + i - n, units[u].text))
			strcpy(dst + i - n, units[u].json);
	}
}

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

/* ---- time stamps ------------------------------------------------------------------------ */

/* Events carry bpf_ktime_get_ns() (CLOCK_MONOTONIC); the offset to the wall clock is taken once,
 * at start (take_clock_offset), so that events keep their order and spacing even if the clock is
 * stepped while the tool runs. */
static int64_t monotonic_to_epoch_ns(void)
{
	static int64_t offset;
	static bool known;

	if (!known) {
		struct timespec mono, real;

		clock_gettime(CLOCK_MONOTONIC, &mono);
		clock_gettime(CLOCK_REALTIME, &real);
		offset = ((int64_t)real.tv_sec - mono.tv_sec) * 1000000000LL + real.tv_nsec - mono.tv_nsec;
		known = true;
	}
	return offset;
}

__attribute__((constructor)) static void take_clock_offset(void)
{
	monotonic_to_epoch_ns();
}

static uint64_t now_epoch_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec + monotonic_to_epoch_ns();
}

/* "ts": RFC 3339 local time with microseconds and the zone offset
 * ("2026-12-07T06:15:24.123456+00:00"), and "ts_ns": the same instant in ns since the epoch. */
static void json_timestamps(uint64_t epoch_ns)
{
	time_t sec = (time_t)(epoch_ns / 1000000000ULL);
	char date[32], ts[64];
	struct tm tm;
	long off;

	localtime_r(&sec, &tm);
	off = tm.tm_gmtoff;
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts, sizeof(ts), "%s.%06u%c%02ld:%02ld", date,
		 (unsigned)(epoch_ns % 1000000000ULL / 1000), off < 0 ? '-' : '+',
		 labs(off) / 3600, labs(off) / 60 % 60);
	json_str("ts", ts);
	json_uint("ts_ns", epoch_ns);
}

/* The time of the next event object, 0 for "when it is printed". */
static _Thread_local uint64_t next_event_monotonic_ns;

void out_event_time(uint64_t monotonic_ns)
{
	next_event_monotonic_ns = monotonic_ns;
}

/* ---- intervals ---------------------------------------------------------------------------- */

/* The interval object core opened around on_interval (written at its first member, so that an
 * applet can still skip it), its time, and the key of its array being filled. */
static _Thread_local bool interval_pending, interval_open, interval_skipped;
static _Thread_local uint64_t interval_epoch_ns;
static _Thread_local char list_key[32];

static void close_list(void)
{
	if (list_key[0])
		json_end_array();
	list_key[0] = 0;
}

void out_interval_open(void)
{
	if (!env.json || interval_open)
		return;
	interval_pending = true;
	interval_skipped = false;
	interval_epoch_ns = now_epoch_ns();
}

/* Writes the interval object's start, at its first member. The shared printers run inside
 * on_interval, which core wraps in out_interval_open()/out_interval_close(). */
static void interval_write(void)
{
	if (interval_open)
		return;
	json_begin_object(NULL);
	json_timestamps(interval_pending ? interval_epoch_ns : now_epoch_ns());
	if (bcct_serve_interval)
		json_bool("interval", true);    /* bcct serve tells intervals from events by it */
	interval_pending = false;
	interval_open = true;
}

void out_interval_skip(void)
{
	interval_skipped = true;
}

void out_interval_close(void)
{
	if (!env.json)
		return;
	if (interval_pending && interval_skipped) {
		interval_pending = false;
		return;
	}
	interval_write();               /* an interval prints an object even when it is empty */
	close_list();
	interval_open = false;
	json_end_object();
}

void out_list(const char *key)
{
	if (!env.json)
		return;
	interval_write();
	if (!strcmp(list_key, key))
		return;
	close_list();
	snprintf(list_key, sizeof(list_key), "%s", key);
	json_begin_array(key);
}

void out_member_begin(const char *key)
{
	if (!env.json)
		return;
	interval_write();
	close_list();
	json_begin_object(key);
}

/* out_begin_members(): out_end() closes nothing. */
static _Thread_local bool members_row;

void out_begin_members(void)
{
	if (!env.json) {
		text_first = true;
		return;
	}
	interval_write();
	close_list();
	members_row = true;
}

void out_begin(void)
{
	if (!env.json) {
		text_first = true;
		return;
	}
	if (interval_pending)
		interval_write();
	if (interval_open) {            /* a row of the interval's list */
		if (!list_key[0])
			out_list("rows");
		json_begin_object(NULL);
		return;
	}
	json_begin_object(NULL);        /* an event */
	json_timestamps(next_event_monotonic_ns ?
			next_event_monotonic_ns + monotonic_to_epoch_ns() : now_epoch_ns());
	next_event_monotonic_ns = 0;
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

/* JSON objects carry "ts" already: a time-of-day column is text only. */
void out_time(const char *key)
{
	out_time_fmt(key, "%-8s");
}

void out_time_fmt(const char *key, const char *fmt)
{
	char buf[16];

	if (!env.json)
		out_str(key, fmt, sys_time_of_day(buf, sizeof(buf)));
}

/* A terminal gets each line as it is printed. A file or pipe gets full buffers: core's loop
 * flushes after each batch of events, at each interval and at exit, so a storm of events costs
 * one write() per batch instead of one per line. (--json flushes each object: json_end_object.) */
void out_setup_buffering(void)
{
	static _Thread_local char buf[64 * 1024];

	if (isatty(fileno(stdout)))
		setvbuf(stdout, NULL, _IOLBF, 0);
	else
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}

void out_end(void)
{
	if (env.json) {
		if (members_row)
			members_row = false;
		else
			json_end_object();
		return;
	}
	putchar('\n');   /* flushed per batch of events (out_setup_buffering) */
}
