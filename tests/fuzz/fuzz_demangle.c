/* libFuzzer target: sym_demangle (symbolize/demangle.c, libiberty's C++ and Rust demanglers).
 * The input, NUL-terminated, with "_Z", "_R" and "_ZN" prefixes forced in turn so that most
 * inputs reach the demanglers; buffers of several sizes exercise truncation. */
#include "symbolize/demangle.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *s = malloc(size + 4);
	if (!s)
		return 0;
	static const char *const prefixes[] = {"", "_Z", "_R", "_ZN"};
	static char big[16384], small[16];
	for (int p = 0; p < 4; p++) {
		size_t k = strlen(prefixes[p]);
		memcpy(s, prefixes[p], k);
		memcpy(s + k, data, size);
		s[k + size] = '\0';
		const char *r = sym_demangle(s, big, sizeof(big));
		(void)strlen(r);
		r = sym_demangle(s, small, sizeof(small));
		if (strlen(r) >= sizeof(small) && r != s)
			abort(); /* a result in the buffer must fit it */
	}
	free(s);
	return 0;
}
