/* Histogram maps to text/JSON: the collect-sort-print-clear loop every histogram tool shares,
 * with the section labels and the -e summary line several of them print. */
#include <stdio.h>
#include <bpf/libbpf.h>
#include "bcct.h"
#include "core/hist.h"
#include "core/sys/sys.h"
#include "core/opts.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"

/* qsort has no context argument: the key size of the map being sorted. */
static size_t sort_key_size;

static int default_cmp(const void *a, const void *b)
{
	return bcct_key_cmp(a, b, sort_key_size);
}

int hist_print_map(struct bpf_map *map, const struct bcct_hist_print *p)
{
	struct bcct_entries e;

	if (bcct_map_collect(map, &e) < 0)
		return -1;
	sort_key_size = e.key_size;
	bcct_entries_sort(&e, p->cmp ? p->cmp : default_cmp);
	for (size_t i = 0; i < e.n; i++) {
		const struct bcct_hist *h = bcct_entry_value(&e, i);
		uint64_t slots[BCCT_MAX_SLOTS];
		char label[256] = "";

		if (p->section) {
			if (p->label)
				p->label(bcct_entry_key(&e, i), label, sizeof(label));
			else
				bcct_key_label(bcct_entry_key(&e, i), e.key_size, label, sizeof(label));
		}
		hist_widen(slots, h->slots, BCCT_MAX_SLOTS);
		if (p->linear)
			hist_emit_linear(p->section, p->section ? label : NULL, slots, BCCT_MAX_SLOTS, p->unit);
		else
			hist_emit_log2(p->section, p->section ? label : NULL, slots, BCCT_MAX_SLOTS, p->unit);
	}
	bcct_entries_free(&e);
	if (p->clear)
		bcct_map_clear(map);
	return 0;
}

void hist_label_pid(const void *key, char *buf, size_t len)
{
	char comm[32];
	unsigned int pid = *(const unsigned int *)key;

	if (*sys_pid_comm(pid, comm, sizeof(comm)))
		snprintf(buf, len, "%u %s", pid, comm);
	else
		snprintf(buf, len, "%u", pid);
}

void hist_print_ext(struct bpf_map *map, const char *unit)
{
	struct bcct_hist_ext v = { 0, 0 };
	unsigned int zero = 0;

	/* Unreadable reads as empty: nothing to print. */
	bpf_map__lookup_elem(map, &zero, sizeof(zero), &v, sizeof(v), 0);
	bcct_map_clear(map);
	if (!v.count)
		return;
	if (env.json) {
		json_begin_object(NULL);
		json_str("unit", unit);
		json_uint("avg", v.total / v.count);
		json_uint("total", v.total);
		json_uint("count", v.count);
		json_end_object();
		return;
	}
	printf("\navg = %llu %s, total: %llu %s, count: %llu\n\n", v.total / v.count, unit, v.total,
	       unit, v.count);
}
