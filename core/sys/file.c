/* Whole-file reads of procfs/sysfs, a task's comm, the time of day. See sys.h. */
#include "core/sys/sys.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *sys_read_file(const char *path, size_t max, size_t *len_out)
{
	/* O_NONBLOCK: a FIFO put where a file was expected must not stall the run. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	size_t cap = max < (1u << 16) ? max : (1u << 16), len = 0;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	buf = malloc(cap + 1);
	while (buf && len < max) {
		if (len == cap) {
			/* Doubling: a 10 MB kallsyms costs a handful of reallocs, not thousands. */
			size_t bigger_cap = cap > max / 2 ? max : cap * 2;
			char *bigger = realloc(buf, bigger_cap + 1);

			if (!bigger) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = bigger;
			cap = bigger_cap;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			buf = NULL;
		}
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

const char *sys_pid_comm(pid_t pid, char *buf, size_t len)
{
	char path[64], *text;

	if (!len)
		return buf;
	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	text = sys_read_file(path, 64, NULL);   /* TASK_COMM_LEN is 16; kthreads may show more */
	if (text) {
		snprintf(buf, len, "%.*s", (int)strcspn(text, "\n"), text);
		free(text);
	}
	return buf;
}

int sys_pid_exe(pid_t pid, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	if (len < 2)
		return -EINVAL;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

const char *sys_time_of_day(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (localtime_r(&t, &tm))
		strftime(buf, len, "%H:%M:%S", &tm);
	return buf;
}

long long sys_meminfo_kb(const char *field)
{
	char *text = sys_read_file("/proc/meminfo", SYS_READ_SMALL, NULL);
	size_t len = strlen(field);
	long long kb = -1;

	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtoll(line + len + 1, NULL, 10);
			break;
		}
	}
	free(text);
	return kb;
}

const char *sys_loadavg(char *buf, size_t len)
{
	char *text = sys_read_file("/proc/loadavg", SYS_READ_SMALL, NULL);

	snprintf(buf, len, "%s", text ? text : "");
	buf[strcspn(buf, "\n")] = 0;
	free(text);
	return buf;
}

const char *sys_user_name(unsigned int uid, char *buf, size_t len)
{
	char *text = sys_read_file("/etc/passwd", SYS_READ_SMALL, NULL), *line, *next;

	snprintf(buf, len, "UNKNOWN(%u)", uid);
	for (line = text; line && *line; line = next) {
		char *end = strchr(line, '\n'), *f1, *f2;

		next = end ? end + 1 : line + strlen(line);
		if (end)
			*end = 0;
		/* name:password:uid:... */
		f1 = strchr(line, ':');
		f2 = f1 ? strchr(f1 + 1, ':') : NULL;
		if (f2 && strtoul(f2 + 1, NULL, 10) == uid && f2[1] >= '0' && f2[1] <= '9') {
			snprintf(buf, len, "%.*s", (int)(f1 - line), line);
			break;
		}
	}
	free(text);
	return buf;
}

/* /sys/devices/system/cpu/online is a list like "0-3,8,10-11". */
int sys_online_cpus(bool *online, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	char buf[1024], *p, *save = NULL;
	int n = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	for (p = strtok_r(buf, ",\n", &save); p; p = strtok_r(NULL, ",\n", &save)) {
		int a, b;

		if (sscanf(p, "%d-%d", &a, &b) != 2)
			b = a = atoi(p);
		for (int c = a; c <= b && c < max; c++) {
			online[c] = true;
			if (c + 1 > n)
				n = c + 1;
		}
	}
	return n;
}
