/* Core-internal: what run.c, attach.c and loop.c share. Not for applets (they use run.h). */
#ifndef BCCT_RUNTIME_H
#define BCCT_RUNTIME_H
#include "core/run.h"

struct bpf_program;
struct ring_buffer;
struct perf_buffer;

/* The stack of core's helper threads (link release, kallsyms warm-up): they call little. */
#define HELPER_STACK (256 * 1024)

/* attach.c: every link and fd made for this run, released by release_attachments(), or begun
 * in the background by release_attachments_start() when the measurement is over. */
size_t attachment_count(void);
void release_attachments_start(void);
void release_attachments(void);
/* Software cpu-clock sampling on the online CPUs r asks for. */
int attach_perf_sampling(struct bpf_program *prog, const struct bcct_run *r);
/* Before load: programs in SEC("uprobe.multi") / SEC("uretprobe.multi") (an applet's, attached
 * with bcct_attach_uprobe) load for uprobe_multi links when the kernel has them, else as plain
 * uprobes. A perf-event uprobe waits in its release for the kernel's uprobe unregistration,
 * serially with every other one (about 100 ms each here: sslsniff's 22 took 2 s after Ctrl-C);
 * uprobe_multi links release in about the time of one. */
struct bpf_object;
void bcct_uprobe_multi_or_perf(struct bpf_object *obj);

/* loop.c: the event loop until Ctrl-C, -d, the interval count or bcct_stop(). lost_map is the
 * skeleton's `lost` per-CPU counter (NULL without). Returns 0, or -1 after a message. */
int run_loop(const struct bcct_run *r, void *ctx, struct bpf_map *lost_map, int events_fd);
/* Called before attaching, so a Ctrl-C during a slow attach ends the run cleanly. */
void loop_catch_signals(void);
void loop_restore_signals(void);
bool loop_stopping(void);
#endif
