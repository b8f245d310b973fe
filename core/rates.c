/* Per-second counter rows; see rates.h. */
#include "core/rates.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/sys/sys.h"

int rates_row_begin(struct bpf_map *map, const char *const *keys, unsigned long long *n,
		    unsigned int count, long interval)
{
	char ts[16];

	if (bcct_counters_take(map, n, count))
		return -1;
	if (interval < 1)
		interval = 1;
	out_begin();
	/* BCC: "%-8s: " then " %8d" per counter, i.e. two spaces before the first. */
	out_str("ts", "%-8s:", sys_time_of_day(ts, sizeof(ts)));
	for (unsigned int i = 0; i < count; i++)
		out_uint(keys[i], i ? "%8llu" : " %8llu", n[i] / interval);
	return 0;
}
