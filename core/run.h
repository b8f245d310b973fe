/* The runtime every applet hands over to: open the applet's skeleton, let the applet configure
 * it, choose one program per logical probe (core/select.h), fill the shared filter, load (falling
 * back to the next candidate of a probe whose chosen program fails to load), attach through
 * bpf_link, run the event loop (ring buffer or perf buffer, interval, count, duration, signals),
 * print, tear down. */
#ifndef BCCT_RUN_H
#define BCCT_RUN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>
#include "core/applet.h"
#include "core/btf.h"
#include "core/features.h"
#include "core/maps.h"
#include "bcct.h"   /* struct bcct_filter, referenced by every skeleton's .rodata */

struct bpf_program;
struct bpf_link;

struct bcct_run {
	/* The BPF object; NULL: the applet's own (its BCCT_APPLET .skeleton). An applet with two
	 * objects names the one these options need (opensnoop -F). */
	const struct bcct_skeleton *skeleton;
	/* Called on the opened skeleton before load: fill .rodata, size maps, turn probes off
	 * (bcct_probe_enable). When a chosen program fails to load, core opens the object again
	 * and calls this again on the new skeleton, so it must only configure what it is given.
	 * Returns 0, or an exit status after printing its own message. */
	int (*configure)(void *skel);
	/* Passed to every callback; NULL: the loaded skeleton. */
	void *ctx;

	/* Printed (not in --json) once probes are attached, e.g. "Tracing ... Hit Ctrl-C to end." */
	const char *banner;
	/* Called once after attach: print column headers here. */
	void (*on_start)(void *ctx);
	/* Per-event tools: one record from the `events` map (ring buffer or perf buffer). */
	int (*on_event)(void *ctx, const void *data, size_t size);
	/* Aggregating tools: called every interval (env.interval, or .interval) and at the end.
	 * Print and clear here. `final` is true for the last call. */
	int (*on_interval)(void *ctx, bool final);
	/* Called after the loop ends, before teardown (optional). */
	void (*on_exit)(void *ctx);
	/* Attachment after load, for targets only known at run time (uprobes, USDT, probe
	 * patterns). Use bcct_attach_* or bcct_track_* so links are tracked. Returns 0, a negative
	 * errno (core prints "cannot attach"), or a positive exit status after its own message.
	 * Without a skeleton this is where the applet loads its programs, using the maps core made
	 * (events_fd, stack_fd, cgroup_fd below). */
	int (*attach)(void *ctx);

	/* Without a skeleton: core makes the maps the applet's programs write to before attach,
	 * and closes them at teardown: an event buffer when on_event is set (ring buffer, or perf
	 * event array on kernels without one), a stack-trace map when stack_map is set, and the
	 * --cgroup filter's cgroup array. Out: their fds, -1 for none. */
	bool stack_map;
	int events_fd, stack_fd, cgroup_fd;
	/* The printer names kernel functions (hist_label_ksym): /proc/kallsyms is read while the
	 * tool traces, as for objects with a stack map, not after Ctrl-C. */
	bool kernel_symbols;
	/* Perf buffer pages per CPU, also sizing the ring buffer (pages x CPUs); 0: 64. */
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

	/* The kernel features this run cannot do without, beyond its probes (BCCT_NEEDS); 0: the
	 * applet's .needs. For a run needing less than the applet does at its best (inject's
	 * count-only test mode has no use for bpf_override_return). */
	unsigned needs;

	/* Interval mode even without a positional interval (syscount -i): seconds. */
	long interval;
	/* SIGUSR1 and SIGUSR2 each ask for a report now: one more on_interval call (not final),
	 * during which bcct_report_signal() says which signal asked (biolatpcts: SIGUSR1 starts a
	 * new period, SIGUSR2 does not). SIGHUP then ends the run as SIGINT does. */
	bool report_on_sigusr;
};

/* In on_interval: SIGUSR1 or SIGUSR2 when that signal asked for this report (report_on_sigusr),
 * else 0 (a timed interval or the final report). */
int bcct_report_signal(void);

/* 0 when privileged enough to load and attach BPF programs (root, CAP_SYS_ADMIN, or CAP_BPF and
 * CAP_PERFMON); else -1 after one line naming what is missing. */
int bcct_check_privileges(void);

/* 0 when the kernel has the running applet's .needs (core/applet.h); else -1 after one line
 * naming what it lacks. bcct_run checks it; an applet that stops before bcct_run calls it. */
int bcct_check_needs(void);

/* Runs an applet whose options are parsed: a->run(), once. */
int bcct_run_applet(const struct bcct_applet *a);

/* Runs r to completion. Returns an exit status (0 ok, 1 failure, 2 usage). */
int bcct_run(struct bcct_run *r);

/* From configure: turns every candidate program of logical probe `probe` on or off (e.g.
 * syscount leaves sys_enter off without -L). A probe with all candidates off is not loaded. */
void bcct_probe_enable(void *skel, const char *probe, bool on);
/* After load (callbacks): how probe `probe` is attached (KIND_FENTRY, KIND_RAW_TP, ...), or
 * KIND_UNKNOWN when it is not. For applets whose arithmetic differs with the method (cachestat:
 * what the fallback's page counts include). */
enum bcct_kind bcct_probe_chosen(void *skel, const char *probe);
/* From configure: resizes a map of the skeleton (by the options: one key without -P). */
int bcct_map_resize(void *skel, const char *map, unsigned int max_entries);

/* Tracked attachments for attach callbacks. bcct_track_link registers a link made with
 * libbpf directly (e.g. with a BPF cookie), so core destroys it at teardown; it returns 0, or
 * -errno when l is NULL (libbpf's failure, errno set). */
int bcct_track_link(struct bpf_link *l);
/* The same for a raw fd (a BPF link, a perf event carrying a program, a program): closed at
 * teardown. Returns 0, or fd itself when negative (so bcct_track_fd(attach(...)) passes errors
 * through). */
int bcct_track_fd(int fd);
/* Ends the event loop as Ctrl-C does (e.g. after trace -M events); callable from callbacks. */
void bcct_stop(void);
/* A uprobe (retprobe: a uretprobe) on func+offset (func NULL: offset alone) of binary, in pid
 * only (0: every process). Declare the program SEC("uprobe.multi") (or "uretprobe.multi"): it
 * then goes through a uprobe_multi link where the kernel has them, a perf-event uprobe elsewhere
 * (runtime.h says why). 0 or -errno (-ENOENT: no such function). */
int bcct_attach_uprobe(struct bpf_program *prog, bool retprobe, pid_t pid, const char *binary,
		       const char *func, size_t offset);
/* cookie: bpf_usdt_cookie()'s value in the program (one program attached to many probes). */
int bcct_attach_usdt(struct bpf_program *prog, pid_t pid, const char *binary,
		     const char *provider, const char *name, unsigned long long cookie);

/* Whether the event buffer is a perf buffer (kernels before 5.8, or BCCT_FORCE_PERFBUF=1 in
 * tests) rather than a ring buffer: programs compiled at run time must know. */
bool bcct_use_perfbuf(void);

/* `bcct serve` (cli/serve.c) runs each applet in a thread of its own with --json and this
 * interval in seconds, whatever the applet's own interval options say, and reads the interval
 * objects (per-event applets: their events); 0 otherwise. Like all of a run's state, it is the
 * thread's own. */
extern _Thread_local long bcct_serve_interval;
/* bcct serve's stop request for the run of this thread, which then leaves the process's
 * signals alone (the serve's main thread takes them) and ends within 100 ms of the flag being
 * set, as after Ctrl-C. NULL outside serve. */
extern _Thread_local const atomic_bool *bcct_stop_request;
/* Starts a thread with every signal blocked, so that a signal meant for a run reaches the
 * run's own thread (its state is thread-local): core's helpers of a run (stack_size 256 KiB),
 * bcct serve's applets (0: the default size). Returns 0 or an errno. */
int bcct_thread_start(pthread_t *t, void *(*fn)(void *), void *arg, bool detached, size_t stack_size);
/* Monotonic ns, the same clock as bpf_ktime_get_ns(). */
uint64_t bcct_now_ns(void);
/* Number of possible CPUs (per-CPU map sizing). */
int bcct_ncpus(void);

/* For `bcct features`: can applet a run here, and with which method per probe. Returns 1 if
 * every required probe has a usable candidate; buf gets "probe=method ..." */
int bcct_applet_plan(const struct bcct_applet *a, char *buf, size_t len);
/* Routes libbpf's messages through -v (call once at start). */
void bcct_libbpf_quiet(void);
/* The program named by libbpf's last "failed to load" message since bcct_load_failure_reset;
 * "" if none (core/log.c; its wording is pinned by tests/unit/test_select.c). */
const char *bcct_load_failure(void);
void bcct_load_failure_reset(void);
#endif
