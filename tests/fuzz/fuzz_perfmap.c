/* libFuzzer target: /tmp/perf-PID.map parsing (symbolize/perfmap.c). perfmap.c reads the map
 * only from a file (sym_perf_map_new(pid, nspid) then lookups), so each input is written to
 * /tmp/perf-PID.map for a pid above any pid_max (no /proc/PID/root exists for it) in two
 * steps: the first part, lookups, then the rest appended, lookups again (the incremental
 * reload a growing map goes through). A buffer-level parser would make this faster; see
 * tests/fuzz/README.md. */
#include "symbolize/internal.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pid_t fake_pid;
static char path[64];

static void write_part(const uint8_t *data, size_t len, bool append)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
	if (fd < 0)
		return;
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n <= 0)
			break;
		data += n;
		len -= (size_t)n;
	}
	close(fd);
	/* perfmap.c notices changes by size and mtime: make the mtime differ for sure. */
	struct timespec t[2] = {{0, UTIME_OMIT}, {0, 0}};
	clock_gettime(CLOCK_REALTIME, &t[1]);
	t[1].tv_nsec = (t[1].tv_nsec + (append ? 1 : 0)) % 1000000000;
	utimensat(AT_FDCWD, path, t, 0);
}

static void probe(struct sym_perf_map *m, const uint8_t *data, size_t size)
{
	struct bcct_sym s;
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
		uint64_t a;
		memcpy(&a, data + i, 8);
		if (sym_perf_map_lookup(m, a, &s) && s.name)
			(void)strlen(s.name);
	}
	static const uint64_t fixed[] = {0, 1, 0x1000, 0x7f0000000000, 0x7fffffffffff,
					 UINT64_MAX - 1, UINT64_MAX};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (sym_perf_map_lookup(m, fixed[i], &s) && s.name)
			(void)strlen(s.name);
}

static void cleanup(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fake_pid) {
		fake_pid = (pid_t)(1000000000 + getpid() % 100000000);
		snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)fake_pid);
		atexit(cleanup);
	}
	size_t first = size / 2;
	while (first < size && data[first] != '\n') /* split at a line end when there is one */
		first++;
	write_part(data, first, false);
	struct sym_perf_map *m = sym_perf_map_new(fake_pid, fake_pid);
	if (!m)
		return 0;
	probe(m, data, size);
	if (first < size) {
		write_part(data + first, size - first, true);
		probe(m, data, size);
	}
	sym_perf_map_free(m);
	return 0;
}
