/* DWARF unwinding of a user stack captured elsewhere (bcct's BPF programs copy the task's user
 * registers and the top of its user stack): libunwind's remote API over that copy, with the
 * call frame information (.eh_frame through .eh_frame_hdr) read from the files the process
 * maps, so code built without frame pointers unwinds. x86_64.
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

/* Registers in DWARF x86_64 numbering (rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8..r15, rip). */
#define SYM_UNWIND_NREGS 17
enum { SYM_REG_BP = 6, SYM_REG_SP = 7, SYM_REG_IP = 16 };

struct sym_unwinder;
struct sym_unwinder *sym_unwinder_new(void);
void sym_unwinder_free(struct sym_unwinder *u);

/* Unwinds process pid's user stack: regs as above, stack the stack_size bytes copied from
 * regs[SYM_REG_SP] upwards. Fills ips innermost first (ips[0] = the sampled ip, then return
 * addresses) and returns the number of frames (0 when regs are empty). Never fails harder than
 * stopping early. */
int sym_unwind(struct sym_unwinder *u, pid_t pid, const uint64_t regs[SYM_UNWIND_NREGS],
	       const void *stack, size_t stack_size, uint64_t *ips, int max);
#endif
