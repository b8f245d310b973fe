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

void out_begin(void);
void out_str(const char *key, const char *fmt, const char *v);
void out_int(const char *key, const char *fmt, long long v);
void out_uint(const char *key, const char *fmt, unsigned long long v);
void out_float(const char *key, const char *fmt, double v);
/* Time of day "HH:MM:SS" (%-8s). */
void out_time(const char *key);
void out_end(void);
/* stdout's buffering, before the first output: by line on a terminal, else full (core/run.c). */
void out_setup_buffering(void);

/* JSON building blocks for structured output (histograms, stacks). */
/* key is NULL at top level and inside arrays. */
void json_begin_object(const char *key);
void json_end_object(void);           /* closes; at depth 0 also prints "\n" and flushes */
void json_begin_array(const char *key);
void json_end_array(void);
void json_str(const char *key, const char *v);   /* key NULL inside arrays */
void json_int(const char *key, long long v);
void json_uint(const char *key, unsigned long long v);
void json_float(const char *key, double v);
void json_bool(const char *key, bool v);
/* Writes s as a JSON string literal (quoted, escaped) to stdout. */
void json_write_string(const char *s);
#endif
