/* Pieces shared by the symbolize sources; not part of the public API. */
#ifndef BCCT_SYMBOLIZE_INTERNAL_H
#define BCCT_SYMBOLIZE_INTERNAL_H
#include <stdint.h>
#include <stddef.h>

/* Among symbols at the same address, prefer the one a human would call the function:
 * fewer leading underscores wins ("printf" over "_IO_printf", "schedule" over "__schedule"
 * aliases). Returns <0 if a is preferred, >0 if b is, 0 if equal. */
static inline int sym_name_preference(const char *a, const char *b)
{
	size_t ua = 0, ub = 0;
	while (a[ua] == '_')
		ua++;
	while (b[ub] == '_')
		ub++;
	return (ua > ub) - (ua < ub);
}

/* Reads a whole file of unknown size (procfs reports 0) into a NUL-terminated malloc'd buffer.
 * Returns NULL on error; *len_out gets the length without the terminator. */
char *sym_read_file(const char *path, size_t *len_out);

#endif
