/* User stacks copied for unwinding in user space (--unwind=dwarf): the task's user registers
 * and the top of its user stack, sent as the tail of a variable-size event. Shared by profile,
 * offcputime and stackcount (and any stack tool offering --unwind=dwarf). */
#ifndef BCCT_USTACK_H
#define BCCT_USTACK_H
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define BCCT_USTACK_NREGS 17            /* DWARF x86_64 order: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip */
/* Largest stack copy. The event is assembled in a per-CPU array element, which the kernel
 * limits to 32 KiB (PCPU_MIN_UNIT_SIZE); the rest of the element holds the event head. */
#define BCCT_USTACK_MAX 32256
#define BCCT_USTACK_DEFAULT 8192        /* --stack-dump-size default */

struct bcct_ustack {
	__u64 regs[BCCT_USTACK_NREGS];  /* all 0: no user context (kernel thread) */
	__u32 size;                     /* bytes of data, copied from regs[7] (sp) upwards */
	__u32 pad;
	__u8 data[BCCT_USTACK_MAX];
};
#endif
