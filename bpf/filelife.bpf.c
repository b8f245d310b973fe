/* filelife: files created then deleted, with their age. As BCC's filelife: creation at
 * vfs_create, security_inode_create and vfs_open (a file it created: FMODE_CREATED), deletion at
 * vfs_unlink, all kprobes. Without kprobes: creation at the exit of the open syscalls (open,
 * openat, openat2, creat) that returned a file they created, deletion at the entry of
 * unlink/unlinkat, whose path is read from user memory; files created otherwise (mknod, link,
 * rename onto a new name) are not seen then. */
#include "bcct.bpf.h"
#include "fs.bpf.h"
#include "syscalls.bpf.h"
#include "filelife.h"

#define FMODE_CREATED 0x100000          /* include/linux/fs.h: the open created the file */
#define AT_FDCWD -100
#define AT_REMOVEDIR 0x200
#define FILELIFE_PATH_MAX 256           /* the part of an unlink path read */

struct {
	/* LRU: files created and never deleted must not fill the map. */
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct filelife_key);
	__type(value, u64);
} births SEC(".maps");

struct filelife_scratch {
	struct filelife_key key;
	char path[FILELIFE_PATH_MAX + FS_NAME_LEN];   /* room for a component read past the end */
	/* The scan's last two '/' positions, kept here rather than in registers: the verifier
	 * would follow every combination of their values through the loop. */
	int last, prev;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct filelife_scratch);
} scratch SEC(".maps");

static __always_inline struct filelife_scratch *scratch_get(void)
{
	u32 zero = 0;
	struct filelife_scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	if (s)
		__builtin_memset(&s->key, 0, sizeof(s->key));
	return s;
}

/* The name of directory dir as a path names it: at the root of a mount (vfsmnt known), the name
 * of the directory it is mounted on, not "/" (the fallback's unlink sees "/mnt/x", its open the
 * dentry of x in the root of the file system mounted on /mnt). */
static __always_inline void dir_name(struct dentry *dir, struct vfsmount *vfsmnt, char *buf)
{
	if (vfsmnt && dir == BPF_CORE_READ(vfsmnt, mnt_root)) {
		struct mount *mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);

		if (BPF_CORE_READ(mnt, mnt_parent) != mnt)
			dir = BPF_CORE_READ(mnt, mnt_mountpoint);
	}
	bpf_probe_read_kernel_str(buf, FS_NAME_LEN, BPF_CORE_READ(dir, d_name.name));
}

static __always_inline void dentry_key(struct dentry *d, struct vfsmount *vfsmnt,
				       struct filelife_key *k)
{
	bpf_probe_read_kernel_str(k->name, sizeof(k->name), BPF_CORE_READ(d, d_name.name));
	dir_name(BPF_CORE_READ(d, d_parent), vfsmnt, k->parent);
}

/* vfsmnt: the mount d was opened in, NULL where only the dentry is known (the kprobes, on both
 * sides). */
static __always_inline int born(struct dentry *d, struct vfsmount *vfsmnt)
{
	struct filelife_scratch *s;
	u64 ts;

	if (!d || !bcct_filter_current() || !(s = scratch_get()))
		return 0;
	dentry_key(d, vfsmnt, &s->key);
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&births, &s->key, &ts, BPF_ANY);
	return 0;
}

/* The key is complete in s: report the file's age if its birth was seen. */
static __always_inline int died(void *ctx, struct filelife_scratch *s)
{
	struct filelife_event *e;
	u64 *birth = bpf_map_lookup_elem(&births, &s->key);
	u64 now = bpf_ktime_get_ns(), age;

	if (!birth)
		return 0;                       /* created before we started, or unseen */
	age = now > *birth ? now - *birth : 0;
	bpf_map_delete_elem(&births, &s->key);
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = now;
	e->age_ns = age;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	__builtin_memcpy(e->file, s->key.name, sizeof(e->file));
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

/* ---- kprobes, BCC's ---- */

/* vfs_create and vfs_unlink took a user namespace (5.12), then an idmap (6.3), before the
 * directory: renamedata grew the matching field in the same releases. */
struct renamedata___userns { struct user_namespace *old_mnt_userns; } __attribute__((preserve_access_index));
struct renamedata___idmap { struct mnt_idmap *new_mnt_idmap; } __attribute__((preserve_access_index));
struct renamedata___idmap2 { struct mnt_idmap *mnt_idmap; } __attribute__((preserve_access_index));

static __always_inline struct dentry *vfs_dentry_arg(void *arg1, void *arg2)
{
	if (bpf_core_field_exists(struct renamedata___userns, old_mnt_userns) ||
	    bpf_core_field_exists(struct renamedata___idmap, new_mnt_idmap) ||
	    bpf_core_field_exists(struct renamedata___idmap2, mnt_idmap))
		return arg2;
	return arg1;
}

SEC("kprobe/vfs_create")
int BPF_KPROBE(vfs_create_kprobe, void *arg0, void *arg1, void *arg2)
{ return born(vfs_dentry_arg(arg1, arg2), NULL); }

SEC("kprobe/security_inode_create")
int BPF_KPROBE(security_inode_create_kprobe, struct inode *dir, struct dentry *dentry)
{ return born(dentry, NULL); }

SEC("kprobe/vfs_open")
int BPF_KPROBE(vfs_open_kprobe, struct path *path, struct file *file)
{
	if (!(BPF_CORE_READ(file, f_mode) & FMODE_CREATED))
		return 0;
	return born(BPF_CORE_READ(path, dentry), NULL);
}

SEC("kprobe/vfs_unlink")
int BPF_KPROBE(vfs_unlink_kprobe, void *arg0, void *arg1, void *arg2)
{
	struct dentry *d = vfs_dentry_arg(arg1, arg2);
	struct filelife_scratch *s;

	if (!d || !bcct_filter_current() || !(s = scratch_get()))
		return 0;
	dentry_key(d, NULL, &s->key);
	return died(ctx, s);
}

/* ---- the fallback: the open and unlink syscalls (parts of vfs_open and vfs_unlink) ---- */
BCCT_SYSCALL_NR(open);
BCCT_SYSCALL_NR(openat);
BCCT_SYSCALL_NR(openat2);
BCCT_SYSCALL_NR(creat);
BCCT_SYSCALL_NR(unlink);
BCCT_SYSCALL_NR(unlinkat);

SEC("raw_tp/sys_exit")
int BPF_PROG(vfs_open__sys_exit_raw, struct pt_regs *regs, long ret)
{
	long id = bcct_syscall_exit_nr(regs);
	struct file *f;

	if (ret < 0 || !(bcct_is_syscall(id, bcct_nr_openat) || bcct_is_syscall(id, bcct_nr_open) ||
			 bcct_is_syscall(id, bcct_nr_creat) || bcct_is_syscall(id, bcct_nr_openat2)))
		return 0;
	if (!bcct_syscall_native(regs) || !(f = fs_fd_file((int)ret)))
		return 0;
	if (!(BPF_CORE_READ(f, f_mode) & FMODE_CREATED))
		return 0;
	return born(BPF_CORE_READ(f, f_path.dentry), BPF_CORE_READ(f, f_path.mnt));
}

/* The start directory of a relative path (the cwd, or dfd's) into buf, named as dir_name. */
static __always_inline bool start_dir_name(int dfd, char *buf)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *f;

	if (dfd == AT_FDCWD) {
		dir_name(BPF_CORE_READ(task, fs, pwd.dentry), BPF_CORE_READ(task, fs, pwd.mnt), buf);
		return true;
	}
	if (!(f = fs_fd_file(dfd)))
		return false;
	dir_name(BPF_CORE_READ(f, f_path.dentry), BPF_CORE_READ(f, f_path.mnt), buf);
	return true;
}

#define PATH_IDX(i) ((i) & (FILELIFE_PATH_MAX - 1))

/* The key of the unlinked path (relative to dfd): its last component, and the one before it or
 * the start directory's name ("/" for "/x"). false when there is no such pair from the text
 * alone ("../x", "a/./x", a trailing "/"): the file is then not reported. */
static __always_inline bool path_key(int dfd, const char *upath, struct filelife_scratch *s)
{
	long len = bpf_probe_read_user_str(s->path, FILELIFE_PATH_MAX, upath);
	int last, prev;
	unsigned int idx;

	if (len <= 1)
		return false;
	volatile int *vlast = &s->last, *vprev = &s->prev;

	*vlast = *vprev = -1;
	/* Not unrolled: the verifier walks a short body 256 times instead of a long one. */
#pragma clang loop unroll(disable)
	for (int i = 0; i < FILELIFE_PATH_MAX; i++) {
		char c = s->path[PATH_IDX(i)];

		if (!c)
			break;
		if (c == '/') {
			*vprev = *vlast;
			*vlast = i;
		}
	}
	last = *vlast;
	prev = *vprev;
	if (last < -1 || last >= FILELIFE_PATH_MAX || prev < -1)
		return false;
	if (last == len - 2)
		return false;                           /* "dir/": no file name */
	/* Reads stop at the NUL that ends each component; the buffer has room past the path. */
	bpf_probe_read_kernel_str(s->key.name, FS_NAME_LEN, s->path + PATH_IDX(last + 1));
	if (last < 0)
		return start_dir_name(dfd, s->key.parent);
	if (last == 0) {
		s->key.parent[0] = '/';
		return true;
	}
	idx = last;
	asm volatile("" : "+r"(idx));   /* keep the mask: clang drops it knowing last's range */
	s->path[PATH_IDX(idx)] = 0;
	bpf_probe_read_kernel_str(s->key.parent, FS_NAME_LEN, s->path + PATH_IDX(prev + 1));
	if (s->key.parent[0] == '.' && s->key.parent[1] == 0 && prev < 0)
		return start_dir_name(dfd, s->key.parent);   /* "./x" */
	if (s->key.parent[0] == 0 || (s->key.parent[0] == '.' &&
				      (s->key.parent[1] == 0 || s->key.parent[1] == '.')))
		return false;                           /* "a//x", "a/./x", "../x" */
	return true;
}

static __always_inline int unlink_enter(void *ctx, int dfd, const char *upath, int flags)
{
	struct filelife_scratch *s;

	if ((flags & AT_REMOVEDIR) || !bcct_filter_current() || !(s = scratch_get()))
		return 0;
	if (!path_key(dfd, upath, s))
		return 0;
	return died(ctx, s);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(vfs_unlink__sys_enter_raw, struct pt_regs *regs, long id)
{
	bool at = bcct_is_syscall(id, bcct_nr_unlinkat);
	unsigned long a[6];

	if (!at && !bcct_is_syscall(id, bcct_nr_unlink))
		return 0;
	if (!bcct_syscall_args(regs, a))
		return 0;
	/* One call site: the verifier walks the path scan once. */
	if (!at) {
		a[2] = 0;
		a[1] = a[0];
		a[0] = (unsigned long)AT_FDCWD;
	}
	return unlink_enter(ctx, (int)a[0], (const char *)a[1], (int)a[2]);
}
