/* probetime: how long a tracing tool takes from launch until its probe works. Used by
 * bench/probe_startup, which compiles it at run time (gcc -O2); not part of the bcct build.
 *
 *   probetime [--timeout MS] --match STR --trigger PATH -- CMD [ARG...]
 *   probetime [--timeout MS] --fds N -- CMD [ARG...]
 *
 * The clock (CLOCK_MONOTONIC) starts just before fork(); the tool runs with stdout on a
 * pseudo-terminal (line-buffered output on both sides), stdin and stderr on /dev/null.
 * --match: the clock stops at the first output line containing STR, while probetime opens and
 *   closes PATH every 200 us (so the traced event happens as soon as the probe is live: this is
 *   "time to first event", the same signal for every tool).
 * --fds: the clock stops when the process holds N file descriptors that keep a BPF program
 *   attached (anon_inode:bpf_link or anon_inode:[perf_event]), for tools that print nothing
 *   until they end (histograms). Polled every 200 us.
 * Then SIGINT (SIGKILL after 3 s). Prints "status=ok|timeout|exited t_ms=..." on stdout. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int count_probe_fds(pid_t pid)
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
		if (!strcmp(target, "anon_inode:bpf_link") || !strcmp(target, "anon_inode:[perf_event]"))
			n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	double timeout_ms = 20000, t0, t1 = -1;
	const char *match = NULL, *trigger = NULL, *result = "timeout";
	static char line[1 << 16];
	size_t used = 0;
	int fds = 0, master, slave, i, status;
	struct winsize ws = { .ws_row = 50, .ws_col = 200 };
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout_ms = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--match") && i + 1 < argc) {
			match = argv[++i];
		} else if (!strcmp(argv[i], "--trigger") && i + 1 < argc) {
			trigger = argv[++i];
		} else if (!strcmp(argv[i], "--fds") && i + 1 < argc) {
			fds = atoi(argv[++i]);
		} else {
			break;
		}
	}
	if (i >= argc || (!match && fds <= 0)) {
		fprintf(stderr, "usage: probetime [--timeout MS] {--match STR --trigger PATH | --fds N} -- CMD...\n");
		return 2;
	}
	if (openpty(&master, &slave, NULL, NULL, &ws) < 0) {
		printf("status=error reason=openpty\n");
		return 0;
	}
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		setsid();
		dup2(nul, 0);
		dup2(slave, 1);
		dup2(nul, 2);
		execvp(argv[i], argv + i);
		_exit(127);
	}
	close(slave);
	while (now_ms() - t0 < timeout_ms) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		char buf[4096];
		ssize_t n;

		if (trigger) {
			int fd = open(trigger, O_RDONLY | O_CLOEXEC);

			if (fd >= 0)
				close(fd);
		}
		if (poll(&p, 1, 0) > 0 && (n = read(master, buf, sizeof(buf))) > 0) {
			for (ssize_t k = 0; k < n; k++) {
				if (buf[k] == '\n' || used == sizeof(line) - 1) {
					line[used] = 0;
					if (match && strstr(line, match) && t1 < 0)
						t1 = now_ms();
					used = 0;
				} else {
					line[used++] = buf[k];
				}
			}
		}
		if (t1 < 0 && fds > 0 && count_probe_fds(pid) >= fds)
			t1 = now_ms();
		if (t1 >= 0) {
			result = "ok";
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			result = "exited";
			pid = -1;
			break;
		}
		usleep(200);
	}
	if (pid > 0) {
		double stop = now_ms();

		kill(pid, SIGINT);
		while (waitpid(pid, &status, WNOHANG) != pid) {
			char buf[4096];

			while (read(master, buf, sizeof(buf)) > 0)
				;
			if (now_ms() - stop > 3000)
				kill(pid, SIGKILL);
			usleep(1000);
		}
	}
	printf("status=%s t_ms=%.2f\n", result, t1 >= 0 ? t1 - t0 : -1.0);
	return 0;
}
