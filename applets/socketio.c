/* socketio (BPF Performance Tools, ch. 10): socket reads and writes counted, with their bytes,
 * per process, direction and socket protocol, as the book's socketio.bt (its @io and @bytes maps
 * as one table). The socket I/O object bpf/sockio.bpf.c. */
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "sockio.h"
#include "sockio.skel.h"

BCCT_SKELETON(sockio_bpf);

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static int print(void *p, bool final)
{
	struct sockio_bpf *s = p;
	struct bcct_entries e;

	out_interval_begin();
	out_header("%-16s %-7s %-5s %-8s %8s %12s", "COMM", "PID", "DIR", "PROTO", "COUNT", "BYTES");
	if (bcct_map_collect(s->maps.io, &e) < 0)
		return BCCT_EXIT_FAIL;
	bcct_entries_sort_by_count(&e, true);
	out_list("rows");
	for (size_t i = 0; i < e.n; i++) {
		const struct sockio_io_key *k = bcct_entry_key(&e, i);
		const struct sockio_io_value *v = bcct_entry_value(&e, i);

		out_begin();
		out_str("comm", "%-16s", k->comm);
		out_int("pid", "%-7lld", k->pid);
		out_str("dir", "%-5s", k->dir == SOCKIO_WRITE ? "write" : "read");
		out_str("proto", "%-8s", k->name);
		out_uint("count", "%8llu", v->count);
		out_uint("bytes", "%12llu", v->bytes);
		out_end();
	}
	bcct_entries_free(&e);
	return bcct_map_clear(s->maps.io) ? BCCT_EXIT_FAIL : 0;
}

static int configure(void *p)
{
	struct sockio_bpf *s = p;

	s->rodata->mode = SOCKIO_SOCKETIO;
	sock_programs_only(p, BCCT_NAMES("read_", "write_"));
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing socket I/O... Hit Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(socketio,
	.category = "network",
	.summary = "Socket reads and writes with bytes, by process and protocol (book)",
	.description =
	"Counts socket reads and writes and sums their bytes per process, direction and the\n"
	"socket's protocol (\"TCP\", \"UDPv6\", \"UNIX\"): kprobes and kretprobes on sock_read_iter\n"
	"and sock_write_iter (read(2), write(2) and their vector forms), as the book's\n"
	"socketio.bt. " SOCK_IO_FALLBACK_NOTE,
	.examples =
	"    socketio          # socket I/O by process and protocol until Ctrl-C\n"
	"    socketio 1 5      # print every second, 5 times\n"
	"    socketio -p 181   # only PID 181\n",
	.opts = opts,
	.skeleton = &sockio_bpf__skeleton,
	.optional_probes = SOCK_IO_OPTIONAL,
	.fallback = SOCK_IO_FALLBACK,
	.falls_back = sock_io_falls_back,
	.run = run);
