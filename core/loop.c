/* The event loop: ring buffer or perf buffer, intervals, -d, the interval count, signals and
 * lost-event accounting (reported per interval and at exit). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/output.h"
#include "core/runtime.h"

/* The run's state is its thread's (bcct serve runs several in one process); signal handlers
 * run on whichever thread is not blocking the signal, which outside serve is the only one. */
static _Thread_local volatile sig_atomic_t exiting, signals_seen;
static _Thread_local struct sigaction old_int, old_term;
static _Thread_local bool signals_caught;   /* SIGINT and SIGTERM are on_signal's */
/* report_on_sigusr: the SIGUSR1/SIGUSR2 waiting to be answered, the one being answered. */
static _Thread_local volatile sig_atomic_t report_pending;
static _Thread_local int report_current;
static _Thread_local struct sigaction old_usr1, old_usr2, old_hup;
/* Opened before the first signal can arrive: the handler may not open files. */
static _Thread_local int devnull = -1;

_Thread_local const atomic_bool *bcct_stop_request;

/* Ctrl-C, -d's end, the applet's bcct_stop(), or (bcct serve) the serve's request. */
static bool stopping(void)
{
	return exiting || (bcct_stop_request && atomic_load(bcct_stop_request));
}

/* A writer blocked on a pipe nobody reads (or a terminal stopped with ^S) never returns to the
 * loop to see the flag. Pointing the descriptor at /dev/null releases it: the interrupted
 * write() returns (EINTR or a short count; stdio then writes the rest to /dev/null) and every
 * later write completes, so the applet's printing, the final summary and the teardown all run
 * to the end. Output that could still be written (poll says so) is left alone, so the final
 * summary reaches a reader that keeps up. Only this process's descriptor changes, never the
 * shared open file (unlike O_NONBLOCK, which would leak into the shell's terminal). */
static void release_blocked_output(int fd, bool even_if_writable)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (devnull >= 0 && (even_if_writable || poll(&p, 1, 0) == 0))
		dup2(devnull, fd);
}

static void on_signal(int sig)
{
	int saved_errno = errno;

	exiting = 1;
	/* A second Ctrl-C means "now": no more output at all, blocked or merely slow. */
	release_blocked_output(STDOUT_FILENO, signals_seen > 0);
	release_blocked_output(STDERR_FILENO, signals_seen > 0);
	signals_seen++;
	errno = saved_errno;
}

static void on_report_signal(int sig)
{
	report_pending = sig;
}

int bcct_report_signal(void)
{
	return report_current;
}

/* report_on_sigusr: SIGUSR1/SIGUSR2 interrupt the wait (no SA_RESTART) and are answered by the
 * loop; SIGHUP ends the run. */
static void catch_report_signals(bool on)
{
	struct sigaction usr = { .sa_handler = on_report_signal }, hup = { .sa_handler = on_signal };

	if (bcct_stop_request)
		return;         /* bcct serve: the process's signals are the serve's */
	if (!on) {
		sigaction(SIGUSR1, &old_usr1, NULL);
		sigaction(SIGUSR2, &old_usr2, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		return;
	}
	report_pending = 0;
	sigaction(SIGUSR1, &usr, &old_usr1);
	sigaction(SIGUSR2, &usr, &old_usr2);
	sigaction(SIGHUP, &hup, &old_hup);
}

void bcct_stop(void)
{
	exiting = 1;
}

bool loop_stopping(void)
{
	return stopping();
}

void loop_catch_signals(void)
{
	/* No SA_RESTART: a blocking call (epoll_wait, nanosleep, write) returns EINTR at once. */
	struct sigaction sa = { .sa_handler = on_signal };

	/* Caught already (from the applet's start, cli_run_applet): a signal that came while the
	 * applet resolved its probes is kept, so the run ends as soon as it starts. */
	if (signals_caught)
		return;
	exiting = 0;
	signals_seen = 0;
	if (bcct_stop_request)
		return;         /* bcct serve: the process's signals are the serve's */
	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	signals_caught = true;
}

void loop_restore_signals(void)
{
	if (bcct_stop_request || !signals_caught)
		return;
	signals_caught = false;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (devnull >= 0)
		close(devnull);
	devnull = -1;
}

uint64_t bcct_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- lost events ------------------------------------------------------------------------ */

/* Every program counts the events its output helper refused (bpf/bcct.bpf.h, core/probe) in
 * a map. The perf buffer's own PERF_RECORD_LOST counts the same events a second time (and only
 * once a later record fits in that CPU's buffer), so it is not added (tests/live/opensnoop_storm.sh
 * with BCCT_FORCE_PERFBUF). */

struct loop {
	const struct bcct_run *r;
	void *ctx;
	struct bpf_map *lost_map;
	unsigned long long reported;
	/* Ring buffer batches (rb_event): libbpf consumes a ring until it is empty, which under a
	 * storm of events is never; the callback yields at yield_at (time checked every
	 * LOOP_CHECK_EVERY events) and, outside the final drain, at once on a signal. */
	uint64_t yield_at;
	unsigned int handled;
	bool draining;
};

#define LOOP_YIELD (-ECANCELED)         /* rb_event: stop this batch; not an error */
#define LOOP_CHECK_EVERY 256
#define LOOP_BATCH_NS (100 * 1000000ULL)        /* intervals and signals are seen this often */
#define LOOP_DRAIN_NS (50 * 1000000ULL)         /* the last events after Ctrl-C, at most this long */
#define STOP_REQUEST_MS 100                     /* bcct serve's stop request is seen this often */

static unsigned long long lost_total(const struct loop *l)
{
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long sum = 0;
	__u64 vals[ncpu > 0 ? ncpu : 1];
	__u32 zero = 0;

	if (l->lost_map && bpf_map_lookup_elem(bpf_map__fd(l->lost_map), &zero, vals) == 0)
		for (int i = 0; i < ncpu; i++)
			sum += vals[i];
	if (l->r->lost)
		sum += l->r->lost(l->ctx);
	return sum;
}

static void report_lost(struct loop *l)
{
	unsigned long long n = lost_total(l);

	if (n > l->reported) {
		bcct_warn("lost %llu events (buffer full)", n - l->reported);
		l->reported = n;
	}
}

/* ---- buffers ---------------------------------------------------------------------------- */

static int rb_event(void *ctx, void *data, size_t size)
{
	struct loop *l = ctx;
	int ret = l->r->on_event(l->ctx, data, size);

	if (ret < 0)
		return ret;
	if (stopping() && !l->draining)
		return LOOP_YIELD;
	if (++l->handled % LOOP_CHECK_EVERY == 0 && bcct_now_ns() >= l->yield_at)
		return LOOP_YIELD;
	return ret;
}

/* Starts a ring buffer batch of at most budget_ns. */
static void batch_begin(struct loop *l, uint64_t budget_ns)
{
	l->yield_at = bcct_now_ns() + budget_ns;
	l->handled = 0;
}

static void pb_event(void *ctx, int cpu, void *data, __u32 size)
{
	struct loop *l = ctx;

	l->r->on_event(l->ctx, data, size);
}

static int map_type_of(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info_by_fd(fd, &info, &len))
		return -errno;
	return info.type;
}

static int wait_events(struct loop *l, struct ring_buffer *rb, struct perf_buffer *pb,
		       int timeout_ms)
{
	int err = 0;

	batch_begin(l, LOOP_BATCH_NS);
	if (rb)
		err = ring_buffer__poll(rb, timeout_ms);
	else if (pb)
		err = perf_buffer__poll(pb, timeout_ms);
	else {
		struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (err == LOOP_YIELD)
		return 1;               /* events were handled; more may be waiting */
	return err == -EINTR ? 0 : err;
}

/* With --json, one object per interval, empty or not, around what on_interval prints. */
static void print_interval(const struct bcct_run *r, void *ctx, bool final)
{
	out_interval_open();
	r->on_interval(ctx, final);
	out_interval_close();
}

static int poll_until_done(struct loop *l, struct ring_buffer *rb, struct perf_buffer *pb)
{
	const struct bcct_run *r = l->r;
	long interval = bcct_serve_interval ? bcct_serve_interval : r->interval ? r->interval : env.interval;
	uint64_t start = bcct_now_ns();
	uint64_t deadline = env.duration ? start + env.duration * 1000000000ULL : 0;
	uint64_t next_tick = interval ? start + interval * 1000000000ULL : 0;
	long printed = 0;
	bool printed_last = false;

	while (!stopping()) {
		uint64_t now = bcct_now_ns(), until = UINT64_MAX;
		int timeout, err;

		if (next_tick && next_tick < until)
			until = next_tick;
		if (deadline && deadline < until)
			until = deadline;
		timeout = until == UINT64_MAX ? 1000 : until > now ? (int)((until - now + 999999) / 1000000) : 0;
		if (timeout > 1000)
			timeout = 1000;
		/* The serve's stop request is no signal: nothing interrupts the wait. */
		if (bcct_stop_request && timeout > STOP_REQUEST_MS)
			timeout = STOP_REQUEST_MS;
		err = wait_events(l, rb, pb, timeout);
		if (err < 0) {
			bcct_err("polling events: %s", strerror(-err));
			return -1;
		}
		if (err > 0)
			fflush(stdout);   /* one write for the batch (out_setup_buffering) */
		now = bcct_now_ns();
		printed_last = false;
		if (next_tick && now >= next_tick && r->on_interval) {
			/* A tick that meets Ctrl-C or the end of -d is the last one: the applet
			 * must know (top tools print "Detaching..." then). */
			bool final = stopping() || (env.count && printed + 1 >= env.count) ||
				     (deadline && now >= deadline);

			if (final)
				release_attachments_start();
			print_interval(r, l->ctx, final);
			report_lost(l);
			printed++;
			/* A signal during a non-final print still gets its final call below. */
			printed_last = final;
			if (final)
				break;
			next_tick += interval * 1000000000ULL;
		}
		if (report_pending && !stopping() && r->on_interval) {
			report_current = report_pending;
			report_pending = 0;
			print_interval(r, l->ctx, false);
			report_current = 0;
		}
		if (deadline && now >= deadline)
			break;
	}
	/* Drain what is already buffered so the last events are not lost, and are in the final
	 * summary of tools that aggregate events in user space (profile --unwind=dwarf): a ring
	 * buffer for LOOP_DRAIN_NS at most, as probes not yet detached may keep it full.
	 * (A perf buffer is read up to the head it saw, which bounds it.) The probes are being
	 * detached meanwhile (release_attachments_start): no new events, and the detach's grace
	 * periods pass while the final summary is printed. */
	release_attachments_start();
	l->draining = true;
	batch_begin(l, LOOP_DRAIN_NS);
	if (rb)
		ring_buffer__consume(rb);
	else if (pb)
		perf_buffer__consume(pb);
	if (r->on_interval && !printed_last)
		print_interval(r, l->ctx, true);
	report_lost(l);
	return 0;
}

int run_loop(const struct bcct_run *r, void *ctx, struct bpf_map *lost_map, int events_fd)
{
	struct loop l = { .r = r, .ctx = ctx, .lost_map = lost_map };
	struct ring_buffer *rb = NULL;
	struct perf_buffer *pb = NULL;
	int ret = -1;

	if (r->on_event && events_fd >= 0) {
		int type = map_type_of(events_fd);

		if (type == BPF_MAP_TYPE_RINGBUF)
			rb = ring_buffer__new(events_fd, rb_event, &l, NULL);
		else if (type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			pb = perf_buffer__new(events_fd, r->perf_pages > 0 ? r->perf_pages : 64, pb_event,
					      NULL, &l, NULL);
		if (!rb && !pb) {
			bcct_err("cannot open the event buffer: %s", strerror(errno));
			return -1;
		}
	}
	if (r->banner && !env.json) {
		printf("%s\n", r->banner);
		fflush(stdout);
	}
	if (r->on_start)
		r->on_start(ctx);
	fflush(stdout);
	if (r->report_on_sigusr)
		catch_report_signals(true);
	ret = poll_until_done(&l, rb, pb);
	if (r->report_on_sigusr)
		catch_report_signals(false);
	if (r->on_exit)
		r->on_exit(ctx);
	fflush(stdout);
	ring_buffer__free(rb);
	perf_buffer__free(pb);
	return ret;
}
