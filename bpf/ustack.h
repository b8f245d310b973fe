/* User stacks copied for unwinding in user space (--unwind=dwarf): the task's user registers
 * and the top of its user stack, sent as the tail of a variable-size event. Shared by profile,
 * offcputime and stackcount (and any stack tool offering --unwind=dwarf). */
#ifndef BCCT_USTACK_H
#define BCCT_USTACK_H
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* The user registers in the DWARF numbering of the architecture, which libunwind's remote API
 * asks for by that number (symbolize/unwind.h SYM_UNWIND_NREGS is the same count). */
#if defined(__TARGET_ARCH_arm64) || defined(__aarch64__)
#define BCCT_USTACK_NREGS 33            /* DWARF aarch64 order: x0..x30 (x29 fp, x30 lr), sp, pc */
#else
#define BCCT_USTACK_NREGS 17            /* DWARF x86_64 order: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip */
#endif
/* Largest stack copy. The event is assembled in a per-CPU array element, which the kernel
 * limits to 32 KiB (PCPU_MIN_UNIT_SIZE); the rest of the element holds the event head. */
#define BCCT_USTACK_MAX 32256
#define BCCT_USTACK_DEFAULT 8192        /* --stack-dump-size default */

/* The caller of a function whose entry a uprobe hit. There the function has not yet saved a
 * frame pointer: rbp (arm64: x29) is still its caller's, so the kernel's frame-pointer walk goes
 * from the function straight to the caller's caller. The return address into the caller is the
 * word at the stack pointer (arm64: the link register x30); x86-64 kernels from 6.12 add it
 * themselves, but only for functions whose first instruction pushes %rbp (or is endbr64). The
 * BPF side records both words below (all zero
 * where the probe is not at a function's entry: kprobes, tracepoints, USDT, return probes,
 * offsets); user space inserts ret as the second frame unless the kernel did
 * (symbolize/unwind.h sym_entry_caller_fix). */
struct bcct_entry_caller {
	__u64 ret;                      /* the word at sp (arm64: lr): the return address into
					 * the caller */
	__u64 next;                     /* the word at rbp + 8 (arm64: x29 + 8, the saved lr of
					 * the caller's frame record): the first return address the
					 * kernel's walk finds (the caller's own); 0 if unreadable */
};

struct bcct_ustack {
	__u64 regs[BCCT_USTACK_NREGS];  /* all 0: no user context (kernel thread) */
	__u32 size;                     /* bytes of data, copied from regs[7] (sp) upwards */
	__u32 pad;
	__u8 data[BCCT_USTACK_MAX];
};
#endif
