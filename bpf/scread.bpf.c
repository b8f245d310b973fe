/* scread (BPF Performance Tools, ch. 8): read(2) calls counted by file name, the file from the
 * fd at syscall entry, as the book's tool at syscalls:sys_enter_read. One raw_tp program on
 * sys_enter (a part: the read tracepoint where raw_tp is missing). */
#include "bcct.bpf.h"
#include "fs.bpf.h"
#include "syscalls.bpf.h"

const volatile unsigned int scread_self = 0;

struct scread_key { char name[FS_NAME_LEN]; };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct scread_key);
	__type(value, u64);
} counts SEC(".maps");

BCCT_SYSCALL_NR(read);

static __always_inline int on_read(int fd)
{
	struct scread_key k = {};
	struct file *f;

	if (bpf_get_current_pid_tgid() >> 32 == scread_self || !bcct_filter_current())
		return 0;
	if (!(f = fs_fd_file(fd)))
		return 0;
	fs_file_name(f, k.name, sizeof(k.name));
	bcct_count_inc(&counts, &k);
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	unsigned long a[6];

	if (!bcct_is_syscall(id, bcct_nr_read) || !bcct_syscall_args(regs, a))
		return 0;
	return on_read((int)a[0]);
}

SEC("tracepoint/syscalls/sys_enter_read")
int sys_enter__read_tp(struct bcct_sys_enter *ctx) { return on_read((int)ctx->args[0]); }
