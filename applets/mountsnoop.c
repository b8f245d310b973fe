/* mountsnoop: trace mount() and umount() syscalls, and the new mount API (fsopen, fsconfig,
 * fsmount, move_mount, open_tree, mount_setattr), each printed as a call with its arguments and
 * result, as BCC's mountsnoop prints mount and umount. */
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "mountsnoop.skel.h"
#include "mountsnoop.h"

BCCT_SKELETON(mountsnoop_bpf);

static struct {
	bool parent;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('P', "parent_process", &o.parent, "also snoop the parent process"),
	STD_PID('p'),
	STD_DURATION('d'),
	STD_FILTERS,
	OPT_END_,
};

struct flag_name {
	unsigned long long bit;
	const char *name;
};

/* include/uapi/linux/mount.h, BCC's MOUNT_FLAGS and UMOUNT_FLAGS lists. */
static const struct flag_name mount_flags[] = {
	{ 1, "MS_RDONLY" }, { 2, "MS_NOSUID" }, { 4, "MS_NODEV" }, { 8, "MS_NOEXEC" },
	{ 16, "MS_SYNCHRONOUS" }, { 32, "MS_REMOUNT" }, { 64, "MS_MANDLOCK" },
	{ 128, "MS_DIRSYNC" }, { 256, "MS_NOSYMFOLLOW" }, { 1024, "MS_NOATIME" },
	{ 2048, "MS_NODIRATIME" }, { 4096, "MS_BIND" }, { 8192, "MS_MOVE" }, { 16384, "MS_REC" },
	{ 32768, "MS_SILENT" }, { 1 << 16, "MS_POSIXACL" }, { 1 << 17, "MS_UNBINDABLE" },
	{ 1 << 18, "MS_PRIVATE" }, { 1 << 19, "MS_SLAVE" }, { 1 << 20, "MS_SHARED" },
	{ 1 << 21, "MS_RELATIME" }, { 1 << 22, "MS_KERNMOUNT" }, { 1 << 23, "MS_I_VERSION" },
	{ 1 << 24, "MS_STRICTATIME" }, { 1 << 25, "MS_LAZYTIME" }, { 1 << 30, "MS_ACTIVE" },
	{ 1u << 31, "MS_NOUSER" }, { 0 },
};
static const struct flag_name umount_flags[] = {
	{ 1, "MNT_FORCE" }, { 2, "MNT_DETACH" }, { 4, "MNT_EXPIRE" }, { 8, "UMOUNT_NOFOLLOW" },
	{ 0 },
};
static const struct flag_name fsopen_flags[] = { { 1, "FSOPEN_CLOEXEC" }, { 0 } };
static const struct flag_name fsmount_flags[] = { { 1, "FSMOUNT_CLOEXEC" }, { 0 } };
static const struct flag_name attr_flags[] = {
	{ 1, "MOUNT_ATTR_RDONLY" }, { 2, "MOUNT_ATTR_NOSUID" }, { 4, "MOUNT_ATTR_NODEV" },
	{ 8, "MOUNT_ATTR_NOEXEC" }, { 0x10, "MOUNT_ATTR_NOATIME" },
	{ 0x20, "MOUNT_ATTR_STRICTATIME" }, { 0x80, "MOUNT_ATTR_NODIRATIME" },
	{ 0x100000, "MOUNT_ATTR_IDMAP" }, { 0x200000, "MOUNT_ATTR_NOSYMFOLLOW" }, { 0 },
};
static const struct flag_name move_mount_flags[] = {
	{ 1, "MOVE_MOUNT_F_SYMLINKS" }, { 2, "MOVE_MOUNT_F_AUTOMOUNTS" },
	{ 4, "MOVE_MOUNT_F_EMPTY_PATH" }, { 0x10, "MOVE_MOUNT_T_SYMLINKS" },
	{ 0x20, "MOVE_MOUNT_T_AUTOMOUNTS" }, { 0x40, "MOVE_MOUNT_T_EMPTY_PATH" },
	{ 0x100, "MOVE_MOUNT_SET_GROUP" }, { 0x200, "MOVE_MOUNT_BENEATH" }, { 0 },
};
/* open_tree and mount_setattr: their own bit and the AT_* lookup flags. */
static const struct flag_name tree_flags[] = {
	{ 1, "OPEN_TREE_CLONE" }, { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" }, { 0x80000, "OPEN_TREE_CLOEXEC" },
	{ 0 },
};
static const char *const fsconfig_cmds[] = {
	"FSCONFIG_SET_FLAG", "FSCONFIG_SET_STRING", "FSCONFIG_SET_BINARY", "FSCONFIG_SET_PATH",
	"FSCONFIG_SET_PATH_EMPTY", "FSCONFIG_SET_FD", "FSCONFIG_CMD_CREATE",
	"FSCONFIG_CMD_RECONFIGURE", "FSCONFIG_CMD_CREATE_EXCL",
};

#define MS_MGC_VAL 0xc0ed0000ULL
#define MS_MGC_MSK 0xffff0000ULL

/* BCC's decode_flags: the names of the set bits joined by '|', then what is left in hex; "0x0"
 * when nothing is set. */
static const char *flags_str(unsigned long long flags, const struct flag_name *names,
			     const char *first, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	if (first)
		used += snprintf(buf, len, "%s", first);
	for (const struct flag_name *f = names; f->bit && used < len; f++) {
		if (!(flags & f->bit))
			continue;
		used += snprintf(buf + used, len - used, "%s%s", used ? "|" : "", f->name);
		flags &= ~f->bit;
	}
	if ((flags || !used) && used < len)
		snprintf(buf + used, len - used, "%s0x%llx", used ? "|" : "", flags);
	return buf;
}

static const char *mount_flags_str(unsigned long long flags, char *buf, size_t len)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		return flags_str(flags & ~MS_MGC_MSK, mount_flags, "MS_MGC_VAL", buf, len);
	return flags_str(flags, mount_flags, NULL, buf, len);
}

/* BCC's decode_mount_string: quoted, with C escapes and \xNN for other bytes. */
static const char *quoted(const char *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[used++] = '"';
	for (; *s && used + 6 < len; s++) {
		unsigned char c = *s;
		const char *esc = NULL;

		switch (c) {
		case '\a': esc = "\\a"; break;
		case '\b': esc = "\\b"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\v': esc = "\\v"; break;
		case '\f': esc = "\\f"; break;
		case '\r': esc = "\\r"; break;
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		}
		if (esc)
			used += snprintf(buf + used, len - used, "%s", esc);
		else if (c >= 0x20 && c <= 0x7e)
			buf[used++] = c;
		else
			used += snprintf(buf + used, len - used, "\\x%02x", c);
	}
	buf[used++] = '"';
	buf[used] = 0;
	return buf;
}

/* BCC's decode_errno: "-ENOENT" for a failure, the value otherwise. */
static const char *retval_str(int ret, char *buf, size_t len)
{
	const char *name = ret < 0 ? sys_errno_name(-ret) : NULL;

	if (name)
		snprintf(buf, len, "-%s", name);
	else
		snprintf(buf, len, "%d", ret);
	return buf;
}

#define QLEN (MOUNTSNOOP_STR_LEN * 4 + 3)

static void call_str(const struct mountsnoop_event *e, char *buf, size_t len)
{
	char q[MOUNTSNOOP_STRS][QLEN], f1[512], f2[512], ret[32];
	const unsigned long long *a = e->args;

	for (int i = 0; i < MOUNTSNOOP_STRS; i++)
		quoted(e->str[i], q[i], sizeof(q[i]));
	retval_str(e->ret, ret, sizeof(ret));
	switch (e->call) {
	case MNT_CALL_MOUNT:
		snprintf(buf, len, "mount(%s, %s, %s, %s, %s) = %s", q[0], q[1], q[2],
			 mount_flags_str(a[3], f1, sizeof(f1)), q[3], ret);
		break;
	case MNT_CALL_UMOUNT:
		snprintf(buf, len, "umount(%s, %s) = %s", q[0],
			 flags_str(a[1], umount_flags, NULL, f1, sizeof(f1)), ret);
		break;
	case MNT_CALL_FSOPEN:
		snprintf(buf, len, "fsopen(%s, %s) = %s", q[0],
			 flags_str(a[1], fsopen_flags, NULL, f1, sizeof(f1)), ret);
		break;
	case MNT_CALL_FSCONFIG:
		if (a[1] < sizeof(fsconfig_cmds) / sizeof(fsconfig_cmds[0]))
			snprintf(f1, sizeof(f1), "%s", fsconfig_cmds[a[1]]);
		else
			snprintf(f1, sizeof(f1), "0x%llx", a[1]);
		snprintf(buf, len, "fsconfig(%d, %s, %s, %s, %d) = %s", (int)a[0], f1,
			 a[2] ? q[0] : "NULL", e->str[1][0] || a[3] ? q[1] : "NULL", (int)a[4], ret);
		break;
	case MNT_CALL_FSMOUNT:
		snprintf(buf, len, "fsmount(%d, %s, %s) = %s", (int)a[0],
			 flags_str(a[1], fsmount_flags, NULL, f1, sizeof(f1)),
			 flags_str(a[2], attr_flags, NULL, f2, sizeof(f2)), ret);
		break;
	case MNT_CALL_MOVE_MOUNT:
		snprintf(buf, len, "move_mount(%d, %s, %d, %s, %s) = %s", (int)a[0], q[0], (int)a[2],
			 q[1], flags_str(a[4], move_mount_flags, NULL, f1, sizeof(f1)), ret);
		break;
	case MNT_CALL_OPEN_TREE:
		snprintf(buf, len, "open_tree(%d, %s, %s) = %s", (int)a[0], q[0],
			 flags_str(a[2], tree_flags, NULL, f1, sizeof(f1)), ret);
		break;
	case MNT_CALL_MOUNT_SETATTR:
		snprintf(buf, len, "mount_setattr(%d, %s, %s, {attr_set=%s, attr_clr=%s}) = %s",
			 (int)a[0], q[0], flags_str(a[2], tree_flags, NULL, f1, sizeof(f1)),
			 flags_str(e->attr_set, attr_flags, NULL, f2, sizeof(f2)),
			 flags_str(e->attr_clr, attr_flags, NULL, q[3], sizeof(q[3])), ret);
		break;
	default:
		snprintf(buf, len, "?");
	}
}

static void header(void *ctx)
{
	if (o.parent)
		out_header("%-16s %-7s %-7s %-16s %-7s %-11s %s", "COMM", "PID", "TID", "PCOMM",
			   "PPID", "MNT_NS", "CALL");
	else
		out_header("%-16s %-7s %-7s %-11s %s", "COMM", "PID", "TID", "MNT_NS", "CALL");
}

static int event(void *ctx, const void *data, size_t size)
{
	const struct mountsnoop_event *e = data;
	char call[8 * QLEN];

	if (size < sizeof(*e))
		return 0;
	call_str(e, call, sizeof(call));
	out_begin();
	out_str("comm", "%-16s", e->comm);
	out_int("pid", "%-7lld", e->pid);
	out_int("tid", "%-7lld", e->tid);
	if (o.parent) {
		out_str("pcomm", "%-16s", e->pcomm);
		out_int("ppid", "%-7lld", e->ppid);
	}
	out_uint("mnt_ns", "%-11llu", e->mnt_ns);
	out_str("call", "%s", call);
	out_end();
	return 0;
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.on_start = header,
		.on_event = event,
	});
}

BCCT_APPLET(mountsnoop,
	.category = "syscalls",
	.summary = "Trace mount() and umount() syscalls, and the new mount API calls",
	.examples =
	"    mountsnoop          # trace mount, umount, fsopen, fsconfig, fsmount, move_mount, ...\n"
	"    mountsnoop -P       # also show the parent process\n",
	.opts = opts,
	.skeleton = &mountsnoop_bpf__skeleton,
	/* The new mount API arrived in 5.2, mount_setattr in 5.12. */
	.optional_probes = BCCT_NAMES("sys_enter__fsopen", "sys_exit__fsopen", "sys_enter__fsconfig",
				      "sys_exit__fsconfig", "sys_enter__fsmount", "sys_exit__fsmount",
				      "sys_enter__move_mount", "sys_exit__move_mount",
				      "sys_enter__open_tree", "sys_exit__open_tree",
				      "sys_enter__mount_setattr", "sys_exit__mount_setattr"),
	.run = run);
