#ifndef SETUIDS_H
#define SETUIDS_H
/* struct syscall_record's call (bpf/syscall_record.h); args: uid, or ruid, euid, suid (-1:
 * unchanged); ret: setfsuid's is the previous fsuid. */
enum setuids_call { SETUIDS_SETUID, SETUIDS_SETFSUID, SETUIDS_SETRESUID };
#endif
