/* Totals maps as sorted two-column tables; see table.h. */
#include <stdio.h>
#include <string.h>
#include "core/maps.h"
#include "core/opts.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "pidcomm.h"

int bcct_key_cmp(const void *a, const void *b, size_t key_size)
{
	if (key_size == 4) {
		unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;
		return x < y ? -1 : x > y;
	}
	if (key_size == 8) {
		unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
		return x < y ? -1 : x > y;
	}
	return memcmp(a, b, key_size);
}

void bcct_key_label(const void *key, size_t key_size, char *buf, size_t len)
{
	if (key_size == 8)
		snprintf(buf, len, "%llu", *(const unsigned long long *)key);
	else if (key_size == 4)
		snprintf(buf, len, "%u", *(const unsigned int *)key);
	else
		snprintf(buf, len, "%.*s", (int)key_size, (const char *)key);
}

/* qsort has no context argument: the layout and order of the entries being sorted. */
static _Thread_local const struct bcct_entries *sorting;
static _Thread_local bool sorting_descending;

static unsigned long long total_of(const struct bcct_entries *e, const void *entry)
{
	const unsigned char *v = (const unsigned char *)entry + ((e->key_size + 7) & ~(size_t)7);

	if (e->value_size == 4)
		return *(const unsigned int *)v;
	return *(const unsigned long long *)v;
}

static int by_total(const void *a, const void *b)
{
	unsigned long long x = total_of(sorting, a), y = total_of(sorting, b);

	if (x != y)
		return (x < y) != sorting_descending ? -1 : 1;
	return bcct_key_cmp(a, b, sorting->key_size);
}

int table_print_totals(struct bpf_map *map, const struct bcct_table *t)
{
	unsigned long long div = t->divisor ? t->divisor : 1;
	char key_name[64], value_name[64], key_fmt[16], value_fmt[16];
	struct bcct_entries e;

	if (bcct_map_collect(map, &e) < 0)
		return -1;
	if (e.value_size != 4 && e.value_size != 8) {
		bcct_entries_free(&e);
		return -1;
	}
	sorting = &e;
	sorting_descending = t->descending;
	bcct_entries_sort(&e, by_total);
	out_json_key(key_name, sizeof(key_name), t->key_header);
	out_json_key(value_name, sizeof(value_name), t->value_header);
	snprintf(key_fmt, sizeof(key_fmt), "%%-%ds", t->key_width);
	snprintf(value_fmt, sizeof(value_fmt), "%%%dllu", t->value_width);
	out_header("%-*s %*s", t->key_width, t->key_header, t->value_width, t->value_header);
	out_list("rows");               /* JSON: present, if empty, in every interval */
	for (size_t i = 0; i < e.n; i++) {
		const void *key = bcct_entry_key(&e, i);
		char label[256];

		if (t->label)
			t->label(key, label, sizeof(label));
		else
			bcct_key_label(key, e.key_size, label, sizeof(label));
		out_begin();
		out_str(key_name, key_fmt, label);
		out_uint(value_name, value_fmt, total_of(&e, key) / div);
		out_end();
	}
	bcct_entries_free(&e);
	if (t->clear)
		return bcct_map_clear(map);
	return 0;
}

/* One of the two row callbacks of the count and value tables. */
static int print_sorted(struct bpf_map *map, void (*count_row)(const void *, unsigned long long),
			void (*value_row)(const void *, const void *), bool clear)
{
	struct bcct_entries e;

	if (bcct_map_collect(map, &e) < 0)
		return -1;
	bcct_entries_sort_by_count(&e, true);
	out_list("rows");
	for (size_t i = 0; i < e.n; i++) {
		const void *key = bcct_entry_key(&e, i), *value = bcct_entry_value(&e, i);

		if (count_row)
			count_row(key, *(const unsigned long long *)value);
		else
			value_row(key, value);
	}
	bcct_entries_free(&e);
	return clear ? bcct_map_clear(map) : 0;
}

int table_print_counts(struct bpf_map *map, void (*row)(const void *key, unsigned long long count),
		       bool clear)
{
	return print_sorted(map, row, NULL, clear);
}

int table_print_values(struct bpf_map *map, void (*row)(const void *key, const void *value),
		       bool clear)
{
	return print_sorted(map, NULL, row, clear);
}

static void pid_comm_row(const void *key, unsigned long long count)
{
	const struct pidcomm_key *k = key;

	out_begin();
	out_str("comm", "%-16s ", k->comm);
	out_uint("pid", "%-7llu ", k->pid);
	out_uint("count", "%llu", count);
	out_end();
}

int table_print_pid_comm_counts(struct bpf_map *map, bool clear)
{
	out_header("%-16s %-7s %s", "COMM", "PID", "COUNT");
	return table_print_counts(map, pid_comm_row, clear);
}
