/* libFuzzer target: /tmp/perf-PID.map parsing (symbolize/perfmap.c) through its buffer-level
 * entry points: the input is split at a line end near its middle; the first part becomes a map
 * (sym_perf_map_from_buffer), is looked up, then the rest is appended (sym_perf_map_add_buffer,
 * the incremental parse and re-index a growing map goes through) and looked up again. Names
 * handed out before the append must stay readable after it. */
#include "symbolize/internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *probe(struct sym_perf_map *m, const uint8_t *data, size_t size)
{
	struct bcct_sym s;
	const char *kept = NULL;
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
		uint64_t a;
		memcpy(&a, data + i, 8);
		if (sym_perf_map_lookup(m, a, &s) && s.name) {
			(void)strlen(s.name);
			kept = s.name;
		}
	}
	static const uint64_t fixed[] = {0, 1, 0x1000, 0x7f0000000000, 0x7fffffffffff,
					 UINT64_MAX - 1, UINT64_MAX};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (sym_perf_map_lookup(m, fixed[i], &s) && s.name) {
			if (s.offset > fixed[i])
				abort();
			(void)strlen(s.name);
			kept = s.name;
		}
	/* Addresses the input names: the start of each line's range resolves (to some entry). */
	const char *p = (const char *)data, *end = p + size;
	for (int lines = 0; p < end && lines < 32; lines++) {
		char hex[20];
		size_t n = 0;
		while (p < end && n < sizeof(hex) - 1 && *p != ' ' && *p != '\n')
			hex[n++] = *p++;
		hex[n] = '\0';
		uint64_t a = strtoull(hex, NULL, 16);
		if (sym_perf_map_lookup(m, a, &s) && s.name) {
			(void)strlen(s.name);
			kept = s.name;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return kept;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t first = size / 2;
	while (first < size && data[first] != '\n') /* split at a line end when there is one */
		first++;
	if (first < size)
		first++; /* the newline ends the first part */
	struct sym_perf_map *m = sym_perf_map_from_buffer((const char *)data, first);
	if (!m)
		return 0;
	const char *kept = probe(m, data, size);
	char copy[64] = "";
	if (kept)
		snprintf(copy, sizeof(copy), "%s", kept);
	if (first < size) {
		if (!sym_perf_map_add_buffer(m, (const char *)data + first, size - first)) {
			sym_perf_map_free(m);
			return 0;
		}
		(void)probe(m, data, size);
		/* Text once parsed is kept: a name handed out before the append is unchanged. */
		if (kept && strncmp(kept, copy, sizeof(copy) - 1) != 0)
			abort();
	}
	sym_perf_map_free(m);
	return 0;
}
