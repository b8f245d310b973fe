/* core/maps.c without a kernel: bcct_entries_sort_by_count orders (key, u64 count) entries as
 * bcct_map_collect lays them out (key padded to 8 bytes, then the value), descending or
 * ascending, whatever the key's size. */
#include <stdint.h>
#include <string.h>
#include "core/maps.h"
#include "check.h"

/* n entries of a 5-byte key (its first byte the label) and a count. */
static void fill(struct bcct_entries *e, unsigned char *data, const char *labels,
		 const uint64_t *counts, size_t n)
{
	*e = (struct bcct_entries){ .n = n, .key_size = 5, .value_size = 8, .stride = 16, .data = data };
	memset(data, 0, n * 16);
	for (size_t i = 0; i < n; i++) {
		data[i * 16] = labels[i];
		memcpy(data + i * 16 + 8, &counts[i], 8);
	}
}

static void order(const struct bcct_entries *e, char *out)
{
	for (size_t i = 0; i < e->n; i++)
		out[i] = *(const char *)bcct_entry_key(e, i);
	out[e->n] = 0;
}

int main(int argc, char **argv)
{
	const uint64_t counts[] = { 3, 1ULL << 40, 7, 1 };
	unsigned char data[4 * 16];
	struct bcct_entries e;
	char got[8];

	check_init(argc, argv);
	fill(&e, data, "abcd", counts, 4);
	bcct_entries_sort_by_count(&e, true);
	order(&e, got);
	CHECK_STR("descending, counts above 32 bits", got, "bcad");
	fill(&e, data, "abcd", counts, 4);
	bcct_entries_sort_by_count(&e, false);
	order(&e, got);
	CHECK_STR("ascending", got, "dacb");
	return check_summary("maps");
}
