/* pthread mutex tools (deadlock, pmlock, pmheld), user space: finding the lock and unlock
 * functions a process calls and putting the programs of bpf/pmutex.bpf.h's users on them. */
#ifndef BCCT_FAMILY_PMUTEX_H
#define BCCT_FAMILY_PMUTEX_H
#include <sys/types.h>
#include "core/opts.h"

struct bpf_program;

struct pmutex_progs {
	struct bpf_program *lock;          /* the entry of every lock function */
	struct bpf_program *lock_return;   /* their return; NULL: not traced */
	struct bpf_program *unlock;        /* the entry of every unlock function; NULL: not traced */
	struct bpf_program *create;        /* pthread_create's entry (in the same file); NULL: not
					      traced, nor when the file has none */
};

/* Before the run: 0 when process pid exists, else an exit status after one line (the uprobes
 * of these tools are the process's own: there is nothing to wait for). */
int pmutex_check_process(pid_t pid);

/* Attaches p's programs in process pid to the functions named in lock and unlock (empty lists:
 * pthread_mutex_lock and pthread_mutex_unlock) of `binary` (BCC's --binary, a path or a library
 * name as "c"), or when binary is NULL: of pid's executable when it defines the first lock
 * function (a static program), else of the C library pid maps. Unlock first, as BCC: a lock
 * seen without its unlock would stay held for ever. 0, or an exit status after one line
 * (no such process, file or function). */
int pmutex_attach(pid_t pid, const char *binary, const struct bcct_list *lock,
		  const struct bcct_list *unlock, const struct pmutex_progs *p);
#endif
