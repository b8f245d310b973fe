/* Histograms printed exactly as BCC prints them (bcc/table.py print_log2_hist and
 * print_linear_hist), or as one JSON object with --json. Slot layout matches bpf/bcct.bpf.h:
 * log2 slot i (i >= 1) holds values in [2^(i-1), 2^i - 1]; slot 1 also holds 0. Linear slot i
 * holds value i. */
#ifndef BCCT_HIST_H
#define BCCT_HIST_H
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>

/* Text: prints to `out` exactly like BCC. JSON mode (env.json): callers use hist_json_* . */
void hist_print_log2(FILE *out, const uint64_t *slots, int nslots, const char *val_type);
void hist_print_linear(FILE *out, const uint64_t *slots, int nslots, const char *val_type);
/* BCC's section header before a per-key histogram: "\n%s = %s\n". */
void hist_print_section(FILE *out, const char *section, const char *value);

/* JSON: writes "key":{"unit":"usecs","buckets":[{"low":0,"high":1,"count":3},...]} inside the
 * current JSON object (see core/output.h). */
void hist_json_log2(const char *key, const uint64_t *slots, int nslots, const char *val_type);
void hist_json_linear(const char *key, const uint64_t *slots, int nslots, const char *val_type);

/* Convenience used by most histogram applets: text or JSON according to env.json. In JSON mode
 * prints one object {"ts":..., <section>:<value>, "hist":{...}} per call. section may be NULL. */
void hist_emit_log2(const char *section, const char *value, const uint64_t *slots, int nslots,
		    const char *val_type);
void hist_emit_linear(const char *section, const char *value, const uint64_t *slots, int nslots,
		      const char *val_type);

/* Converts BPF-side u32 slots to u64 (the printers take u64). */
void hist_widen(uint64_t *dst, const uint32_t *src, int n);

/* Prints every histogram of a BPF map whose values start with struct bcct_hist (bpf/bcct.h):
 * one section per key, sorted, as BCC's print_log2_hist(section_header, ...) does, then clears
 * the map when `clear` is set. Without `section` the map is expected to hold one key. */
struct bpf_map;
struct bcct_hist_print {
	const char *unit;              /* "usecs" */
	const char *section;           /* "pid", "disk", NULL for a single histogram */
	bool linear;
	bool clear;
	/* Section value text for a key ("1234 bash"); default: the key as an unsigned integer. */
	void (*label)(const void *key, char *buf, size_t len);
	/* Sort order of sections; default: keys as unsigned integers (or bytes), ascending. */
	int (*cmp)(const void *a, const void *b);
};
int hist_print_map(struct bpf_map *map, const struct bcct_hist_print *p);
/* Section label for maps keyed by a u32 PID or TID: BCC's "pid = 1234 bash" ("1234" alone when
 * the task is gone). */
void hist_label_pid(const void *key, char *buf, size_t len);
/* -e of biolatency and cpudist: BCC's "avg = 2 usecs, total: 4096 usecs, count: 2048" line (one
 * JSON object {"unit","avg","total","count"} with --json) from a one-element array map of struct
 * bcct_hist_ext (bpf/hist_ext.bpf.h), which is then cleared. Nothing when it counted nothing. */
void hist_print_ext(struct bpf_map *map, const char *unit);
#endif
