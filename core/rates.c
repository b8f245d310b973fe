/* Per-second counter rows; see rates.h. */
#include "core/rates.h"
#include "core/maps.h"
#include "core/output.h"

int rates_row_begin(struct bpf_map *map, const char *const *keys, unsigned long long *n,
		    unsigned int count, long interval)
{
	if (bcct_counters_take(map, n, count))
		return -1;
	if (interval < 1)
		interval = 1;
	/* JSON: the counters are members of the interval object, which has the time. */
	out_begin_members();
	/* BCC: "%-8s: " then " %8d" per counter, i.e. two spaces before the first. */
	out_time_fmt("time", "%-8s:");
	for (unsigned int i = 0; i < count; i++)
		out_uint(keys[i], i ? "%8llu" : " %8llu", n[i] / interval);
	return 0;
}
