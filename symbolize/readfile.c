/* Whole-file reads for procfs files, whose size stat() reports as 0. */
#include "symbolize/internal.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

char *sym_read_file(const char *path, size_t *len_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (cap - len < 4096) {
			/* Double so a 6 MB kallsyms costs a handful of reallocs, not thousands. */
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			free(buf);
			buf = NULL;
		} else if (n == 0) {
			buf[len] = '\0';
			break;
		} else {
			len += (size_t)n;
		}
	}
	close(fd);
	if (buf && len_out)
		*len_out = len;
	return buf;
}
