/* Frame text as BCC prints it. */
#include "symbolize/symbolize.h"
#include <inttypes.h>
#include <stdio.h>

const char *sym_format(const struct bcct_sym *s, bool ok, bool with_offset, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (!ok || !s || !s->name)
		snprintf(buf, len, "[unknown]");
	else if (with_offset)
		snprintf(buf, len, "%s+0x%" PRIx64, s->name, s->offset);
	else
		snprintf(buf, len, "%s", s->name);
	return buf;
}
