/* launchtime: start one tracing tool and measure how long it takes to get its probes attached,
 * and how much memory it holds once it has.
 *
 * Used by bench/startup and bench/probe_startup; built with the project as build/bench/launchtime.
 *
 *   launchtime [--hold MS] [--timeout MS] [--links N | --fds N] [--match STR [--trigger PATH]]
 *              [--err FILE] -- CMD [ARG...]
 *
 * The tool runs with stdin on /dev/null, stdout on a pseudo-terminal (so that every tool,
 * whatever its stdio buffering, emits its header line the moment it prints it, exactly as it
 * would for a user at a terminal) and stderr on FILE (default /dev/null).
 *
 * "Attached" is, by default, the first complete output line on stdout: every tool measured
 * prints its header or banner right after its last attach. With --links N it is instead the
 * moment the process holds at least N bpf_link file descriptors (polled from /proc/PID/fd every
 * 250us), for tools that print nothing until they exit; N comes from a calibration run that
 * reports links= (see below). --fds N is the same with perf_event fds counted too (tools such as
 * bpftrace attach through perf events and hold no bpf_link). With --match STR it is the first
 * output containing STR, and with --trigger PATH the tool opens and closes PATH every 200 us
 * while it waits, so that a traced open happens as soon as the probe is live ("time to first
 * event", bench/probe_startup).
 *
 * The clock (CLOCK_MONOTONIC) starts just before fork() and stops when the line (or link count)
 * is seen. The tool then keeps running for --hold MS (default 300) while its output is drained;
 * then VmHWM / VmRSS are read from /proc/PID/status and bpf_link fds are counted, SIGINT is sent,
 * output is drained until the tool exits (SIGKILL after 5 s), and wait4() gives ru_maxrss over
 * the whole life of the process (including the final print and teardown).
 *
 * Prints one line of key=value pairs on stdout:
 *   status=ok|exited|timeout|error t_ms= cpu_ms= hwm_kb= rss_kb= maxrss_kb= links= exit= bytes=
 * cpu_ms is the CPU time the tool's main thread had used when the signal came (user and kernel,
 * from /proc/PID/schedstat, in ns): unlike t_ms it hardly moves when other jobs compete for
 * the CPUs, but it leaves out waits (RCU grace periods) and work the kernel defers to others.
 * status=exited: the tool ended before it was attached (exit= gives its status); timeout: no
 * line / link count within --timeout MS (default 10000). The exit status of launchtime itself is
 * 0 unless its own arguments are wrong.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* bpf_link fds of pid, and perf_event fds too with `perf`. */
static int count_links(pid_t pid, bool perf)
{
	char dir[64], path[320], target[128];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (!strcmp(target, "anon_inode:bpf_link") ||
		    (perf && !strcmp(target, "anon_inode:[perf_event]")))
			n++;
	}
	closedir(d);
	return n;
}

/* CPU time of the main thread so far, in ms; -1 when unknown. */
static double cpu_time_ms(pid_t pid)
{
	char path[64];
	unsigned long long ns;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llu", &ns);
	fclose(f);
	return n == 1 ? ns / 1e6 : -1;
}

static void read_status(pid_t pid, long *hwm, long *rss)
{
	char path[64], line[256];
	FILE *f;

	*hwm = *rss = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmHWM:", 6))
			*hwm = strtol(line + 6, NULL, 10);
		else if (!strncmp(line, "VmRSS:", 6))
			*rss = strtol(line + 6, NULL, 10);
	}
	fclose(f);
}

/* --match: the output seen so far, kept until the string is found. */
static const char *match;
static char seen[1 << 20];
static size_t seen_len;

/* Read what is available on the pty master; return bytes read, 0 on EOF/EIO (all slave ends
 * closed), -1 if nothing was ready. Sets *newline when a '\n' was among the bytes, or, with
 * --match, when the output so far contains the string. */
static long drain(int fd, int *newline)
{
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0) {
		if (newline && match) {
			if (seen_len + n >= sizeof(seen))   /* 1 MiB before the probe is live: start over */
				seen_len = 0;
			memcpy(seen + seen_len, buf, n);
			seen_len += n;
			seen[seen_len] = '\0';
			if (strstr(seen, match))
				*newline = 1;
		} else if (newline && memchr(buf, '\n', n)) {
			*newline = 1;
		}
		return n;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: launchtime [--hold MS] [--timeout MS] [--links N | --fds N] "
		"[--match STR [--trigger PATH]] [--err FILE] -- CMD [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double hold_ms = 300, timeout_ms = 10000, t0, t1 = -1, deadline, cpu_ms = -1;
	const char *errfile = "/dev/null", *trigger = NULL;
	bool perf_fds = false;
	struct winsize ws = { .ws_row = 50, .ws_col = 200 };
	long bytes = 0, hwm = -1, rss = -1;
	int links_target = 0, links = -1, master, slave, i, status = 0, exited = 0, eof = 0;
	const char *result = "ok";
	struct rusage ru;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--") ) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--hold") && i + 1 < argc) {
			hold_ms = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout_ms = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--links") && i + 1 < argc) {
			links_target = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--fds") && i + 1 < argc) {
			links_target = atoi(argv[++i]);
			perf_fds = true;
		} else if (!strcmp(argv[i], "--match") && i + 1 < argc) {
			match = argv[++i];
		} else if (!strcmp(argv[i], "--trigger") && i + 1 < argc) {
			trigger = argv[++i];
		} else if (!strcmp(argv[i], "--err") && i + 1 < argc) {
			errfile = argv[++i];
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();

	if (openpty(&master, &slave, NULL, NULL, &ws) < 0) {
		printf("status=error reason=openpty:%s\n", strerror(errno));
		return 0;
	}
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);
	memset(&ru, 0, sizeof(ru));

	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		printf("status=error reason=fork:%s\n", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), err = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		setsid();
		dup2(in, 0);
		dup2(slave, 1);
		dup2(err >= 0 ? err : slave, 2);
		if (slave > 2)
			close(slave);
		execvp(argv[i], argv + i);
		dprintf(2, "launchtime: exec %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	close(slave);

	/* Phase 1: wait for the attach signal. */
	deadline = t0 + timeout_ms;
	while (t1 < 0) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		int nl = 0, r;

		r = poll(&p, 1, links_target > 0 || trigger ? 0 : 5);
		if ((links_target > 0 || trigger) && r == 0) {
			struct timespec ts = { 0, trigger ? 200000 : 250000 };

			if (trigger) {
				int fd = open(trigger, O_RDONLY | O_CLOEXEC);

				if (fd >= 0)
					close(fd);
			}
			nanosleep(&ts, NULL);
		}
		if (r > 0) {
			long n = drain(master, &nl);

			if (n > 0)
				bytes += n;
			else if (n == 0)
				eof = 1;
			if (nl && links_target <= 0) {
				t1 = now_ms();
				break;
			}
		}
		if (links_target > 0) {
			int l = count_links(pid, perf_fds);

			if (l >= links_target) {
				t1 = now_ms();
				break;
			}
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			exited = 1;
			result = "exited";
			break;
		}
		if (eof) {   /* stdout closed without a line: wait for the exit */
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
		}
		if (now_ms() > deadline) {
			result = "timeout";
			break;
		}
	}

	if (t1 >= 0)
		cpu_ms = cpu_time_ms(pid);

	/* Phase 2: hold, draining output, then sample memory and links. */
	if (!exited) {
		deadline = now_ms() + (t1 >= 0 ? hold_ms : 0);
		while (now_ms() < deadline) {
			struct pollfd p = { .fd = master, .events = POLLIN };

			if (!eof && poll(&p, 1, 5) > 0) {
				long n = drain(master, NULL);

				if (n > 0)
					bytes += n;
				else if (n == 0)
					eof = 1;
			} else if (eof) {
				usleep(5000);
			}
			if (waitpid(pid, &status, WNOHANG) == pid) {
				exited = 1;
				break;
			}
		}
	}
	if (!exited) {
		read_status(pid, &hwm, &rss);
		links = count_links(pid, perf_fds);
		kill(pid, SIGINT);

		/* Phase 3: drain until exit; SIGKILL after 5 s. */
		deadline = now_ms() + 5000;
		for (;;) {
			struct pollfd p = { .fd = master, .events = POLLIN };
			pid_t w;

			if (!eof && poll(&p, 1, 5) > 0) {
				long n = drain(master, NULL);

				if (n > 0)
					bytes += n;
				else if (n == 0)
					eof = 1;
			} else if (eof) {
				usleep(2000);
			}
			w = wait4(pid, &status, WNOHANG, &ru);
			if (w == pid)
				break;
			if (now_ms() > deadline) {
				kill(pid, SIGKILL);
				wait4(pid, &status, 0, &ru);
				break;
			}
		}
	} else {
		/* Reap again through wait4 only to get the rusage; the status is already known. */
		struct rusage self;

		getrusage(RUSAGE_CHILDREN, &self);
		ru = self;
	}
	close(master);

	printf("status=%s t_ms=%.3f cpu_ms=%.3f hwm_kb=%ld rss_kb=%ld maxrss_kb=%ld links=%d exit=%d bytes=%ld\n",
	       result, t1 >= 0 ? t1 - t0 : -1.0, cpu_ms, hwm, rss, ru.ru_maxrss, links,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), bytes);
	return 0;
}
