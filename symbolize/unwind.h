/* DWARF unwinding of a user stack captured elsewhere (bcct's BPF programs copy the task's user
 * registers and the top of its user stack): libunwind's remote API over that copy, with the
 * call frame information (.eh_frame through .eh_frame_hdr) read from the files the process
 * maps, so code built without frame pointers unwinds. x86_64 and aarch64.
 *
 * Memory reads by the unwinder are served from the stack copy when they fall in
 * [sp, sp + size), else from the mapped file behind the address (read-only data and code:
 * what CFI and its tables live in); anything else stops the unwind there. Per process: its
 * /proc/PID/maps (re-read at most once a second when an address misses, kept after the process
 * exits) and a libunwind address space with its per-IP cache; per file (device, inode): one
 * read-only mapping of it and its .eh_frame_hdr location, shared by all processes. */
#ifndef BCCT_SYMBOLIZE_UNWIND_H
#define BCCT_SYMBOLIZE_UNWIND_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Registers in the DWARF numbering of the architecture libunwind was built for (as
 * bpf/ustack.h's BCCT_USTACK_NREGS): x86_64 rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8..r15, rip;
 * aarch64 x0..x30 (x29 the frame pointer), sp, pc. */
#if defined(__aarch64__)
#define SYM_UNWIND_NREGS 33
enum { SYM_REG_BP = 29, SYM_REG_SP = 31, SYM_REG_IP = 32 };
#elif defined(__x86_64__)
#define SYM_UNWIND_NREGS 17
enum { SYM_REG_BP = 6, SYM_REG_SP = 7, SYM_REG_IP = 16 };
#else
#error "symbolize/unwind.h: the DWARF registers of this architecture are not described"
#endif

struct sym_unwinder;
struct sym_unwinder *sym_unwinder_new(void);
void sym_unwinder_free(struct sym_unwinder *u);

/* Unwinds process pid's user stack: regs as above, stack the stack_size bytes copied from
 * regs[SYM_REG_SP] upwards. Fills ips innermost first (ips[0] = the sampled ip, then return
 * addresses) and returns the number of frames (0 when regs are empty). Never fails harder than
 * stopping early. */
int sym_unwind(struct sym_unwinder *u, pid_t pid, const uint64_t regs[SYM_UNWIND_NREGS],
	       const void *stack, size_t stack_size, uint64_t *ips, int max);

/* A frame-pointer stack (ips[0..n), innermost first, as the kernel's walk gives it) taken by a
 * uprobe at a function's first instruction, where the function has not saved a frame pointer
 * yet and the walk skips its caller: puts the caller back. ret: the word that was at the stack
 * pointer (the return address into the caller), next: the word at rbp + 8 (the first return
 * address the walk finds), as bpf/ustack.h's struct bcct_entry_caller records them; ret 0: no
 * such probe, nothing to do. Kernels from 6.12 add ret themselves for functions that begin by
 * pushing %rbp; what the kernel did is read from the stack, not from its version: it added ret
 * when ips[1] is ret and the walk follows it (ips[2] is next, or the walk ended there). Else ret
 * becomes ips[1] and the rest moves up (the outermost frame is dropped when n was cap).
 * Returns the new n. Recursion from one call site at least four deep looks like the kernel's
 * addition when it did not add it: that stack then lacks one of the repeated frames. */
int sym_entry_caller_fix(uint64_t *ips, int n, int cap, uint64_t ret, uint64_t next);
#endif
