/* Capture of the current task's user registers and stack top (bpf/ustack.h). */
#ifndef BCCT_USTACK_BPF_H
#define BCCT_USTACK_BPF_H
#include "syscalls.bpf.h"
#include "ustack.h"

#ifndef PF_KTHREAD
#define PF_KTHREAD 0x00200000
#endif
#define BCCT_THREAD_SIZE 16384          /* x86_64's and arm64's kernel stack (without KASAN), for
					 * kernels without task_pt_regs */

/* The registers the task entered the kernel with (syscall, interrupt, or the sample itself
 * when it interrupted user mode). */
static __always_inline struct pt_regs *bcct_user_regs(void)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs))
		return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	return (struct pt_regs *)((char *)BPF_CORE_READ(t, stack) + BCCT_THREAD_SIZE) - 1;
}

/* The syscall the current task is in (the number it entered the kernel with), -1 when unknown:
 * whether a tracepoint that fires inside many paths (sock:inet_sock_set_state) was reached from
 * connect() or close(). Compare with bcct_is_syscall(). */
static __always_inline long bcct_current_syscall(void)
{
	return bcct_syscall_exit_nr(bcct_user_regs());
}

/* Fills u; its size is what to send after the head (0 for kernel threads). Copies up to
 * dump_size bytes from sp; when that runs past the end of the stack mapping (or a page is not
 * present, which the helper cannot fault in here), it retries with half, down to 512 bytes. */
static __always_inline void bcct_ustack_capture(struct bcct_ustack *u, u32 dump_size)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
#if defined(__TARGET_ARCH_x86)
	struct pt_regs r;
#elif defined(__TARGET_ARCH_arm64)
	struct user_pt_regs r;          /* the start of pt_regs, the same in every kernel */
#endif
	u64 sp;

	u->size = 0;
	__builtin_memset(u->regs, 0, sizeof(u->regs));
	if ((BPF_CORE_READ(t, flags) & PF_KTHREAD) || !BPF_CORE_READ(t, mm))
		return;
	if (bpf_probe_read_kernel(&r, sizeof(r), bcct_user_regs()))
		return;
#if defined(__TARGET_ARCH_x86)
	u->regs[0] = r.ax;  u->regs[1] = r.dx;  u->regs[2] = r.cx;  u->regs[3] = r.bx;
	u->regs[4] = r.si;  u->regs[5] = r.di;  u->regs[6] = r.bp;  u->regs[7] = r.sp;
	u->regs[8] = r.r8;  u->regs[9] = r.r9;  u->regs[10] = r.r10; u->regs[11] = r.r11;
	u->regs[12] = r.r12; u->regs[13] = r.r13; u->regs[14] = r.r14; u->regs[15] = r.r15;
	u->regs[16] = r.ip;
#elif defined(__TARGET_ARCH_arm64)
	for (int i = 0; i < 31; i++)
		u->regs[i] = r.regs[i];
	u->regs[31] = r.sp;
	u->regs[32] = r.pc;
#else
#error "bpf/ustack.bpf.h: the user registers of this architecture are not described"
#endif
	sp = r.sp;
	for (int i = 0; i < 7; i++) {
		u32 n = dump_size >> i;

		if (n > BCCT_USTACK_MAX)
			n = BCCT_USTACK_MAX;
		if (n < 512)
			break;
		if (!bpf_probe_read_user(u->data, n, (void *)sp)) {
			u->size = n;
			return;
		}
	}
}

/* At a uprobe on a function's first instruction (ctx: its user registers): the words user space
 * needs to put the caller back into the frame-pointer stack (bpf/ustack.h). Zero where unreadable
 * (a return address is never 0). */
static __always_inline void bcct_entry_caller_read(struct pt_regs *ctx, struct bcct_entry_caller *c)
{
#if defined(__TARGET_ARCH_arm64)
	c->ret = PT_REGS_RET(ctx);      /* the call left it in the link register */
#else
	if (bpf_probe_read_user(&c->ret, sizeof(c->ret), (void *)PT_REGS_SP(ctx)))
		c->ret = 0;
#endif
	if (bpf_probe_read_user(&c->next, sizeof(c->next), (void *)(PT_REGS_FP(ctx) + 8)))
		c->next = 0;
}

/* Bytes to send for an event whose ustack member u starts head bytes into it. */
static __always_inline u64 bcct_ustack_event_size(const struct bcct_ustack *u, u64 head)
{
	u64 n = u->size;

	if (n > BCCT_USTACK_MAX)
		n = BCCT_USTACK_MAX;
	return head + __builtin_offsetof(struct bcct_ustack, data) + n;
}

/* What a program offering --unwind=dwarf declares once, for its event type (a struct with a
 * `struct bcct_ustack ustack` member last): the .rodata user space fills (core/stacks.h
 * BCCT_UNWIND_SETUP) and the per-CPU element the event is assembled in (too big for the BPF
 * stack), returned by bcct_ustack_event(). self_tgid is bcct itself, for programs that must
 * not send its stacks (each event would wake it: a feedback loop on scheduler events). */
#define BCCT_USTACK_DECLARE(event_type)                                                        \
	const volatile bool dwarf_stacks = false;        /* --unwind=dwarf */                      \
	const volatile __u32 stack_dump_size = BCCT_USTACK_DEFAULT;                                \
	const volatile __u32 self_tgid = 0;                                                        \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, 1);                                                            \
		__type(key, u32);                                                                  \
		__type(value, event_type);                                                         \
	} ustack_heap SEC(".maps");                                                                \
	static __always_inline event_type *bcct_ustack_event(void)                                 \
	{                                                                                          \
		u32 zero = 0;                                                                      \
		return bpf_map_lookup_elem(&ustack_heap, &zero);                                   \
	}

static __always_inline void bcct_ustack_output(void *ctx, void *e, struct bcct_ustack *u, u64 head,
					       bool user, u32 dump_size)
{
	if (user)
		bcct_ustack_capture(u, dump_size);
	else
		u->size = 0;
	bcct_event_output(ctx, e, bcct_ustack_event_size(u, head));
}

/* Sends event e (from bcct_ustack_event(), everything before its ustack member filled) with a
 * copy of the current task's user stack when user is true, else with none. */
#define bcct_ustack_send(ctx, e, user, dump_size) \
	bcct_ustack_output(ctx, e, &(e)->ustack, __builtin_offsetof(typeof(*(e)), ustack), user, dump_size)
#endif
