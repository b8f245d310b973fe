/* Syscall probes on the raw sys_enter/sys_exit hooks.
 *
 * The syscalls:sys_enter_X tracepoints are perf events, and closing each one waits for a
 * tracepoint grace period in the kernel, serialized on event_mutex: 35-60 ms per event, so
 * opensnoop (6 events) or statsnoop (12) took 250-500 ms from Ctrl-C to the prompt. One raw_tp
 * program on sys_enter and one on sys_exit, dispatching on the syscall number, release in about
 * a millisecond. They run on every syscall of the system, like the kernel's own dispatcher
 * behind the per-syscall tracepoints (which also hooks sys_enter for every syscall), and return
 * after a compare for the others (bench/syscall_overhead measures the difference).
 *
 * An object names the whole `sys_enter_raw`/`sys_exit_raw` and keeps the per-syscall
 * tracepoints as its parts, `sys_enter__openat_tp` (core/select.h: a part is used only when
 * the whole cannot be). The syscall numbers come from user space: core fills every
 * `bcct_nr_<syscall>` from its build-time table (core/run.c), -1 where the architecture has no
 * such call.
 *
 * No CO-RE: the user registers are read with the architecture's fixed pt_regs layout (the same
 * since these hooks exist), so an object without other relocations still starts without
 * kernel BTF. */
#ifndef BCCT_SYSCALLS_BPF_H
#define BCCT_SYSCALLS_BPF_H

/* Declares the .rodata slot core fills with syscall `name`'s number. */
#define BCCT_SYSCALL_NR(name) const volatile int bcct_nr_##name = -1

/* id is syscall nr, and this architecture has that call. */
#define bcct_is_syscall(id, nr) ((nr) >= 0 && (id) == (nr))

#if defined(__TARGET_ARCH_x86)
/* struct pt_regs of x86_64 (arch/x86/include/asm/ptrace.h). */
struct bcct_user_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax;
	unsigned long ip, cs, flags, sp, ss;
};
#define BCCT_X32_SYSCALL_BIT 0x40000000UL
#define BCCT_USER32_CS 0x23
/* The per-syscall tracepoints skip 32-bit (ia32, x32) syscalls, whose numbers differ: so do
 * these. ia32 is told by the caller's code segment (a 64-bit process's int $0x80 is missed). */
static __always_inline bool bcct_regs_native(const struct bcct_user_regs *r)
{
	return r->cs != BCCT_USER32_CS && !(r->orig_ax & BCCT_X32_SYSCALL_BIT);
}
static __always_inline void bcct_regs_args(const struct bcct_user_regs *r, unsigned long *a)
{
	a[0] = r->di; a[1] = r->si; a[2] = r->dx; a[3] = r->r10; a[4] = r->r8; a[5] = r->r9;
}
#define BCCT_REGS_NR(r) ((r)->orig_ax)
#define BCCT_REGS_NR_TYPE(v) (v)
#elif defined(__TARGET_ARCH_arm64)
/* struct pt_regs of arm64 up to syscallno (arch/arm64/include/asm/ptrace.h). */
struct bcct_user_regs {
	unsigned long regs[31], sp, pc, pstate, orig_x0;
	int syscallno;
};
#define BCCT_PSR_MODE32_BIT 0x10
static __always_inline bool bcct_regs_native(const struct bcct_user_regs *r)
{
	return !(r->pstate & BCCT_PSR_MODE32_BIT);
}
static __always_inline void bcct_regs_args(const struct bcct_user_regs *r, unsigned long *a)
{
	a[0] = r->orig_x0;
	for (int i = 1; i < 6; i++)
		a[i] = r->regs[i];
}
#define BCCT_REGS_NR(r) ((r)->syscallno)
#define BCCT_REGS_NR_TYPE(v) ((long)(int)(v))   /* an int, then padding */
#else
#error "bpf/syscalls.bpf.h: the user register layout of this architecture is not described"
#endif

/* At sys_enter: the six arguments of a native syscall; false for a 32-bit one. */
static __always_inline bool bcct_syscall_args(const void *regs, unsigned long *args)
{
	struct bcct_user_regs r;

	if (bpf_probe_read_kernel(&r, sizeof(r), regs) || !bcct_regs_native(&r))
		return false;
	bcct_regs_args(&r, args);
	return true;
}

/* At sys_exit, which runs after every syscall: the number of the syscall returning, read
 * alone (one 8-byte read) so that the others cost a compare; -1 when unreadable. */
static __always_inline long bcct_syscall_exit_nr(const void *regs)
{
	const struct bcct_user_regs *r = regs;
	long nr;

	if (bpf_probe_read_kernel(&nr, sizeof(nr), (const void *)&BCCT_REGS_NR(r)))
		return -1;
	return BCCT_REGS_NR_TYPE(nr);
}

/* At sys_exit of a call that matched: false for a 32-bit syscall (its number meant another
 * call). */
static __always_inline bool bcct_syscall_native(const void *regs)
{
	struct bcct_user_regs r;

	return !bpf_probe_read_kernel(&r, sizeof(r), regs) && bcct_regs_native(&r);
}
#endif
