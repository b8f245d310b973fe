/* The unit tests' one harness. Every tests/unit/test_*.c includes it and uses:
 *
 *   CHECK(cond, printf-format, ...)   a pass, or "FAIL file:line: message" on stderr
 *   CHECK_STR(test, got, want)        strings equal, else both printed
 *   CHECK_GOLDEN(name, got)           got equals tests/unit/golden/<name>, else both printed;
 *                                     BCCT_UPDATE_GOLDEN=1 rewrites the file from got instead
 *   SKIP(what, printf-format, ...)    a part that cannot run here, with the reason, on stderr
 *   check_init(argc, argv)            first in main(): finds the golden directory
 *   return check_summary("NAME");     last in main(): "NAME: N passed, N failed[, N skipped]"
 *                                     on stdout (tests/run shows that line), 1 if anything failed
 *
 * The golden directory is SOURCE_ROOT/tests/unit/golden, SOURCE_ROOT being argv[1], else
 * $BCCT_SRC (tests/run sets it), else the directory this header was compiled from. */
#ifndef BCCT_TEST_CHECK_H
#define BCCT_TEST_CHECK_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK_UNUSED __attribute__((unused))

static int passed, failed, skipped;
static char check_golden_dir[4096];

#define CHECK(cond, ...)                                                          \
	do {                                                                      \
		if (cond) {                                                       \
			passed++;                                                 \
		} else {                                                          \
			failed++;                                                 \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
			fprintf(stderr, __VA_ARGS__);                             \
			fputc('\n', stderr);                                      \
		}                                                                 \
	} while (0)

#define SKIP(what, ...)                                                           \
	do {                                                                      \
		skipped++;                                                        \
		fprintf(stderr, "SKIP %s: ", what);                               \
		fprintf(stderr, __VA_ARGS__);                                     \
		fputc('\n', stderr);                                              \
	} while (0)

#define CHECK_STR(test, got, want) check_str_at(__FILE__, __LINE__, test, got, want)
#define CHECK_GOLDEN(name, got) check_golden_at(__FILE__, __LINE__, name, got)

/* The whole file, NUL-terminated, or NULL when it cannot be opened. */
static CHECK_UNUSED char *check_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* tests/unit/golden/<name>; golden files double as fixtures (e.g. tracepoint formats). */
static CHECK_UNUSED const char *check_golden_path(const char *name)
{
	static char path[8192];

	snprintf(path, sizeof(path), "%s/%s", check_golden_dir, name);
	return path;
}

static CHECK_UNUSED void check_str_at(const char *file, int line, const char *test,
				      const char *got, const char *want)
{
	if (want && got && strcmp(got, want) == 0) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "FAIL %s:%d: %s\n--- want:\n%s\n--- got:\n%s\n---\n", file, line, test,
		want ? want : "(none)", got ? got : "(none)");
}

static CHECK_UNUSED void check_golden_at(const char *file, int line, const char *name,
					 const char *got)
{
	const char *path = check_golden_path(name);
	const char *update = getenv("BCCT_UPDATE_GOLDEN");
	char *want;

	if (update && *update && strcmp(update, "0") != 0) {
		FILE *f = fopen(path, "w");

		if (!f || fputs(got, f) < 0 || fclose(f) != 0) {
			failed++;
			fprintf(stderr, "FAIL %s:%d: cannot rewrite %s\n", file, line, path);
			return;
		}
		fprintf(stderr, "note: rewrote %s\n", path);
	}
	want = check_slurp(path);
	if (!want)
		fprintf(stderr, "%s:%d: no golden file %s (BCCT_UPDATE_GOLDEN=1 writes it)\n", file,
			line, path);
	check_str_at(file, line, name, got, want);
	free(want);
}

/* What the code under test prints to stdout, captured through a temporary file:
 * check_capture_begin(), then the calls, then check_capture_end() (malloc'd text, never NULL). */
static int check_saved_stdout = -1;
static char check_capture_path[] = "/tmp/bcct-test-capture.XXXXXX";

static CHECK_UNUSED void check_capture_begin(void)
{
	int fd;

	fflush(stdout);
	strcpy(check_capture_path + strlen(check_capture_path) - 6, "XXXXXX");
	fd = mkstemp(check_capture_path);
	if (fd < 0)
		abort();
	check_saved_stdout = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	close(fd);
}

static CHECK_UNUSED char *check_capture_end(void)
{
	char *text;

	fflush(stdout);
	dup2(check_saved_stdout, STDOUT_FILENO);
	close(check_saved_stdout);
	text = check_slurp(check_capture_path);
	unlink(check_capture_path);
	return text ? text : strdup("");
}

/* JSON times change from run to run: "ts":"...", "ts": "..." (BCC's layout) and "ts_ns":N
 * become "TS" and 0, in place. */
static CHECK_UNUSED void check_mask_json_times(char *s)
{
	static const char *const keys[] = { "\"ts\":\"", "\"ts\": \"", "\"ts_ns\":" };

	for (int k = 0; k < 3; k++) {
		size_t klen = strlen(keys[k]);
		bool quoted = k < 2;

		for (char *p = s; (p = strstr(p, keys[k])); ) {
			char *v = p + klen, *end = v;

			while (*end && (quoted ? *end != '"' : *end >= '0' && *end <= '9'))
				end++;
			memmove(v + (quoted ? 2 : 1), end, strlen(end) + 1);
			memcpy(v, quoted ? "TS" : "0", quoted ? 2 : 1);
			p = v;
		}
	}
}

static CHECK_UNUSED void check_init(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : getenv("BCCT_SRC");

	if (root && *root) {
		snprintf(check_golden_dir, sizeof(check_golden_dir), "%s/tests/unit/golden", root);
	} else {
		const char *file = __FILE__;
		const char *slash = strrchr(file, '/');

		snprintf(check_golden_dir, sizeof(check_golden_dir), "%.*s/golden",
			 slash ? (int)(slash - file) : 1, slash ? file : ".");
	}
}

static CHECK_UNUSED int check_summary(const char *name)
{
	if (skipped)
		printf("%s: %d passed, %d failed, %d skipped (see above)\n", name, passed, failed,
		       skipped);
	else
		printf("%s: %d passed, %d failed\n", name, passed, failed);
	return failed ? 1 : 0;
}
#endif
