/* Shared BPF-side helpers: the filter, event output (ring buffer, or perf buffer on kernels
 * without it), lost-event accounting, histogram slots, map lookup-or-initialise. */
#ifndef BCCT_BPF_H
#define BCCT_BPF_H
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bcct.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct bcct_filter bcct_filter = {};

/* --cgroup: slot 0 holds the cgroup fd; bpf_current_task_under_cgroup matches descendants too. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} cgroup_filter SEC(".maps");

/* --cgroupmap, --mntnsmap (BCC's pinned-map filters): core puts the user's pinned hash map in
 * place of these (bpf_map__reuse_fd) and does not create them otherwise; a task is kept when
 * its cgroup id / mount namespace inum is a key (u64, as BCC's). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u64);
	__type(value, u64);
} cgroupmap_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u64);
	__type(value, u32);
} mntnsmap_filter SEC(".maps");

/* Events lost because the buffer was full; core reports them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} lost SEC(".maps");

/* Filters on a task that may not be `current` (the woken task in runqlat): pid/tid only. */
static __always_inline bool bcct_filter_task(u32 tgid, u32 tid)
{
	if (bcct_filter.pid && bcct_filter.pid != tgid)
		return false;
	if (bcct_filter.tid && bcct_filter.tid != tid)
		return false;
	return true;
}

static __always_inline bool bcct_comm_eq(const char *a, const volatile char *b)
{
	for (int i = 0; i < BCCT_TASK_COMM_LEN; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			break;
	}
	return true;
}

/* Is t in the --cgroup directory or below? For a task that is not `current` (which
 * bpf_current_task_under_cgroup is for): its cgroup v2 group and up to 32 ancestors compared by
 * id (a css's parent is its cgroup: `self` is struct cgroup's first member). */
static __always_inline bool bcct_task_in_cgroup(struct task_struct *t)
{
	struct cgroup *cg = BPF_CORE_READ(t, cgroups, dfl_cgrp);

	for (int i = 0; i < 32 && cg; i++) {
		if (BPF_CORE_READ(cg, kn, id) == bcct_filter.cgroup_id)
			return true;
		cg = (struct cgroup *)BPF_CORE_READ(cg, self.parent);
	}
	return false;
}

/* The whole filter on a task that may not be `current` (the woken task in runqlat): pid, tid,
 * uid, comm, cgroup. true = keep. */
static __always_inline bool bcct_filter_of(struct task_struct *t)
{
	if (!bcct_filter_task(BPF_CORE_READ(t, tgid), BPF_CORE_READ(t, pid)))
		return false;
	if (bcct_filter.has_uid && bcct_filter.uid != BPF_CORE_READ(t, real_cred, uid.val))
		return false;
	if (bcct_filter.has_comm) {
		char comm[BCCT_TASK_COMM_LEN];

		BPF_CORE_READ_STR_INTO(&comm, t, comm);
		if (!bcct_comm_eq(comm, bcct_filter.comm))
			return false;
	}
	if (bcct_filter.has_cgroup && !bcct_task_in_cgroup(t))
		return false;
	return true;
}

/* current->nsproxy->mnt_ns->ns.inum through the offsets core found; 0 when unreadable (an
 * exiting task has no nsproxy). */
static __always_inline u64 bcct_current_mntns(void)
{
	const char *p = (const char *)bpf_get_current_task();
	u32 inum = 0;

	if (bpf_probe_read_kernel(&p, sizeof(p), p + bcct_filter.mntns_off[0]) || !p)
		return 0;
	if (bpf_probe_read_kernel(&p, sizeof(p), p + bcct_filter.mntns_off[1]) || !p)
		return 0;
	bpf_probe_read_kernel(&inum, sizeof(inum), p + bcct_filter.mntns_off[2]);
	return inum;
}

/* --cgroupmap and --mntnsmap: whether the current task's cgroup / mount namespace is listed. */
static __always_inline bool bcct_filter_pinned_maps(void)
{
	if (bcct_filter.has_cgroupmap) {
		u64 cgid = bpf_get_current_cgroup_id();

		if (!bpf_map_lookup_elem(&cgroupmap_filter, &cgid))
			return false;
	}
	if (bcct_filter.has_mntnsmap) {
		u64 inum = bcct_current_mntns();

		if (!bpf_map_lookup_elem(&mntnsmap_filter, &inum))
			return false;
	}
	return true;
}

/* The filter for the current task: pid, tid, uid, comm, cgroup, and the pinned-map filters.
 * true = keep the event. */
static __always_inline bool bcct_filter_current(void)
{
	u64 id = bpf_get_current_pid_tgid();

	if (!bcct_filter_task(id >> 32, (u32)id))
		return false;
	if (bcct_filter.has_uid && bcct_filter.uid != (u32)bpf_get_current_uid_gid())
		return false;
	if (bcct_filter.has_comm) {
		char comm[BCCT_TASK_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		if (!bcct_comm_eq(comm, bcct_filter.comm))
			return false;
	}
	if (bcct_filter.has_cgroup && bpf_current_task_under_cgroup(&cgroup_filter, 0) != 1)
		return false;
	return bcct_filter_pinned_maps();
}

static __always_inline void bcct_count_lost(void)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		*n += 1;
}

/* Per-event output. Declared as a ring buffer; core turns it into a perf event array on kernels
 * without ring buffers, and the CO-RE check below picks the matching branch at load time. */
#ifndef BCCT_EVENT_MAX
#define BCCT_EVENT_MAX 10240   /* largest event, bytes (perf-buffer staging area) */
#endif
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct bcct_heap_value { char buf[BCCT_EVENT_MAX]; };
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bcct_heap_value);
} event_heap SEC(".maps");

/* Ring buffer unless core switched `events` to a perf buffer (kernel before 5.8, or forced):
 * use_perfbuf is a .rodata constant, so the verifier prunes the other branch. (Not
 * bpf_core_type_exists(struct bpf_ringbuf): core knows already, and each CO-RE type costs
 * libbpf a scan of every vmlinux type at load, about 1.5 ms.) */
static __always_inline bool bcct_have_ringbuf(void)
{
	return !bcct_filter.use_perfbuf;
}

/* Reserve an event of `size` bytes; NULL (and counted lost) when the buffer is full. */
static __always_inline void *bcct_event_reserve(u64 size)
{
	u32 zero = 0;
	void *e;

	if (bcct_have_ringbuf()) {
		e = bpf_ringbuf_reserve(&events, size, 0);
		if (!e)
			bcct_count_lost();
		return e;
	}
	return bpf_map_lookup_elem(&event_heap, &zero);
}

static __always_inline void bcct_event_submit(void *ctx, void *e, u64 size)
{
	if (bcct_have_ringbuf()) {
		bpf_ringbuf_submit(e, 0);
		return;
	}
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size))
		bcct_count_lost();
}

/* Copy-out of a variable-size event built elsewhere (in a map); size must be bounded. */
static __always_inline void bcct_event_output(void *ctx, void *data, u64 size)
{
	long err;

	if (bcct_have_ringbuf())
		err = bpf_ringbuf_output(&events, data, size, 0);
	else
		err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, data, size);
	if (err)
		bcct_count_lost();
}

static __always_inline void bcct_event_discard(void *e)
{
	if (bcct_have_ringbuf())
		bpf_ringbuf_discard(e, 0);
}

/* Histogram slot of v, BCC's convention: slot = floor(log2(v)) + 1, v = 0 goes to slot 1. */
static __always_inline u32 bcct_log2_slot(u64 v)
{
	u32 r = 0, shift;

	if (v == 0)
		return 1;
	shift = (v > 0xFFFFFFFFULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	r += 1;
	return r < BCCT_MAX_SLOTS ? r : BCCT_MAX_SLOTS - 1;
}

/* Look up key, inserting init first when absent. */
static __always_inline void *bcct_lookup_or_init(void *map, const void *key, const void *init)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
}

/* Adds one to key's u64 count in map, creating it at zero first (the counting tools' tables). */
static const u64 bcct_zero_count;
static __always_inline void bcct_count_inc(void *map, const void *key)
{
	u64 *n = bcct_lookup_or_init(map, key, &bcct_zero_count);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* Counts v in its log2 slot of the histogram of key in map (values struct bcct_hist), creating an
 * empty histogram first. */
static const struct bcct_hist bcct_zero_hist;

/* Counts one in slot of h. bcct_log2_slot() bounds its result, but clang may keep the bound on
 * a copy of the register that older verifiers (6.1) do not link back to the index ("R0
 * unbounded memory access"): bound it again here, where barrier_var() keeps the check. */
static __always_inline void bcct_hist_inc(struct bcct_hist *h, u32 slot)
{
	barrier_var(slot);
	if (slot < BCCT_MAX_SLOTS)
		__sync_fetch_and_add(&h->slots[slot], 1);
}

static __always_inline void bcct_hist_add_log2(void *map, const void *key, u64 v)
{
	struct bcct_hist *h = bcct_lookup_or_init(map, key, &bcct_zero_hist);

	if (h)
		bcct_hist_inc(h, bcct_log2_slot(v));
}

/* A BPF_MAP_TYPE_STACK_TRACE map `name` of `entries` stacks for bpf_get_stackid(), each of up to
 * 127 frames (core/stacks.h's BCCT_STACK_DEPTH, the kernel's default perf_event_max_stack). */
#define BCCT_STACK_MAP(name, entries)							\
	struct {									\
		__uint(type, BPF_MAP_TYPE_STACK_TRACE);					\
		__uint(max_entries, entries);						\
		__uint(key_size, sizeof(u32));						\
		__uint(value_size, 127 * sizeof(u64));					\
	} name SEC(".maps")

/* The records of the syscalls/sys_enter_* and sys_exit_* tracepoints, a fixed layout in every
 * kernel since they appeared (the 8-byte common header, the syscall number, then the arguments or
 * the return value). Declared here rather than used as vmlinux.h's trace_event_raw_sys_enter/exit
 * because those carry CO-RE relocations, and each relocated type costs libbpf a scan of every
 * vmlinux type at load (about 1.5 ms of start-up each). */
struct bcct_sys_enter {
	unsigned long long common;
	long id;
	unsigned long args[6];
};
struct bcct_sys_exit {
	unsigned long long common;
	long id;
	long ret;
};

/* kmem:kmem_cache_alloc's record names the cache in newer kernels (the host's) but not in the
 * vmlinux.h of arm64 (6.12's): this flavor lets an object read the field built against either;
 * CO-RE finds it, or not, in the running kernel (skblife, slabratetop). */
struct trace_event_raw_kmem_cache_alloc___named {
	u32 __data_loc_name;
} __attribute__((preserve_access_index));

/* Task state across kernels: task_struct->state became __state in 5.14. */
struct task_struct___pre514 { long state; } __attribute__((preserve_access_index));
static __always_inline long bcct_task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___pre514 *)t, state);
}

/* The syscall a raw_syscalls:sys_exit hook (raw_tp, tp_btf) is leaving: only its registers
 * say. Its arguments are there too (PT_REGS_PARMn_CORE_SYSCALL), so one program at sys_exit
 * sees a whole syscall: number, arguments and return value. */
#if defined(__TARGET_ARCH_x86)
#define bcct_syscall_nr(regs) BPF_CORE_READ(regs, orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define bcct_syscall_nr(regs) BPF_CORE_READ(regs, syscallno)
#else
#error "bcct.bpf.h: syscall number register unknown for this architecture"
#endif
#endif
