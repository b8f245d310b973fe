/* BCC's pinned-map filters. A user (or a container runtime) pins a BPF hash map whose keys are
 * the cgroup ids (--cgroupmap) or mount namespace inode numbers (--mntnsmap) to trace; every
 * program then keeps an event only when the current task's id is a key (bpf/bcct.bpf.h,
 * bcct_filter_pinned_maps). The map is the user's, shared live: keys added or removed while bcct
 * runs take effect at once. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bcct.h"
#include "core/log.h"
#include "core/mapfilter.h"
#include "core/opts.h"

struct pinned_filter {
	const char *option;        /* "--cgroupmap" */
	size_t env_offset;         /* where the option's value is in env (this thread's) */
	const char *map;           /* the placeholder map of every object */
	const char *key;           /* what the keys are, for errors */
	int fd;
};

static _Thread_local struct pinned_filter filters[] = {
	{ "--cgroupmap", offsetof(struct bcct_env, cgroupmap), "cgroupmap_filter", "cgroup ids", -1 },
	{ "--mntnsmap", offsetof(struct bcct_env, mntnsmap), "mntnsmap_filter", "mount namespace ids", -1 },
};

static const char *filter_path(const struct pinned_filter *pf)
{
	return *(const char *const *)((const char *)&env + pf->env_offset);
}
#define NFILTERS (sizeof(filters) / sizeof(filters[0]))

/* task_struct.nsproxy, nsproxy.mnt_ns, mnt_namespace.ns.inum: byte offsets for --mntnsmap. */
static _Thread_local unsigned int mntns_off[3];

static const char *map_type_name(unsigned int type)
{
	const char *name = libbpf_bpf_map_type_str(type);

	return name ? name : "unknown";
}

static int open_one(struct pinned_filter *pf)
{
	const char *path = filter_path(pf);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	pf->fd = bpf_obj_get(path);
	if (pf->fd < 0) {
		int err = errno;
		struct statfs sf;

		/* The kernel says EACCES for a file outside a BPF file system: a wrong path. */
		if (err == ENOENT || err == ENOTDIR || (err == EACCES && !statfs(path, &sf) &&
							 sf.f_type != BPF_FS_MAGIC)) {
			bcct_usage_err("%s %s: not a pinned BPF map (%s)", pf->option, path,
				       err == EACCES ? "not on a BPF file system" : strerror(err));
			return BCCT_EXIT_USAGE;
		}
		bcct_err("%s %s: cannot open the pinned map: %s", pf->option, path, strerror(err));
		return BCCT_EXIT_FAIL;
	}
	if (bpf_map_get_info_by_fd(pf->fd, &info, &len)) {
		bcct_usage_err("%s %s: a pinned BPF object, but not a map", pf->option, path);
		return BCCT_EXIT_USAGE;
	}
	/* BCC's maps are plain hashes; an LRU hash is looked up the same way. */
	if (info.type != BPF_MAP_TYPE_HASH && info.type != BPF_MAP_TYPE_LRU_HASH) {
		bcct_usage_err("%s %s: a map of type %s; a hash map of %s is needed", pf->option, path,
			       map_type_name(info.type), pf->key);
		return BCCT_EXIT_USAGE;
	}
	if (info.key_size != sizeof(__u64)) {
		bcct_usage_err("%s %s: keys of %u bytes; the %s are 8-byte keys", pf->option, path,
			       info.key_size, pf->key);
		return BCCT_EXIT_USAGE;
	}
	bcct_info("%s: %s map '%s', %u entries at most", pf->option, map_type_name(info.type),
		  info.name, info.max_entries);
	return 0;
}

/* Byte offset of member `name` of struct `type` in the kernel's BTF; -1 if absent. */
static long member_offset(const struct btf *btf, const char *type, const char *name)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_member *m = t ? btf_members(t) : NULL;

	for (int i = 0; t && i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), name))
			return btf_member_bit_offset(t, i) / 8;
	return -1;
}

static int find_mntns_offsets(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	long nsproxy, mnt_ns, ns, inum;

	if (!btf) {
		bcct_err("--mntnsmap: cannot read the kernel's BTF: %s", strerror(errno));
		return BCCT_EXIT_FAIL;
	}
	nsproxy = member_offset(btf, "task_struct", "nsproxy");
	mnt_ns = member_offset(btf, "nsproxy", "mnt_ns");
	ns = member_offset(btf, "mnt_namespace", "ns");
	inum = member_offset(btf, "ns_common", "inum");
	btf__free(btf);
	if (nsproxy < 0 || mnt_ns < 0 || ns < 0 || inum < 0) {
		bcct_err("--mntnsmap: this kernel's BTF does not describe task_struct->nsproxy->mnt_ns->ns.inum");
		return BCCT_EXIT_FAIL;
	}
	mntns_off[0] = nsproxy;
	mntns_off[1] = mnt_ns;
	mntns_off[2] = ns + inum;
	return 0;
}

int mapfilter_open(void)
{
	int err;

	for (size_t i = 0; i < NFILTERS; i++)
		if (filter_path(&filters[i]) && (err = open_one(&filters[i])))
			return err;
	return env.mntnsmap ? find_mntns_offsets() : 0;
}

int mapfilter_apply(struct bpf_object *obj, struct bcct_filter *f)
{
	for (size_t i = 0; i < NFILTERS; i++) {
		struct pinned_filter *pf = &filters[i];
		struct bpf_map *m = bpf_object__find_map_by_name(obj, pf->map);
		int err;

		if (!m)
			continue;   /* an object without the shared header's maps: no option offers it */
		if (pf->fd < 0) {
			/* Its lookups are in code the verifier drops (has_* is constant 0); libbpf
			 * poisons the map loads. */
			bpf_map__set_autocreate(m, false);
			continue;
		}
		if ((err = bpf_map__reuse_fd(m, pf->fd))) {
			bcct_err("%s: cannot use the pinned map: %s", pf->option, strerror(-err));
			return -1;
		}
	}
	f->has_cgroupmap = filters[0].fd >= 0;
	f->has_mntnsmap = filters[1].fd >= 0;
	memcpy(f->mntns_off, mntns_off, sizeof(mntns_off));
	return 0;
}

void mapfilter_close(void)
{
	for (size_t i = 0; i < NFILTERS; i++) {
		if (filters[i].fd >= 0)
			close(filters[i].fd);
		filters[i].fd = -1;
	}
}
