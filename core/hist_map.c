/* Histogram maps to text/JSON: the collect-sort-print-clear loop every histogram tool shares. */
#include <string.h>
#include <bpf/libbpf.h>
#include "bcct.h"
#include "core/hist.h"
#include "core/run.h"

static size_t sort_key_size;

/* Keys compare as unsigned integers when they are 4 or 8 bytes, else bytewise. */
static int default_cmp(const void *a, const void *b)
{
	if (sort_key_size == 4) {
		unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;
		return x < y ? -1 : x > y;
	}
	if (sort_key_size == 8) {
		unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
		return x < y ? -1 : x > y;
	}
	return memcmp(a, b, sort_key_size);
}

static void default_label(const void *key, size_t ks, char *buf, size_t len)
{
	if (ks == 8)
		snprintf(buf, len, "%llu", *(const unsigned long long *)key);
	else if (ks == 4)
		snprintf(buf, len, "%u", *(const unsigned int *)key);
	else
		snprintf(buf, len, "%.*s", (int)ks, (const char *)key);
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
				default_label(bcct_entry_key(&e, i), e.key_size, label, sizeof(label));
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
