/* The unit tests' shared harness: pass/fail counters and CHECK(cond, printf-format, ...), which
 * counts a pass or prints "FAIL file:line: message" to stderr. Each test prints its own summary
 * line ("NAME: N passed, N failed") and exits 1 when anything failed. */
#ifndef BCCT_TEST_CHECK_H
#define BCCT_TEST_CHECK_H
#include <stdio.h>

static int passed, failed;

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
#endif
