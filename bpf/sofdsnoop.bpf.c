/* sofdsnoop: file descriptors passed over Unix sockets (SCM_RIGHTS), as BCC's sofdsnoop.
 *
 * As BCC: kprobes on __scm_send (the sender's control messages, copied into the kernel) and on
 * scm_detach_fds, entry and return (the receiver's new descriptors, written to its control
 * buffer), with the socket's fd taken at the syscall's entry. Without kprobes, the syscalls
 * themselves (bpf/syscalls.bpf.h): sendmsg and sendmmsg at their entry, where the control
 * messages are read from the caller's memory before the kernel checks them (a call the kernel
 * then refuses is shown too), and recvmsg and recvmmsg at their exit, where the kernel has
 * written the received descriptors and the length of what it wrote back to the caller's
 * msghdr. Passing through other paths (io_uring) is missed there.
 *
 * Everything read from the traced program's memory is bounded: SOFDSNOOP_CMSGS control
 * messages per message, SOFDSNOOP_MMSGS messages per sendmmsg/recvmmsg, every length checked
 * against the buffer's. */
#include "bcct.bpf.h"
#include "syscalls.bpf.h"
#include "sofdsnoop.h"

#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define SOFDSNOOP_CMSGS 4    /* control messages looked at per message */
#define SOFDSNOOP_MMSGS 8    /* messages looked at per sendmmsg/recvmmsg */

/* Set by user space when the kprobes cannot be used: calls_raw then reads what
 * sendmsg/sendmmsg send and calls_exit_raw what recvmsg/recvmmsg received. */
const volatile bool read_syscalls = false;

/* struct cmsghdr and the 64-bit user struct msghdr/mmsghdr (include/linux/socket.h). */
struct sofd_cmsghdr {
	u64 len;
	int level;
	int type;
};
struct sofd_user_msghdr {
	u64 name;
	int namelen;
	u64 iov, iovlen, control, controllen;
	unsigned int flags;
};
struct sofd_user_mmsghdr {
	struct sofd_user_msghdr hdr;
	unsigned int len;
};

enum sofd_call { SOFD_SENDMSG, SOFD_SENDMMSG, SOFD_RECVMSG, SOFD_RECVMMSG };

/* The socket call a thread is in: its socket's fd, and for the syscall fallback the user
 * msghdr (or mmsghdr array) to read at the exit. */
struct sofd_call_state {
	int sock_fd;
	int call;                  /* enum sofd_call */
	u64 msg;
	void *control;             /* kprobe path: scm_detach_fds's control buffer */
	struct msghdr *kmsg;       /* and its msghdr, whose msg_control moves past what it wrote */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct sofd_call_state);
} calls SEC(".maps");

static __always_inline long sofd_read(void *dst, u32 size, const void *src, bool user)
{
	return user ? bpf_probe_read_user(dst, size, src) : bpf_probe_read_kernel(dst, size, src);
}

static __always_inline int sofd_sock_fd(void)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sofd_call_state *c = bpf_map_lookup_elem(&calls, &tid);

	return c ? c->sock_fd : -1;
}

/* One event for the n descriptors at fds. */
static __always_inline void sofd_emit(void *ctx, int action, int sock_fd, const void *fds, u64 n,
				      bool user)
{
	struct sofdsnoop_event *e;
	u64 id = bpf_get_current_pid_tgid();
	u32 size;

	if (!n)
		return;
	if (n > SOFDSNOOP_MAX_FD)
		n = SOFDSNOOP_MAX_FD;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return;
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (u32)id;
	e->action = action;
	e->sock_fd = sock_fd;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	size = n * sizeof(int);
	if (size > sizeof(e->fd))
		size = sizeof(e->fd);
	e->fd_cnt = sofd_read(e->fd, size, fds, user) ? 0 : size / sizeof(int);
	bcct_event_submit(ctx, e, sizeof(*e));
}

/* Walks the control messages of one message (control, controllen bytes) and reports its
 * SCM_RIGHTS descriptors; a malformed length ends the walk, as the kernel refuses it. */
static __always_inline void sofd_rights(void *ctx, int action, int sock_fd, u64 control,
					u64 controllen, bool user)
{
	struct sofd_cmsghdr h;
	u64 off = 0;

	for (int i = 0; i < SOFDSNOOP_CMSGS; i++) {
		if (off + sizeof(h) > controllen || off > controllen ||
		    sofd_read(&h, sizeof(h), (const void *)(control + off), user) ||
		    h.len < sizeof(h) || h.len > controllen - off)
			return;
		if (h.level == SOL_SOCKET && h.type == SCM_RIGHTS) {
			sofd_emit(ctx, action, sock_fd, (const void *)(control + off + sizeof(h)),
				  (h.len - sizeof(h)) / sizeof(int), user);
			return;   /* the kernel takes one SCM_RIGHTS per message */
		}
		off += (h.len + 7) & ~7ULL;   /* CMSG_ALIGN */
	}
}

/* A user msghdr's control buffer (at the exit of recvmsg: what the kernel wrote). */
static __always_inline void sofd_user_msghdr(void *ctx, int action, int sock_fd, u64 msg)
{
	struct sofd_user_msghdr m;

	if (!bpf_probe_read_user(&m, sizeof(m), (const void *)msg) && m.control)
		sofd_rights(ctx, action, sock_fd, m.control, m.controllen, true);
}

/* The first n messages of a user mmsghdr array, at most SOFDSNOOP_MMSGS. */
static __always_inline void sofd_user_mmsghdr(void *ctx, int action, int sock_fd, u64 vec, u64 n)
{
	for (int i = 0; i < SOFDSNOOP_MMSGS; i++) {
		if (i >= n)
			return;
		sofd_user_msghdr(ctx, action, sock_fd, vec + i * sizeof(struct sofd_user_mmsghdr));
	}
}

BCCT_SYSCALL_NR(sendmsg);
BCCT_SYSCALL_NR(sendmmsg);
BCCT_SYSCALL_NR(recvmsg);
BCCT_SYSCALL_NR(recvmmsg);

static __always_inline int sofd_call(long id)
{
	if (bcct_is_syscall(id, bcct_nr_sendmsg))
		return SOFD_SENDMSG;
	if (bcct_is_syscall(id, bcct_nr_sendmmsg))
		return SOFD_SENDMMSG;
	if (bcct_is_syscall(id, bcct_nr_recvmsg))
		return SOFD_RECVMSG;
	if (bcct_is_syscall(id, bcct_nr_recvmmsg))
		return SOFD_RECVMMSG;
	return -1;
}

/* ---- every path: the socket call a thread is in --------------------------------------------
 * The kprobes (scm_send, scm_detach, scm_detach_ret) read the descriptors when they can be
 * used; otherwise user space turns them off and sets read_syscalls (applets/sofdsnoop.c). */

SEC("raw_tp/sys_enter")
int BPF_PROG(calls_raw, struct pt_regs *regs, long id)
{
	struct sofd_call_state c = {};
	unsigned long a[6];
	u32 tid;

	c.call = sofd_call(id);
	if (c.call < 0 || !bcct_filter_current() || !bcct_syscall_args(regs, a))
		return 0;
	if (read_syscalls && c.call == SOFD_SENDMSG)
		sofd_user_msghdr(ctx, SOFDSNOOP_SEND, (int)a[0], a[1]);
	else if (read_syscalls && c.call == SOFD_SENDMMSG)
		sofd_user_mmsghdr(ctx, SOFDSNOOP_SEND, (int)a[0], a[1], a[2]);
	c.sock_fd = (int)a[0];
	c.msg = a[1];
	tid = (u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&calls, &tid, &c, BPF_ANY);
	return 0;
}

/* The call's end: its state goes, and the fallback reads what recvmsg/recvmmsg received. */
SEC("raw_tp/sys_exit")
int BPF_PROG(calls_exit_raw, struct pt_regs *regs, long ret)
{
	long nr = bcct_syscall_exit_nr(regs);
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sofd_call_state *c;

	if (sofd_call(nr) < 0 || !(c = bpf_map_lookup_elem(&calls, &tid)))
		return 0;
	if (read_syscalls && ret >= 0) {
		if (c->call == SOFD_RECVMSG)
			sofd_user_msghdr(ctx, SOFDSNOOP_RECV, c->sock_fd, c->msg);
		else if (c->call == SOFD_RECVMMSG)
			sofd_user_mmsghdr(ctx, SOFDSNOOP_RECV, c->sock_fd, c->msg, ret);
	}
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

/* ---- sending ------------------------------------------------------------------------------ */

/* __scm_send(sock, msg, scm): msg's control messages are in kernel memory here. */
SEC("kprobe/__scm_send")
int BPF_KPROBE(scm_send_kprobe, struct socket *sock, struct msghdr *msg)
{
	if (!bcct_filter_current())
		return 0;
	sofd_rights(ctx, SOFDSNOOP_SEND, sofd_sock_fd(), (u64)BPF_CORE_READ(msg, msg_control),
		    BPF_CORE_READ(msg, msg_controllen), false);
	return 0;
}

/* ---- receiving ---------------------------------------------------------------------------- */

/* scm_detach_fds(msg, scm): where the receiver's control buffer stands before the kernel
 * writes the SCM_RIGHTS message into it; at the return the message is there. */
SEC("kprobe/scm_detach_fds")
int BPF_KPROBE(scm_detach_kprobe, struct msghdr *msg)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sofd_call_state *c = bpf_map_lookup_elem(&calls, &tid);

	if (c && bcct_filter_current()) {
		c->control = BPF_CORE_READ(msg, msg_control);
		c->kmsg = msg;
	}
	return 0;
}

/* A receive that went through scm_detach_fds outside the socket syscalls has no state and is
 * missed, as BCC's. */
SEC("kretprobe/scm_detach_fds")
int BPF_KRETPROBE(scm_detach_ret_kretprobe)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sofd_call_state *c = bpf_map_lookup_elem(&calls, &tid);
	struct sofd_cmsghdr h;
	struct msghdr *kmsg;

	if (!c || !c->control)
		return 0;
	kmsg = c->kmsg;   /* a plain load: inside BPF_CORE_READ it would be relocated too */
	/* The one message written here: SOL_SOCKET/SCM_RIGHTS, its length covering the fds. When
	 * none was (no room, no fd installed), the buffer holds whatever the caller left there:
	 * msg_control has not moved. */
	if (BPF_CORE_READ(kmsg, msg_control) != c->control &&
	    !bpf_probe_read_user(&h, sizeof(h), c->control) && h.level == SOL_SOCKET &&
	    h.type == SCM_RIGHTS && h.len >= sizeof(h))
		sofd_emit(ctx, SOFDSNOOP_RECV, c->sock_fd, c->control + sizeof(h),
			  (h.len - sizeof(h)) / sizeof(int), true);
	c->control = NULL;
	return 0;
}
