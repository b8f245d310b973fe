/* libFuzzer target: the /proc/kallsyms parser (symbolize/kallsyms.c) through its buffer-level
 * entry points: kallsyms_parse_buffer() (the code sym_kernel runs on the file), then address
 * lookups (kallsyms_lookup, what sym_kernel does) and name lookups (kallsyms_addr, what
 * sym_kernel_addr does) on the table. */
#include "symbolize/internal.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* What sys_read_file hands over: a malloc'd copy with room for the terminator. */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct ksym_table t;
	(void)kallsyms_parse_buffer(buf, size, &t); /* takes buf */

	struct bcct_sym s;
	uint64_t addrs[8 + 5];
	size_t na = 0;
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8)
		memcpy(&addrs[na++], data + i, 8);
	static const uint64_t fixed[] = {0, 1, 0xffffffff81000000, 0xffffffffc0000000, UINT64_MAX};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		addrs[na++] = fixed[i];
	for (size_t i = 0; i < na; i++) {
		if (!kallsyms_lookup(&t, addrs[i], &s))
			continue;
		if (!s.name || !s.module || s.offset > addrs[i])
			abort();
		/* The name found is a symbol at addr - offset: the name lookup (lowest address of
		 * that name) finds it there or lower. */
		uint64_t at = kallsyms_addr(&t, s.name);
		if (at == 0 || at > addrs[i] - s.offset)
			abort();
		(void)strlen(s.module);
	}
	/* Name lookups: a name from the input, and names that are never there. */
	char name[32];
	size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	memcpy(name, data, n);
	name[n] = '\0';
	(void)kallsyms_addr(&t, name);
	(void)kallsyms_addr(&t, "");
	(void)kallsyms_addr(&t, "schedule");
	kallsyms_free(&t);
	return 0;
}
