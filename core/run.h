/* The runtime every applet hands over to: choose one program per logical probe, fill the shared
 * filter, load, attach through bpf_link, run the event loop (ring buffer or perf buffer, interval,
 * count, duration, signals), print, tear down. */
#ifndef BCCT_RUN_H
#define BCCT_RUN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/applet.h"
#include "core/btf.h"
#include "bcct.h"   /* struct bcct_filter, referenced by every skeleton's .rodata */

struct bpf_object;
struct bpf_program;
struct bpf_map;
struct bpf_link;

struct bpf_object_skeleton;

struct bcct_run {
	/* The opened (not loaded) skeleton: BCCT_SKEL(skel) fills both fields. Loading goes through
	 * the skeleton so skel->bss/data are the kernel-shared mappings afterwards. */
	struct bpf_object *obj;
	struct bpf_object_skeleton *skeleton;
	void *ctx;                          /* passed to every callback */

	/* Printed (not in --json) once probes are attached, e.g. "Tracing ... Hit Ctrl-C to end." */
	const char *banner;
	/* Called once after attach: print column headers here. */
	void (*on_start)(void *ctx);
	/* Per-event tools: one record from the `events` map (ring buffer or perf buffer). */
	int (*on_event)(void *ctx, const void *data, size_t size);
	/* Aggregating tools: called every env.interval seconds (if set) and at the end. Print and
	 * clear here. `final` is true for the last call. */
	int (*on_interval)(void *ctx, bool final);
	/* Called after the loop ends, before teardown (optional). */
	void (*on_exit)(void *ctx);
	/* Extra attachment after load, for targets only known at run time (uprobes, USDT). Use
	 * bcct_attach_* so links are tracked. Returns 0, a negative errno (core prints "cannot
	 * attach"), or a positive exit status after printing its own message. With obj NULL (no
	 * skeleton) this is where the applet loads its programs and attaches them, handing the link
	 * fds to bcct_track_fd(); core then runs its loop on events_fd. */
	int (*attach)(void *ctx, struct bpf_object *obj);

	/* Without a skeleton (obj NULL): the ring buffer or perf event array on_event reads, read
	 * after r->attach (so attach may set it); 0 or below: none. */
	int events_fd;
	/* Perf buffer pages per CPU (perf event arrays); 0: 64. */
	int perf_pages;
	/* Events lost beyond what core counts itself (the `lost` map, perf buffer losses), e.g.
	 * counters kept by programs core did not load. A running total. */
	unsigned long long (*lost)(void *ctx);

	/* perf_event programs: software cpu-clock sampling at sample_freq Hz (or every
	 * sample_period ns if set), on every online CPU, or only on sample_cpu when
	 * sample_one_cpu is set. */
	long sample_freq;
	long sample_period;
	bool sample_one_cpu;
	int sample_cpu;

	/* The subject task filters do not apply to `current` (runqlat wakes another task): core
	 * still fills them; the BPF side calls bcct_filter_task() instead. Nothing to set here. */

	/* Interval mode even without a positional interval (syscount -i): seconds. */
	long interval;
	/* Whether filters for uid/comm/cgroup are meaningful for this applet (default yes). */
	bool no_interval_mode;              /* per-event tools that never call on_interval */
};

/* Opens skeleton `name` (e.g. exitsnoop_bpf) with core's open options (bcct_open_opts). */
#define BCCT_OPEN(name) name##__open_opts(bcct_open_opts(name##__elf_bytes))

#define BCCT_SKEL(s) .obj = (s) ? (s)->obj : NULL, .skeleton = (s) ? (s)->skeleton : NULL

/* Runs an applet whose options are parsed: calls a->run(), again with the next candidate
 * whenever a chosen program fails to load (bcct_run returns BCCT_RETRY_NEXT_CANDIDATE). */
int bcct_run_applet(const struct bcct_applet *a);

/* Runs r to completion. Returns an exit status (0 ok, 1 failure). */
int bcct_run(struct bcct_run *r);

/* Tracked attachments for r->attach callbacks. bcct_track_link registers a link made with
 * libbpf directly (e.g. with a BPF cookie), so core destroys it at teardown; it returns 0, or
 * -errno when l is NULL (libbpf's failure, errno set). */
int bcct_track_link(struct bpf_link *l);
/* The same for a raw fd (a BPF link, a perf event carrying a program, a program): closed at
 * teardown. Returns 0, or fd itself when negative (so bcct_track_fd(attach(...)) passes errors
 * through). */
int bcct_track_fd(int fd);
/* Ends the event loop as Ctrl-C does (e.g. after trace -M events); callable from callbacks. */
void bcct_stop(void);
int bcct_attach_uprobe(struct bpf_program *prog, bool retprobe, pid_t pid, const char *binary,
		       const char *func, size_t offset);
int bcct_attach_usdt(struct bpf_program *prog, pid_t pid, const char *binary,
		     const char *provider, const char *name);

/* Map helpers for aggregating applets. */
/* Visit every key/value; values are copied to a buffer sized for the map (per-CPU maps are
 * summed when sum_percpu_u64 is true: every 8-byte field is added across CPUs). */
typedef int (*bcct_map_visit_fn)(void *ctx, const void *key, const void *value);
int bcct_map_foreach(struct bpf_map *map, bcct_map_visit_fn fn, void *ctx);
/* Collect all entries into one array of (key, value) pairs sorted by cmp; returns count or <0.
 * *out is malloc'd: each element is key_size (aligned to 8) followed by value_size bytes. */
struct bcct_entries {
	size_t n, key_size, value_size, stride;
	unsigned char *data;
};
int bcct_map_collect(struct bpf_map *map, struct bcct_entries *out);
static inline void *bcct_entry_key(const struct bcct_entries *e, size_t i)
{ return e->data + i * e->stride; }
static inline void *bcct_entry_value(const struct bcct_entries *e, size_t i)
{ return e->data + i * e->stride + ((e->key_size + 7) & ~(size_t)7); }
void bcct_entries_sort(struct bcct_entries *e, int (*cmp)(const void *a, const void *b));
void bcct_entries_free(struct bcct_entries *e);
/* Deletes every entry (batch delete where the kernel has it). */
int bcct_map_clear(struct bpf_map *map);

/* Wall-clock "HH:MM:SS" into buf (>= 9 bytes). */
const char *bcct_time_str(char *buf, size_t len);
/* Monotonic ns, the same clock as bpf_ktime_get_ns(). */
uint64_t bcct_now_ns(void);
/* Number of possible CPUs (per-CPU map sizing). */
int bcct_ncpus(void);
/* comm of a live pid into buf, "" if gone. */
const char *bcct_pid_comm(int pid, char *buf, size_t len);
#endif

/* For `bcct features`: can applet a run here, and with which method per probe. Returns 1 if
 * every required probe has a usable candidate; buf gets "probe=method ..." */
int bcct_applet_plan(const struct bcct_applet *a, char *buf, size_t len);
/* Routes libbpf's messages through -v (call once at start). */
void bcct_libbpf_quiet(void);
