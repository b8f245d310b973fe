/* Histogram printing; see hist.h.
 *
 * Text output matches BCC's src/python/bcc/table.py (_print_log2_hist, _print_linear_hist,
 * _stars, and the "\n%s = %s" section line of print_log2_hist/print_linear_hist):
 * - idx_max (last non-empty slot) and val_max (largest count) are taken over every slot passed,
 *   log2 slot 0 included even though it is never printed.
 * - log2: nothing at all unless idx_max > 0; otherwise the header, then slots 1..idx_max, empty
 *   ones included. Slot i spans [2^(i-1), 2^i - 1], except slot 1 which reads "0 -> 1" (BCC
 *   turns low == high into low - 1). idx_max <= 32 uses the 10-digit layout with 40-star bars;
 *   above that the 20-digit layout with 20-star bars.
 * - linear: nothing unless some slot is non-empty; otherwise the header and slots 0..idx_max.
 * - bar: min(width, floor(width * val / val_max)) stars, left-aligned and space-padded to width;
 *   when val > val_max the last star becomes '+' (BCC keeps this rule in _stars, but its
 *   printers always pass the real maximum, so it never fires there; kept for fidelity).
 *   Python 3 computes width * val / val_max in floating point; we compute it exactly. The two
 *   can only differ by one star when counts exceed about 2^47.
 * - BCC's strip_leading_zero option is not implemented: no BCC tool that bcct rebuilds uses it.
 * - BCC accepts up to 65 log2 slots (log2_index_max); slots past index 64 are ignored here
 *   because their bounds would not fit in 64 bits. */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include "core/hist.h"
#include "core/opts.h"
#include "core/output.h"

#define STARS_MAX 40
#define LOG2_INDEX_MAX 65   /* slots 0..64: enough for any u64 value */

/* Index of the last non-empty slot (-1 if none) and the largest count. */
static int last_nonempty(const uint64_t *slots, int nslots, uint64_t *val_max)
{
	int idx_max = -1;

	*val_max = 0;
	for (int i = 0; i < nslots; i++) {
		if (slots[i] > 0)
			idx_max = i;
		if (slots[i] > *val_max)
			*val_max = slots[i];
	}
	return idx_max;
}

static int first_nonempty(const uint64_t *slots, int from, int nslots)
{
	for (int i = from; i < nslots; i++)
		if (slots[i] > 0)
			return i;
	return -1;
}

/* Writes the bar between the '|' characters: BCC's _stars() padded to width. */
static void print_bar(FILE *out, uint64_t val, uint64_t val_max, int width)
{
	char bar[STARS_MAX + 1];
	unsigned __int128 scaled = (unsigned __int128)width * val / val_max;
	int n = scaled > (unsigned)width ? width : (int)scaled;

	for (int i = 0; i < n; i++)
		bar[i] = '*';
	if (val > val_max) {
		if (n == 0)
			n = 1;
		bar[n - 1] = '+';
	}
	bar[n] = '\0';
	fprintf(out, "|%-*s|\n", width, bar);
}

static void log2_bounds(int slot, uint64_t *low, uint64_t *high)
{
	*high = slot >= 64 ? UINT64_MAX : (1ULL << slot) - 1;
	*low = 1ULL << (slot - 1);
	if (*low == *high)      /* slot 1 also counts zeros */
		*low -= 1;
}

void hist_print_log2(FILE *out, const uint64_t *slots, int nslots, const char *val_type)
{
	uint64_t val_max, low, high;
	int idx_max, digits, width;

	if (nslots > LOG2_INDEX_MAX)
		nslots = LOG2_INDEX_MAX;
	idx_max = last_nonempty(slots, nslots, &val_max);
	if (idx_max <= 0)
		return;
	if (idx_max <= 32) {
		fprintf(out, "     %-19s : count     distribution\n", val_type);
		digits = 10;
		width = STARS_MAX;
	} else {
		fprintf(out, "               %-29s : count     distribution\n", val_type);
		digits = 20;
		width = STARS_MAX / 2;
	}
	for (int i = 1; i <= idx_max; i++) {
		log2_bounds(i, &low, &high);
		fprintf(out, "%*llu -> %-*llu : %-8llu ", digits, (unsigned long long)low, digits,
			(unsigned long long)high, (unsigned long long)slots[i]);
		print_bar(out, slots[i], val_max, width);
	}
}

void hist_print_linear(FILE *out, const uint64_t *slots, int nslots, const char *val_type)
{
	uint64_t val_max;
	int idx_max = last_nonempty(slots, nslots, &val_max);

	if (idx_max < 0)
		return;
	fprintf(out, "     %-13s : count     distribution\n", val_type);
	for (int i = 0; i <= idx_max; i++) {
		fprintf(out, "        %-10d : %-8llu ", i, (unsigned long long)slots[i]);
		print_bar(out, slots[i], val_max, STARS_MAX);
	}
}

void hist_print_section(FILE *out, const char *section, const char *value)
{
	fprintf(out, "\n%s = %s\n", section, value ? value : "");
}

/* "unit" and "buckets" members: one {"low":..,"high":..,"count":..} per slot from the first to
 * the last non-empty one. */
static void json_buckets(const uint64_t *slots, int first, int nslots, const char *val_type,
			 bool log2, uint64_t base, uint64_t step)
{
	uint64_t val_max, low, high;
	int start = first_nonempty(slots, first, nslots);
	int end = last_nonempty(slots, nslots, &val_max);

	json_str("unit", val_type);
	json_begin_array("buckets");
	for (int i = start; start >= 0 && i <= end; i++) {
		if (log2) {
			log2_bounds(i, &low, &high);
		} else {
			low = base + (uint64_t)i * step;
			high = low + step - 1;
		}
		json_begin_object(NULL);
		json_uint("low", low);
		json_uint("high", high);
		json_uint("count", slots[i]);
		json_end_object();
	}
	json_end_array();
}

void hist_json_log2(const uint64_t *slots, int nslots, const char *val_type)
{
	/* Slot 0 is skipped as in the text output: it has no range of its own. */
	json_buckets(slots, 1, nslots > LOG2_INDEX_MAX ? LOG2_INDEX_MAX : nslots, val_type, true, 0, 1);
}

void hist_json_linear(const uint64_t *slots, int nslots, const char *val_type)
{
	json_buckets(slots, 0, nslots, val_type, false, 0, 1);
}

void hist_print_linear_step(FILE *out, const uint64_t *slots, int nslots, unsigned long long base,
			    unsigned long long step, const char *val_type)
{
	uint64_t val_max;
	int idx_max = last_nonempty(slots, nslots, &val_max);

	if (idx_max < 0)
		return;
	fprintf(out, "     %-13s : count     distribution\n", val_type);
	for (int i = first_nonempty(slots, 0, nslots); i <= idx_max; i++) {
		if (!slots[i])
			continue;
		fprintf(out, "        %-10llu : %-8llu ", base + i * step, (unsigned long long)slots[i]);
		print_bar(out, slots[i], val_max, STARS_MAX);
	}
}

void hist_json_linear_step(const uint64_t *slots, int nslots, unsigned long long base,
			   unsigned long long step, const char *val_type)
{
	json_buckets(slots, 0, nslots, val_type, false, base, step);
}

static void emit(bool log2, const char *section, const char *value, const uint64_t *slots,
		 int nslots, const char *val_type)
{
	if (env.json) {
		out_list("hists");
		json_begin_object(NULL);
		if (section)
			json_str(section, value);
		if (log2)
			hist_json_log2(slots, nslots, val_type);
		else
			hist_json_linear(slots, nslots, val_type);
		json_end_object();
		return;
	}
	if (section)
		hist_print_section(stdout, section, value);
	if (log2)
		hist_print_log2(stdout, slots, nslots, val_type);
	else
		hist_print_linear(stdout, slots, nslots, val_type);
	fflush(stdout);                 /* interval output must reach pipes promptly */
}

void hist_emit_log2(const char *section, const char *value, const uint64_t *slots, int nslots,
		    const char *val_type)
{
	emit(true, section, value, slots, nslots, val_type);
}

void hist_emit_linear(const char *section, const char *value, const uint64_t *slots, int nslots,
		      const char *val_type)
{
	emit(false, section, value, slots, nslots, val_type);
}

void hist_print_summary(const char *unit, unsigned long long total, unsigned long long count)
{
	if (!count)
		return;
	if (env.json) {
		out_member_begin("summary");
		json_str("unit", unit);
		json_uint("avg", total / count);
		json_uint("total", total);
		json_uint("count", count);
		json_end_object();
		return;
	}
	printf("\navg = %llu %s, total: %llu %s, count: %llu\n\n", total / count, unit, total, unit,
	       count);
}

void hist_print_bcc_json(const char *section, const char *value, const uint64_t *slots,
			 int nslots, const char *val_type)
{
	uint64_t val_max, low, high;
	int end;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	if (nslots > LOG2_INDEX_MAX)
		nslots = LOG2_INDEX_MAX;
	end = last_nonempty(slots, nslots, &val_max);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", localtime_r(&now, &tm));
	printf("{\"ts\": \"%s\", \"val_type\": ", ts);
	json_write_string(val_type);
	fputs(", \"data\": [", stdout);
	for (int i = 1; i <= end; i++) {
		log2_bounds(i, &low, &high);
		printf("%s{\"interval-start\": %llu, \"interval-end\": %llu, \"count\": %llu}",
		       i > 1 ? ", " : "", (unsigned long long)low, (unsigned long long)high,
		       (unsigned long long)slots[i]);
	}
	putchar(']');
	if (section) {
		fputs(", ", stdout);
		json_write_string(section);
		fputs(": ", stdout);
		json_write_string(value);
	}
	fputs("}\n", stdout);
	fflush(stdout);
}

void hist_widen(uint64_t *dst, const uint32_t *src, int n)
{
	for (int i = 0; i < n; i++)
		dst[i] = src[i];
}
