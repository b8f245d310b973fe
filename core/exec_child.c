/* --exec CMD [ARGS...]: bcct starts CMD itself and traces exactly it. The child is forked before
 * anything is loaded and held before exec (blocked reading a pipe), so its PID is known when the
 * shared filter is filled (the in-kernel filter -p uses) and nothing it does escapes the trace;
 * core releases it once every probe is attached. The trace ends when it exits: SIGCHLD ends the
 * event loop as bcct_stop() does, the final output is printed and its status reported on stderr.
 * Ctrl-C reaches the child from the terminal as usual; bcct neither kills nor waits for it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/exec_child.h"
#include "core/run.h"
#include "core/sys/sys.h"

static _Thread_local pid_t child = -1;
static _Thread_local int release_fd = -1;            /* the held child's pipe: a byte lets it exec */
static _Thread_local volatile sig_atomic_t child_exited;
static _Thread_local struct sigaction old_chld;

static void on_sigchld(int sig)
{
	int saved_errno = errno;
	siginfo_t info = { .si_pid = 0 };

	(void)sig;
	/* WNOWAIT: the child stays a zombie until exec_child_finish, so the final output can still
	 * name it from /proc/PID/comm (syscount -P). */
	if (child > 0 && !child_exited &&
	    !waitid(P_PID, child, &info, WEXITED | WNOHANG | WNOWAIT) && info.si_pid == child) {
		child_exited = 1;
		bcct_stop();
	}
	errno = saved_errno;
}

/* As execvp looks CMD up: a name without '/' on $PATH. A typo fails here, before anything is
 * loaded, with one line. */
static int check_runnable(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(cmd, '/'))
		return access(cmd, X_OK) ? -errno : 0;
	for (const char *p = path ? path : "/usr/local/bin:/usr/bin:/bin"; ; p++) {
		const char *end = strchrnul(p, ':');
		int len = (int)(end - p);
		struct stat st;

		if (snprintf(buf, sizeof(buf), "%.*s%s%s", len, p, len ? "/" : "", cmd) < (int)sizeof(buf) &&
		    !stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, X_OK))
			return 0;
		if (!*end)
			return -ENOENT;
		p = end;
	}
}

static void child_main(int hold_fd, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	char go;
	ssize_t n;

	/* Named as CMD already: the syscalls between its release and its exec are traced too. */
	prctl(PR_SET_NAME, base ? base + 1 : argv[0]);
	do
		n = read(hold_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(127);   /* bcct failed before attaching: CMD never runs */
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "%s: --exec %s: %s\n", bcct_prog, argv[0], strerror(errno));
	_exit(127);
}

int exec_child_start(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_NOCLDSTOP };
	int fds[2], err;

	if (!env.exec_argv)
		return 0;
	if (env.pid || env.tid) {
		bcct_usage_err("--exec traces its own command: it cannot be combined with -p/-t");
		return BCCT_EXIT_USAGE;
	}
	if ((err = check_runnable(env.exec_argv[0]))) {
		bcct_err("--exec %s: %s", env.exec_argv[0], strerror(-err));
		return BCCT_EXIT_FAIL;
	}
	if (pipe2(fds, O_CLOEXEC)) {
		bcct_err("--exec: pipe: %s", strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	child_exited = 0;
	/* Installed before fork, no SA_RESTART: an exit at any time interrupts the loop's poll. */
	sigaction(SIGCHLD, &sa, &old_chld);
	fflush(NULL);
	child = fork();
	if (child == 0) {
		close(fds[1]);
		child_main(fds[0], env.exec_argv);
	}
	close(fds[0]);
	if (child < 0) {
		bcct_err("--exec: fork: %s", strerror(errno));
		close(fds[1]);
		sigaction(SIGCHLD, &old_chld, NULL);
		return BCCT_EXIT_FAIL;
	}
	release_fd = fds[1];
	env.pid = child;
	bcct_info("--exec: %s held as pid %d", env.exec_argv[0], (int)child);
	return 0;
}

void exec_child_release(void)
{
	if (release_fd < 0)
		return;
	if (write(release_fd, "x", 1) != 1)
		bcct_err("--exec: cannot release %s: %s", env.exec_argv[0], strerror(errno));
	close(release_fd);
	release_fd = -1;
}

static void report(int status)
{
	if (WIFEXITED(status))
		bcct_err("%s (pid %d) exited with status %d", env.exec_argv[0], (int)child,
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && sys_signal_name(WTERMSIG(status)))
		bcct_err("%s (pid %d) was killed by %s", env.exec_argv[0], (int)child,
			 sys_signal_name(WTERMSIG(status)));
	else if (WIFSIGNALED(status))
		bcct_err("%s (pid %d) was killed by signal %d", env.exec_argv[0], (int)child,
			 WTERMSIG(status));
}

void exec_child_finish(void)
{
	int status;

	if (child <= 0)
		return;
	if (release_fd >= 0) {
		/* Never released (bcct failed first): closing the pipe makes it exit unrun. */
		close(release_fd);
		release_fd = -1;
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	} else if (child_exited) {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		report(status);
	} else if (waitpid(child, &status, WNOHANG) == child) {
		report(status);
	} else {
		/* Ctrl-C, SIGTERM or -d ended the trace first: the child is the terminal's. */
		bcct_err("%s (pid %d) is still running; no longer traced", env.exec_argv[0], (int)child);
	}
	sigaction(SIGCHLD, &old_chld, NULL);
	child = -1;
}
