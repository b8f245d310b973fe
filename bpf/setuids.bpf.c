/* setuids: setuid(2), setfsuid(2) and setresuid(2) calls with their arguments and result, as the
 * book's setuids.bt (syscall tracepoints), one event per call (bpf/syscall_record.bpf.h). */
#include "bcct.bpf.h"
#include "syscall_record.bpf.h"
#include "setuids.h"

#define SETUIDS_SYSCALLS(X)				\
	X(setuid, SETUIDS_SETUID, 1)			\
	X(setfsuid, SETUIDS_SETFSUID, 1)		\
	X(setresuid, SETUIDS_SETRESUID, 3)

SYSCALL_RECORD_PROGRAMS(SETUIDS_SYSCALLS)
