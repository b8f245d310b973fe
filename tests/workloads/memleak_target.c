// bcct-dynamic-too: build/tests/workloads-dynamic/memleak_target allocates with libc.so.6 (memleak's default -O c)
/* memleak_target GOFILE: known leaks from known functions. Waits until GOFILE exists (memleak
 * has attached), then
 *   bcct_ml_leak_malloc_q7  malloc(3000) x 4, never freed          -> 12000 bytes in 4
 *   bcct_ml_leak_calloc_q7  calloc(10, 100) x 2, never freed       ->  2000 bytes in 2
 *   bcct_ml_leak_align_q7   posix_memalign(64, 512) x 3, never freed -> 1536 bytes in 3
 *   bcct_ml_tidy_q7         malloc, calloc, realloc, posix_memalign, aligned_alloc of other
 *                           sizes, every one freed                 -> nothing outstanding
 * then creates GOFILE.done and stays until GOFILE is removed (gofile.h), so that its symbols
 * are still in /proc/PID when memleak prints. Pointers are kept in a global so the compiler
 * keeps every call. */
#include <stdlib.h>
#include "gofile.h"

static void *volatile kept[64];
static int nkept;
static volatile int four = 4, two = 2, three = 3;   /* one call site per loop: never unrolled */

__attribute__((noinline)) void bcct_ml_leak_malloc_q7(void)
{
	for (int i = 0; i < four; i++)
		kept[nkept++] = malloc(3000);
}

__attribute__((noinline)) void bcct_ml_leak_calloc_q7(void)
{
	for (int i = 0; i < two; i++)
		kept[nkept++] = calloc(10, 100);
}

__attribute__((noinline)) void bcct_ml_leak_align_q7(void)
{
	for (int i = 0; i < three; i++) {
		void *p = NULL;

		if (!posix_memalign(&p, 64, 512))
			kept[nkept++] = p;
	}
}

/* Each pointer goes through `seen` (volatile): otherwise the compiler drops malloc/free pairs. */
static void *volatile seen;

__attribute__((noinline)) void bcct_ml_tidy_q7(void)
{
	for (int i = 0; i < 20; i++) {
		void *a = malloc(777), *b = calloc(3, 111), *c = aligned_alloc(64, 640), *d = NULL;
		void *e = malloc(100);

		seen = a;
		seen = b;
		seen = c;
		if (!posix_memalign(&d, 128, 256)) {
			seen = d;
			free(d);
		}
		seen = e;
		e = realloc(e, 5000);
		seen = e;
		free(a);
		free(b);
		free(c);
		free(e);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	gofile_wait(argv[1]);
	bcct_ml_tidy_q7();
	bcct_ml_leak_malloc_q7();
	bcct_ml_leak_calloc_q7();
	bcct_ml_leak_align_q7();
	bcct_ml_tidy_q7();
	gofile_done(argv[1]);
	return 0;
}
