/* Names of signals, errno values, open flags and system calls. See sys.h. */
#include "core/sys/sys.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
/* Generated at build time from this architecture's <asm/unistd.h> (cmake/syscall_names.cmake). */
#include "sys_syscall_names.h"

/* Python's signal module names (what BCC prints); Linux numbers, the same on x86-64 and arm64. */
static const char *const signal_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
	[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
	[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO", [30] = "SIGPWR",
	[31] = "SIGSYS", [34] = "SIGRTMIN", [64] = "SIGRTMAX",
};
#define NSIGNAL_NAMES ((int)(sizeof(signal_names) / sizeof(signal_names[0])))

const char *sys_signal_name(int sig)
{
	return sig > 0 && sig < NSIGNAL_NAMES ? signal_names[sig] : NULL;
}

/* softirq_to_name[] in kernel/softirq.c, by vector (include/linux/interrupt.h) */
static const char *const softirq_names[] = {
	"hi", "timer", "net_tx", "net_rx", "block", "irq_poll", "tasklet", "sched", "hrtimer", "rcu",
};

const char *sys_softirq_name(unsigned int vec)
{
	return vec < sizeof(softirq_names) / sizeof(softirq_names[0]) ? softirq_names[vec] : NULL;
}

int sys_signal_number(const char *name)
{
	const char *bare = strncasecmp(name, "SIG", 3) ? name : name + 3;

	for (int sig = 1; sig < NSIGNAL_NAMES; sig++)
		if (signal_names[sig] && !strcasecmp(signal_names[sig] + 3, bare))
			return sig;
	return 0;
}

/* glibc's table (2.32+) serves: it knows every errno of the kernel headers it was built with. */
#define ERRNO_MAX 4096   /* the kernel's MAX_ERRNO: error returns are -1 .. -4095 */

const char *sys_errno_name(int err)
{
	return err > 0 && err < ERRNO_MAX ? strerrorname_np(err) : NULL;
}

int sys_errno_number(const char *name)
{
	for (int err = 1; err < ERRNO_MAX; err++) {
		const char *n = strerrorname_np(err);

		if (n && !strcmp(n, name))
			return err;
	}
	return 0;
}

/* The open flags Python's os module has (BCC's opensnoop -f), with this libc's values. */
static const struct {
	const char *name;
	int value;
} open_flags[] = {
	{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR },
	{ "O_APPEND", O_APPEND }, { "O_CREAT", O_CREAT }, { "O_EXCL", O_EXCL },
	{ "O_TRUNC", O_TRUNC }, { "O_NONBLOCK", O_NONBLOCK }, { "O_NDELAY", O_NDELAY },
	{ "O_DSYNC", O_DSYNC }, { "O_SYNC", O_SYNC }, { "O_RSYNC", O_RSYNC },
	{ "O_NOCTTY", O_NOCTTY }, { "O_CLOEXEC", O_CLOEXEC }, { "O_ASYNC", O_ASYNC },
	{ "O_DIRECT", O_DIRECT }, { "O_DIRECTORY", O_DIRECTORY }, { "O_NOFOLLOW", O_NOFOLLOW },
	{ "O_NOATIME", O_NOATIME }, { "O_PATH", O_PATH }, { "O_TMPFILE", O_TMPFILE },
	{ "O_LARGEFILE", O_LARGEFILE }, { "O_ACCMODE", O_ACCMODE },
};

bool sys_open_flag(const char *name, int *value)
{
	for (size_t i = 0; i < sizeof(open_flags) / sizeof(open_flags[0]); i++)
		if (!strcmp(open_flags[i].name, name)) {
			*value = open_flags[i].value;
			return true;
		}
	return false;
}

#define NSYSCALLS ((long)(sizeof(sys_syscall_names) / sizeof(sys_syscall_names[0])))

const char *sys_syscall_name(long nr)
{
	return nr >= 0 && nr < NSYSCALLS ? sys_syscall_names[nr] : NULL;
}

long sys_syscall_nr(const char *name)
{
	for (long nr = 0; nr < NSYSCALLS; nr++)
		if (sys_syscall_names[nr] && !strcmp(sys_syscall_names[nr], name))
			return nr;
	return -1;
}

long sys_syscall_count(void)
{
	return NSYSCALLS;
}

/* <linux/capability.h>'s order, as BCC's capable prints them. */
static const char *const capability_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

const char *sys_capability_name(int cap)
{
	return cap >= 0 && cap < (int)(sizeof(capability_names) / sizeof(capability_names[0])) ?
	       capability_names[cap] : NULL;
}
