/* Two-column tables of "key -> u64 total" BPF maps (hardirqs, softirqs: BCC's "HARDIRQ
 * TOTAL_usecs" listings), and the key order and labels every map printer shares. */
#ifndef BCCT_TABLE_H
#define BCCT_TABLE_H
#include <stdbool.h>
#include <stddef.h>

struct bpf_map;

/*
 * Text: a header "%-<key_width>s %<value_width>s" (not in --json), then one row per key with the
 * same widths. JSON: one object per row, {"ts":..., <key_header>:label, <value_header>:total}
 * with both header names in lower case ("hardirq", "total_usecs").
 */
struct bcct_table {
	const char *key_header;        /* "HARDIRQ" */
	const char *value_header;      /* "TOTAL_usecs" */
	int key_width;                 /* left-aligned key column: 26 */
	int value_width;               /* right-aligned value column: 11 */
	/* Text of a key; default bcct_key_label (integer, or the key as a string). */
	void (*label)(const void *key, char *buf, size_t len);
	unsigned long long divisor;    /* totals are printed divided by this (ns -> us: 1000); 0 = 1 */
	bool descending;               /* largest total first; default smallest first, as BCC's
				        * hardirqs and softirqs */
	bool clear;                    /* empty the map after printing (interval output) */
};

/* Prints map (u32 or u64 values, per-CPU values summed) sorted by total, ties by key
 * (bcct_key_cmp). Returns 0, or -1 when the map cannot be read. */
int table_print_totals(struct bpf_map *map, const struct bcct_table *t);

/* Rows of a "key -> u64 count" map, largest count first (equal counts by key), one row() call
 * each inside the interval's JSON "rows" list; then the map is emptied when clear is set. The
 * applet's row() prints its columns with out_begin()..out_end(). 0, or -1 when the map cannot
 * be read. */
int table_print_counts(struct bpf_map *map, void (*row)(const void *key, unsigned long long count),
		       bool clear);

/* The same for maps whose values are structs beginning with the u64 they are sorted by (kmem's
 * total bytes, then its count): row() gets the whole value. */
int table_print_values(struct bpf_map *map, void (*row)(const void *key, const void *value),
		       bool clear);

/* Counts of a map keyed by struct pidcomm_key (bpf/pidcomm.h), as bcc's swapin prints them:
 * "%-16s %-7s %s" COMM PID COUNT (JSON rows comm, pid, count), largest first. */
int table_print_pid_comm_counts(struct bpf_map *map, bool clear);

/* Map keys in their default order: unsigned integers when 4 or 8 bytes long, else bytewise
 * (NUL-padded strings then sort as strings). */
int bcct_key_cmp(const void *a, const void *b, size_t key_size);
/* Default text of a key: the unsigned integer for 4 or 8 bytes, else the bytes up to the first
 * NUL (at most key_size). */
void bcct_key_label(const void *key, size_t key_size, char *buf, size_t len);
#endif
