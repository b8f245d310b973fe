#ifndef SHMSNOOP_H
#define SHMSNOOP_H
/* struct syscall_record's call (bpf/syscall_record.h); args: shmget: key, size, shmflg; shmat:
 * shmid, shmaddr, shmflg; shmdt: shmaddr; shmctl: shmid, cmd, buf. */
enum shmsnoop_sys { SHMSNOOP_SHMGET, SHMSNOOP_SHMAT, SHMSNOOP_SHMDT, SHMSNOOP_SHMCTL };
#endif
