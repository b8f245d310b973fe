/* See pmutex.h. */
#include "core/family/pmutex.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/log.h"
#include "core/run.h"
#include "core/sys/sys.h"

static const char *function_at(const struct bcct_list *names, int i, const char *fallback)
{
	return names->n ? names->v[i] : fallback;
}

static int attach_all(struct bpf_program *prog, bool retprobe, pid_t pid,
		      const struct sys_library *lib, const struct bcct_list *names,
		      const char *fallback)
{
	for (int i = 0; prog && i < (names->n ? names->n : 1); i++) {
		const char *func = function_at(names, i, fallback);
		int err = bcct_attach_uprobe(prog, retprobe, pid, lib->attach, func, 0);

		if (err) {
			bcct_err("%s: cannot attach to %s: %s", lib->shown, func,
				 err == -ENOENT ? "no such function (is --binary missing?)" : strerror(-err));
			return BCCT_EXIT_FAIL;
		}
	}
	return 0;
}

/* pid's executable when it defines `func` (a static program carries its own pthread). */
static bool exe_defines(pid_t pid, const char *func, struct sys_library *lib)
{
	char exe[4096];
	uint64_t offset;

	if (sys_pid_exe(pid, exe, sizeof(exe)) || sys_library_open(lib, pid, exe, true))
		return false;
	if (!sys_elf_function_offset(lib->attach, func, &offset))
		return true;
	sys_library_close(lib);
	return false;
}

int pmutex_check_process(pid_t pid)
{
	if (kill(pid, 0) && errno == ESRCH) {
		bcct_err("no process %d: is it running?", (int)pid);
		return BCCT_EXIT_FAIL;
	}
	return 0;
}

int pmutex_attach(pid_t pid, const char *binary, const struct bcct_list *lock,
		  const struct bcct_list *unlock, const struct pmutex_progs *p)
{
	struct sys_library lib;
	int err;

	if (binary) {
		if (sys_library_open(&lib, pid, binary, true)) {
			bcct_err("cannot find \"%s\" in process %d", binary, (int)pid);
			return BCCT_EXIT_FAIL;
		}
	} else if (!exe_defines(pid, function_at(lock, 0, "pthread_mutex_lock"), &lib) &&
		   sys_library_open(&lib, pid, "c", false)) {
		bcct_err("process %d maps no C library: give the file with the lock functions (--binary)",
			 (int)pid);
		return BCCT_EXIT_FAIL;
	}
	bcct_info("lock functions in %s", lib.shown);
	err = attach_all(p->unlock, false, pid, &lib, unlock, "pthread_mutex_unlock");
	if (!err)
		err = attach_all(p->lock, false, pid, &lib, lock, "pthread_mutex_lock");
	if (!err)
		err = attach_all(p->lock_return, true, pid, &lib, lock, "pthread_mutex_lock");
	if (!err && p->create) {
		int e = bcct_attach_uprobe(p->create, false, pid, lib.attach, "pthread_create", 0);

		if (e)   /* a program with its own lock functions but no threads of pthread's */
			bcct_info("%s: pthread_create not traced: %s", lib.shown, strerror(-e));
	}
	sys_library_close(&lib);
	return err;
}
