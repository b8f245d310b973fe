/* shmsnoop: shmget, shmat, shmdt and shmctl calls with their arguments and result. BCC puts
 * kprobes and kretprobes on the syscall functions; the syscalls see the same calls with the same
 * arguments on every kernel, so they are the one method here, one event per call
 * (bpf/syscall_record.bpf.h). */
#include "bcct.bpf.h"
#include "syscall_record.bpf.h"
#include "shmsnoop.h"

#define SHMSNOOP_SYSCALLS(X)				\
	X(shmget, SHMSNOOP_SHMGET, 3)			\
	X(shmat, SHMSNOOP_SHMAT, 3)			\
	X(shmdt, SHMSNOOP_SHMDT, 1)			\
	X(shmctl, SHMSNOOP_SHMCTL, 3)

SYSCALL_RECORD_PROGRAMS(SHMSNOOP_SYSCALLS)
