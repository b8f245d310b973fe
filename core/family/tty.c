/* Mirrored text: printing the events of bpf/mirror.bpf.h (ttysnoop, shellsnoop). */
#include "core/family/tty.h"
#include "core/opts.h"
#include "core/output.h"
#include "bpf/mirror.h"

int tty_mirror_event(void *ctx, const void *data, size_t size)
{
	const struct mirror_event *e = data;

	(void)ctx;
	if (size < MIRROR_EVENT_BASE || e->count > size - MIRROR_EVENT_BASE)
		return 0;
	if (env.json) {
		out_event_time(e->ts);
		out_begin();
		json_bytes("data", e->buf, e->count);
		out_end();
		return 0;
	}
	out_text_bytes(e->buf, e->count);
	return 0;
}
