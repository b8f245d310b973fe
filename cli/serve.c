/* bcct serve --listen ADDR:PORT [--max-series N] [--interval SECONDS] APPLET [ARGS]
 *            [-- APPLET [ARGS]]...
 * Runs the applets and serves what they measure on http://ADDR:PORT/metrics in the Prometheus
 * text format (OpenMetrics when the scraper asks for it), docs/METRICS.md.
 *
 * One process: each applet runs in a thread of its own, as `bcct APPLET ARGS --json -v` would,
 * with its interval forced to --interval (bcct_serve_interval). A run's state in core (options,
 * output, the event loop) is thread-local, and its stdout and stderr are its thread's
 * (core/thread_io.h): pipes this thread reads, so core/metrics.c sums the JSON intervals into
 * cumulative series and reads the -v lines (links, attach methods, lost events) as it would
 * read a child's. An applet's own options live in its file, so an applet runs once per serve
 * (twice, or with an alias of itself, is refused). The applets' threads block every signal;
 * this thread takes SIGINT and SIGTERM through a signalfd and asks each run to stop
 * (bcct_stop_request: its loop ends within 100 ms and releases its links), waits for them all,
 * and exits. An applet whose run returns ends the serve with its status: a run that cannot
 * measure must not look like one that measures nothing. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include "cli/cli.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/run.h"

#define SERVE_MAX_APPLETS 16
#define REQUEST_MAX 8192
#define IO_TIMEOUT_S 2

struct child {
	const char *name;
	struct cli_target target;
	int argc;
	char **argv;
	long interval;
	pthread_t thread;
	bool running;                   /* started and not yet joined */
	atomic_bool stop;               /* the serve's request (bcct_stop_request) */
	atomic_bool done;               /* the run returned with status; its output is flushed */
	int status;
	int out, err;                   /* read ends of its pipes; -1 once closed */
	int out_w, err_w;               /* write ends, its stdout and stderr */
	char *line[2];                  /* partial lines of out and err */
	size_t len[2];
	bool overflow[2];               /* a line beyond METRICS_MAX_LINE: skipped to its end */
	bool attached;
};

static void serve_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "bcct serve: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* ADDR:PORT, [V6ADDR]:PORT or :PORT (every address) into a listening socket; numeric addresses
 * and "localhost" only (a static binary has no NSS for name lookups). -2 for a usage error,
 * -1 for a failure, each with one line. */
static int listen_on(const char *spec)
{
	char host[64], *end;
	const char *colon = strrchr(spec, ':');
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	int fd, one = 1;

	if (!colon || !colon[1] || *end || port < 0 || port > 65535 || (size_t)(colon - spec) >= sizeof(host)) {
		serve_usage("invalid --listen '%s': ADDR:PORT expected", spec);
		return -2;
	}
	memcpy(host, spec, colon - spec);
	host[colon - spec] = 0;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (!host[0] || inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
	} else {
		serve_usage("invalid --listen '%s': a numeric address (or localhost) expected", spec);
		return -2;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, ss.ss_family == AF_INET ? sizeof(*in4) : sizeof(*in6)) ||
	    listen(fd, 64)) {
		fprintf(stderr, "bcct serve: cannot listen on %s: %s\n", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The applet's thread: its run, printing into its pipes. */
static void *run_child(void *arg)
{
	struct child *c = arg;
	FILE *out = fdopen(c->out_w, "w"), *err = fdopen(c->err_w, "w");
	char *args[c->argc + 2];

	if (!out || !err) {
		c->status = BCCT_EXIT_FAIL;
		if (out)
			fclose(out);
		else
			close(c->out_w);
		if (err)
			fclose(err);
		else
			close(c->err_w);
		atomic_store(&c->done, true);
		return NULL;
	}
	setvbuf(err, NULL, _IOLBF, 0);
	{
		char comm[16];  /* the thread's name in /proc and ps -L: its applet's */

		snprintf(comm, sizeof(comm), "%s", c->name);
		pthread_setname_np(pthread_self(), comm);
	}
	bcct_thread_stdout = out;
	bcct_thread_stderr = err;
	bcct_serve_interval = c->interval;
	bcct_stop_request = &c->stop;
	memcpy(args, c->argv, c->argc * sizeof(*args));
	args[c->argc] = "-v";           /* links and attach methods, for the health metrics */
	args[c->argc + 1] = NULL;
	c->status = cli_run_applet(c->target, c->argc + 1, args);
	fflush(out);
	fflush(err);
	bcct_thread_stdout = bcct_thread_stderr = NULL;
	atomic_store(&c->done, true);
	fclose(out);                    /* the serve reads to the end of file */
	fclose(err);
	return NULL;
}

static int start_child(struct child *c)
{
	int out[2], err[2];
	int e;

	if (pipe2(out, O_CLOEXEC))
		return -1;
	if (pipe2(err, O_CLOEXEC)) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	c->out = out[0];
	c->out_w = out[1];
	c->err = err[0];
	c->err_w = err[1];
	fcntl(c->out, F_SETFL, O_NONBLOCK);
	fcntl(c->err, F_SETFL, O_NONBLOCK);
	/* every signal blocked in the applet's thread: they are this thread's (its signalfd) */
	e = bcct_thread_start(&c->thread, run_child, c, false, 0);
	if (e) {
		close(c->out_w);
		close(c->err_w);
		errno = e;
		return -1;
	}
	c->running = true;
	return 0;
}

/* One complete line of a child's stdout (which = 0) or stderr (1). */
static void child_line(struct metrics *m, struct child *c, int which, const char *line)
{
	if (which == 0) {
		metrics_ingest(m, c->name, line);
		return;
	}
	if (strstr(line, ": attached ") && strstr(line, " links"))
		c->attached = true;
	if (!metrics_ingest_log(m, c->name, line))
		fprintf(stderr, "%s\n", line);
}

/* Reads what a child wrote; false at its end of file. */
static bool drain(struct metrics *m, struct child *c, int which)
{
	int fd = which ? c->err : c->out;
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (!c->overflow[which]) {
					char *l = c->line[which];

					if (l) {
						l[c->len[which]] = 0;
						child_line(m, c, which, l);
					} else {
						child_line(m, c, which, "");
					}
				}
				c->len[which] = 0;
				c->overflow[which] = false;
				continue;
			}
			if (c->overflow[which])
				continue;
			if (!c->line[which] && !(c->line[which] = malloc(METRICS_MAX_LINE + 1))) {
				c->overflow[which] = true;
				continue;
			}
			if (c->len[which] >= METRICS_MAX_LINE) {
				c->overflow[which] = true;      /* bounded: the rest of it is dropped */
				continue;
			}
			c->line[which][c->len[which]++] = buf[i];
		}
	}
	return !(n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR));
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return;         /* a client gone or stalled past IO_TIMEOUT_S: its loss */
		}
		p += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, const char *status, const char *type, const char *body, size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n", status, type, len);

	write_all(fd, head, (size_t)n);
	write_all(fd, body, len);
}

/* One HTTP request, answered at once (scrapes are rare and small next to the applets' work). */
static void answer(int listen_fd, struct metrics *m)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	char req[REQUEST_MAX + 1];
	size_t len = 0;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (len < REQUEST_MAX) {
		ssize_t n = read(fd, req + len, REQUEST_MAX - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		req[len] = 0;
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[len] = 0;
	if (!strncmp(req, "GET /metrics ", 13) || !strncmp(req, "GET /metrics?", 13)) {
		bool om = strstr(req, "application/openmetrics-text") != NULL;
		size_t blen = 0;
		char *body = metrics_render(m, om, &blen);

		if (body)
			respond(fd, "200 OK", om ? "application/openmetrics-text; version=1.0.0; charset=utf-8" :
			        "text/plain; version=0.0.4; charset=utf-8", body, blen);
		else
			respond(fd, "500 Internal Server Error", "text/plain", "out of memory\n", 14);
		free(body);
	} else if (!strncmp(req, "GET / ", 6)) {
		static const char home[] = "bcct serve: metrics at /metrics\n";

		respond(fd, "200 OK", "text/plain; charset=utf-8", home, sizeof(home) - 1);
	} else {
		respond(fd, "404 Not Found", "text/plain", "not found\n", 10);
	}
	close(fd);
}

/* Reads what the applets wrote; a pipe at its end is closed. */
static void read_pipes(struct metrics *m, struct child *kids, int n)
{
	for (int k = 0; k < n; k++)
		for (int w = 0; w < 2; w++) {
			int *fd = w ? &kids[k].err : &kids[k].out;

			if (*fd >= 0 && !drain(m, &kids[k], w)) {
				close(*fd);
				*fd = -1;
			}
		}
}

/* An applet whose run returned: its thread joined, its last words read. True if it just ended. */
static bool reap(struct metrics *m, struct child *c)
{
	if (!c->running || !atomic_load(&c->done))
		return false;
	pthread_join(c->thread, NULL);
	c->running = false;
	for (int w = 0; w < 2; w++) {
		int *fd = w ? &c->err : &c->out;

		if (*fd >= 0) {
			drain(m, c, w);         /* to the end: the writer is closed */
			close(*fd);
			*fd = -1;
		}
	}
	metrics_applet_exited(m, c->name);
	return true;
}

/* Asks every applet still running to stop (each releases its links, prints its last interval)
 * and waits for them, reading their pipes meanwhile so that none blocks on a full one. */
static void stop_children(struct metrics *m, struct child *kids, int n)
{
	for (int k = 0; k < n; k++)
		atomic_store(&kids[k].stop, true);
	for (;;) {
		struct pollfd pfd[2 * SERVE_MAX_APPLETS];
		int np = 0, running = 0;

		for (int k = 0; k < n; k++) {
			reap(m, &kids[k]);
			running += kids[k].running;
			if (kids[k].out >= 0)
				pfd[np++] = (struct pollfd){ .fd = kids[k].out, .events = POLLIN };
			if (kids[k].err >= 0)
				pfd[np++] = (struct pollfd){ .fd = kids[k].err, .events = POLLIN };
		}
		if (!running)
			return;
		poll(pfd, np, 100);
		read_pipes(m, kids, n);
	}
}

int cli_serve(int argc, char **argv)
{
	const char *listen_spec = NULL;
	long max_series = 100, interval = 1;
	struct child kids[SERVE_MAX_APPLETS];
	int nkids = 0, i = 0, listen_fd, sfd, status = 0;
	struct cli_target targets[SERVE_MAX_APPLETS];
	int starts[SERVE_MAX_APPLETS], counts[SERVE_MAX_APPLETS];
	struct metrics *m;
	sigset_t mask;
	bool ready = false;

	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i += 2) {
		char *end;
		long v;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: bcct serve --listen ADDR:PORT [--max-series N] [--interval SECONDS]\n"
			       "                  APPLET [ARGS] [-- APPLET [ARGS]]...\n\n"
			       "Runs the applets and serves their aggregates as Prometheus metrics on\n"
			       "http://ADDR:PORT/metrics (docs/METRICS.md).\n\n"
			       "  --listen ADDR:PORT  where to listen (127.0.0.1:9464, [::1]:9464, :9464)\n"
			       "  --max-series N      series per metric in a scrape; the rest summed into\n"
			       "                      one series labelled \"other\" (default 100)\n"
			       "  --interval SECONDS  how often the applets hand over their values (default 1)\n\n"
			       "example:\n"
			       "    bcct serve --listen 127.0.0.1:9464 runqlat -- biolatency -D -- syscount -L\n");
			return 0;
		}
		if (i + 1 >= argc) {
			serve_usage("option '%s' needs a value", argv[i]);
			return BCCT_EXIT_USAGE;
		}
		if (!strcmp(argv[i], "--listen")) {
			listen_spec = argv[i + 1];
			continue;
		}
		v = strtol(argv[i + 1], &end, 10);
		if (*end || v < 1 || v > 1000000 ||
		    (strcmp(argv[i], "--max-series") && strcmp(argv[i], "--interval"))) {
			serve_usage(*end || v < 1 || v > 1000000 ? "invalid value for option '%s'" :
				    "unrecognized option '%s'", argv[i]);
			return BCCT_EXIT_USAGE;
		}
		*(strcmp(argv[i], "--interval") ? &max_series : &interval) = v;
	}
	if (!listen_spec) {
		serve_usage("%s", "--listen ADDR:PORT is required (try 'bcct serve --help')");
		return BCCT_EXIT_USAGE;
	}
	/* APPLET [ARGS] [-- APPLET [ARGS]]... */
	while (i < argc) {
		if (!strcmp(argv[i], "--"))
			i++;
		if (i >= argc)
			break;
		if (nkids == SERVE_MAX_APPLETS) {
			serve_usage("more than %s applets", "16");
			return BCCT_EXIT_USAGE;
		}
		targets[nkids] = cli_find(argv[i]);
		if (!targets[nkids].applet)
			return cli_unknown(argv[i]);
		starts[nkids] = i;
		while (i < argc && strcmp(argv[i], "--"))
			i++;
		counts[nkids] = i - starts[nkids];
		kids[nkids] = (struct child){ .name = argv[starts[nkids]], .target = targets[nkids],
					      .argc = counts[nkids], .argv = argv + starts[nkids],
					      .interval = interval, .out = -1, .err = -1 };
		/* An applet keeps its options in its own file, one set per process: once per serve
		 * (an alias is its applet). */
		for (int k = 0; k < nkids; k++)
			if (targets[k].applet == targets[nkids].applet) {
				char what[128];

				if (strcmp(kids[k].name, kids[nkids].name))
					snprintf(what, sizeof(what), "'%s' and '%s' are both %s", kids[k].name,
						 kids[nkids].name, targets[k].applet->name);
				else
					snprintf(what, sizeof(what), "'%s' given twice", kids[k].name);
				serve_usage("%s: an applet runs once per serve", what);
				return BCCT_EXIT_USAGE;
			}
		for (int a = starts[nkids] + 1; a < i; a++)
			if (!strcmp(argv[a], "--exec") || !strncmp(argv[a], "--exec=", 7)) {
				serve_usage("%s --exec: not served (the serve takes the process's signals, SIGCHLD too)",
					    kids[nkids].name);
				return BCCT_EXIT_USAGE;
			}
		nkids++;
	}
	if (!nkids) {
		serve_usage("%s", "no applet to serve (try 'bcct serve --help')");
		return BCCT_EXIT_USAGE;
	}
	listen_fd = listen_on(listen_spec);
	if (listen_fd < 0)
		return listen_fd == -2 ? BCCT_EXIT_USAGE : BCCT_EXIT_FAIL;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGPIPE);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	m = metrics_new((size_t)max_series);
	if (sfd < 0 || !m) {
		fprintf(stderr, "bcct serve: cannot start: %s\n", strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	fflush(stdout);
	for (int k = 0; k < nkids; k++) {
		metrics_add_applet(m, kids[k].name);
		if (start_child(&kids[k])) {
			fprintf(stderr, "bcct serve: cannot start %s: %s\n", kids[k].name, strerror(errno));
			stop_children(m, kids, k);
			status = BCCT_EXIT_FAIL;
			goto out;
		}
	}
	for (;;) {
		struct pollfd pfd[2 + 2 * SERVE_MAX_APPLETS];
		int n = 0, running = 0;
		struct signalfd_siginfo si;
		bool stopping = false;

		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
		for (int k = 0; k < nkids; k++) {
			pfd[n++] = (struct pollfd){ .fd = kids[k].out, .events = POLLIN };
			pfd[n++] = (struct pollfd){ .fd = kids[k].err, .events = POLLIN };
		}
		if (poll(pfd, n, 1000) < 0 && errno != EINTR)
			break;
		read_pipes(m, kids, nkids);
		if (!ready) {
			int attached = 0;

			for (int k = 0; k < nkids; k++)
				attached += kids[k].attached;
			if (attached == nkids) {
				ready = true;
				printf("Serving %d applet%s on http://%s/metrics. Hit Ctrl-C to end.\n", nkids,
				       nkids > 1 ? "s" : "", listen_spec);
				fflush(stdout);
			}
		}
		if (pfd[1].revents & POLLIN)
			answer(listen_fd, m);
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM)
				stopping = true;
		/* an applet whose run returned: the serve ends with it */
		for (int k = 0; k < nkids; k++) {
			if (reap(m, &kids[k]) && !stopping) {
				int rc = kids[k].status;

				fprintf(stderr, "bcct serve: %s exited with status %d\n", kids[k].name, rc);
				status = rc == BCCT_EXIT_USAGE ? BCCT_EXIT_USAGE : BCCT_EXIT_FAIL;
				stopping = true;
			}
			running += kids[k].running;
		}
		if (stopping || !running)
			break;
	}
	stop_children(m, kids, nkids);
out:
	for (int k = 0; k < nkids; k++) {
		if (kids[k].out >= 0)
			close(kids[k].out);
		if (kids[k].err >= 0)
			close(kids[k].err);
		free(kids[k].line[0]);
		free(kids[k].line[1]);
	}
	close(listen_fd);
	close(sfd);
	metrics_free(m);
	return status;
}
