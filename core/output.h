/* Output: BCC's columns by default, or one JSON object per event/interval with --json.
 * An applet prints one row with out_begin(), a field call per column, out_end(). In text mode
 * each field is printed with its printf format, separated by one space; in JSON mode the format
 * is ignored and the key is used. Formats take the C type of the call: out_int "%lld",
 * out_uint "%llu", out_float "%f", out_str "%s" (with any width/alignment). */
#ifndef BCCT_OUTPUT_H
#define BCCT_OUTPUT_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

/* Header line (text mode only). */
void out_header(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Free text (text mode only), e.g. banners and section titles. */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Text mode: what BCC's interval tools print before each interval's tables or histograms, a
 * blank line and, with -T (env.timestamp), the time "HH:MM:SS" on a line of its own. */
void out_interval_begin(void);

/*
 * Every JSON object at the top level carries "ts" (RFC 3339 local time, microseconds, zone
 * offset) and "ts_ns" (ns since the Unix epoch), added here; applets never format times for JSON.
 *
 * Events: out_begin() ... out_end() is one object; its time is when it is printed unless the
 * applet passes the kernel's timestamp of the event (bpf_ktime_get_ns()) to out_event_time()
 * first.
 *
 * Intervals: core's loop wraps each on_interval call in out_interval_open()/out_interval_close():
 * in JSON mode one object per interval, empty or not, timed at the end of the interval. Inside it
 * the shared printers fill named arrays (out_list: "hists", "rows", "stacks"), and
 * out_begin()/out_end() print one element of the current array ("rows" when none was named).
 * out_member_begin(key) opens a nested object member ("summary"), closed with json_end_object().
 * All of these do nothing in text mode. Print aggregates in on_interval only (not on_exit): the
 * interval object is closed there.
 */
void out_event_time(uint64_t monotonic_ns);
void out_interval_open(void);
void out_interval_close(void);
/* Called in on_interval before printing anything: this call is no interval (argdist's partial
 * last one, which BCC does not print), so no object. */
void out_interval_skip(void);
void out_list(const char *key);
void out_member_begin(const char *key);

void out_begin(void);
/* Inside an interval: the fields up to out_end() are members of the interval object itself
 * rather than a row of an array (a tool printing one line per interval: vfsstat, cachestat; a
 * top display's title). Text mode: as out_begin(). */
void out_begin_members(void);
void out_str(const char *key, const char *fmt, const char *v);
void out_int(const char *key, const char *fmt, long long v);
void out_uint(const char *key, const char *fmt, unsigned long long v);
void out_float(const char *key, const char *fmt, double v);
/* Text mode only: len bytes of a traced program's data as Python's bytes.decode("utf-8",
 * "replace") prints them (BCC's sslsniff): valid UTF-8 as is, NULs included, each maximal
 * invalid subsequence as one U+FFFD. */
void out_text_bytes(const void *data, size_t len);
/* Time of day "HH:MM:SS" (%-8s, or fmt): text only, JSON objects have "ts". */
void out_time(const char *key);
void out_time_fmt(const char *key, const char *fmt);
void out_end(void);
/* stdout's buffering, before the first output: by line on a terminal, else full (core/run.c). */
void out_setup_buffering(void);

/* The JSON key of a text column header: lower case, a unit spelt "usecs"/"nsecs"/"msecs" as
 * "us"/"ns"/"ms" ("TOTAL_usecs" -> "total_us", "Function" -> "function"). */
void out_json_key(char *dst, size_t len, const char *header);

/* v as Python's str() writes a float, for BCC's columns printed with "%s" from a division
 * (biotop's Kbytes: "4.0", "10.5"). Returns buf. */
const char *out_python_float(char *buf, size_t len, double v);

/* JSON building blocks for structured output (histograms, stacks). */
/* key is NULL at top level and inside arrays. */
void json_begin_object(const char *key);
void json_end_object(void);           /* closes; at depth 0 also prints "\n" and flushes */
void json_begin_array(const char *key);
void json_end_array(void);
void json_str(const char *key, const char *v);   /* key NULL inside arrays */
/* len bytes, NULs included, as a JSON string (invalid UTF-8 as json_str writes it). */
void json_bytes(const char *key, const void *v, size_t len);
void json_int(const char *key, long long v);
void json_uint(const char *key, unsigned long long v);
void json_float(const char *key, double v);
void json_bool(const char *key, bool v);
/* "key":["a","b",...]: stack frames. */
void json_str_array(const char *key, const char *const *v, int n);
/* Writes s as a JSON string literal (quoted, escaped) to stdout. */
void json_write_string(const char *s);
#endif
