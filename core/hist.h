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
/* libbpf-tools' print_linear_hist (trace_helpers.c, cpufreq): slot i counts
 * [base + i * step, base + (i + 1) * step - 1] and is labelled by its low end; only the non-empty
 * slots are printed. JSON: its buckets with those bounds. */
void hist_print_linear_step(FILE *out, const uint64_t *slots, int nslots, unsigned long long base,
			    unsigned long long step, const char *val_type);
void hist_json_linear_step(const uint64_t *slots, int nslots, unsigned long long base,
			   unsigned long long step, const char *val_type);
/* BCC's section header before a per-key histogram: "\n%s = %s\n". */
void hist_print_section(FILE *out, const char *section, const char *value);

/* JSON: writes the members "unit":"usecs","buckets":[{"low":2,"high":3,"count":3},...] into the
 * current JSON object (see core/output.h). */
void hist_json_log2(const uint64_t *slots, int nslots, const char *val_type);
void hist_json_linear(const uint64_t *slots, int nslots, const char *val_type);

/* Convenience used by most histogram applets: text or JSON according to env.json. In JSON mode
 * adds one element {<section>:<value>, "unit":..., "buckets":[...]} to the interval's "hists"
 * array. section may be NULL. */
void hist_emit_log2(const char *section, const char *value, const uint64_t *slots, int nslots,
		    const char *val_type);
void hist_emit_linear(const char *section, const char *value, const uint64_t *slots, int nslots,
		      const char *val_type);

/* BCC's print_json_hist (bcc/table.py _print_json_hist) as valid JSON: one line
 * {"ts": "2026-12-07 06:15:24", "val_type": "usecs", "data": [{"interval-start": 0,
 * "interval-end": 1, "count": 5}, ...], "disk": "sda"}, json.dumps' separators, buckets from
 * slot 1 to the last non-empty slot, the section member last when section is set. */
void hist_print_bcc_json(const char *section, const char *value, const uint64_t *slots,
			 int nslots, const char *val_type);

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
	/* JSON members naming a key's section (hist_json_pid: "pid":1234,"comm":"bash"), key is the
	 * section name in lower case. Default: the label as a string, or without a label the key
	 * as a number (4- or 8-byte keys) or a string. */
	void (*json_label)(const void *key, const char *key_name);
	/* Sort order of sections; default: keys as unsigned integers (or bytes), ascending. */
	int (*cmp)(const void *a, const void *b);
	/* BCC's print_json_hist layout instead of text or bcct's JSON: biolatency -j. */
	bool bcc_json;
};
int hist_print_map(struct bpf_map *map, const struct bcct_hist_print *p);
/* Section label for maps keyed by a u32 PID or TID: BCC's "pid = 1234 bash" ("1234" alone when
 * the task is gone). */
void hist_label_pid(const void *key, char *buf, size_t len);
/* Section label for maps whose key begins with a kernel function's address (u64): its name
 * ("blk_mq_timeout_work"), or the address in hex when no symbol covers it. */
void hist_label_ksym(const void *key, char *buf, size_t len);
/* Its JSON: "pid":1234,"comm":"bash" (key_name "pid" or "tid"; comm "" when the task is gone). */
void hist_json_pid(const void *key, const char *key_name);
/* Sections keyed by a task's comm (a key beginning with char comm[16]: bitesize, seeksize): the
 * name as the label, "comm" in JSON, sorted by name. */
void hist_label_comm(const void *key, char *buf, size_t len);
void hist_json_comm(const void *key, const char *key_name);
int hist_cmp_comm(const void *a, const void *b);
/* BCC's "avg = A unit, total: T unit, count: N" line after a histogram, or the interval's JSON
 * member "summary":{"unit","avg","total","count"}; nothing when count is 0. */
void hist_print_summary(const char *unit, unsigned long long total, unsigned long long count);
/* -e of biolatency and cpudist: hist_print_summary from a one-element array map of struct
 * bcct_hist_ext (bpf/hist_ext.bpf.h), which is then cleared. Nothing when it counted nothing. */
void hist_print_ext(struct bpf_map *map, const char *unit);
#endif
