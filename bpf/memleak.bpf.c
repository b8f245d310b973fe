/* memleak: allocations not yet freed, by the stack that made them.
 *
 * User mode (-p/-c): uprobes on the allocator's entry note the size asked for per thread, the
 * uretprobes record the returned address with its size, time and user stack (taken at the
 * return, where the frame-pointer walk starts in the caller); free/munmap (and realloc's old
 * pointer) delete the record. Kernel mode: the kmem and percpu tracepoints give address and size
 * in one event. As BCC, every record also adds to its stack's running totals (--combined-only). */
#include "bcct.bpf.h"
#include "memleak.h"

const volatile bool kernel_mode = false;        /* kernel stacks, else user stacks */
const volatile bool trace_all = false;          /* -t: an event per call */
const volatile bool wa_missing_free = false;    /* --wa-missing-free */
const volatile __u64 min_size = 0;                /* -z */
const volatile __u64 max_size = ~0ULL;            /* -Z */
const volatile __u64 sample_every_n = 1;          /* -s */
const volatile __u64 page_size = 4096;

/* The size asked for, from entry to return, by thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, u64);
} sizes SEC(".maps");

/* Outstanding allocations by address. User mode allocates entries as they come (the map is
 * large); kernel mode preallocates them (configure), so that recording a kmalloc never needs
 * one. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1000000);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, u64);
	__type(value, struct memleak_alloc);
} allocs SEC(".maps");

/* posix_memalign's out pointer, from entry to return, by thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, u64);
} memptrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 10240);
	__uint(key_size, sizeof(u32));
	__uint(value_size, MEMLEAK_STACK_DEPTH * sizeof(u64));
} stack_traces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct memleak_combined);
} combined_allocs SEC(".maps");

static __always_inline void trace_event(void *ctx, enum memleak_kind kind, u64 size, u64 addr)
{
	struct memleak_event *e;
	u64 id = bpf_get_current_pid_tgid();

	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return;
	e->ts = bpf_ktime_get_ns();
	e->kind = kind;
	e->size = size;
	e->addr = addr;
	e->pid = id >> 32;
	e->tid = (u32)id;
	e->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bcct_event_submit(ctx, e, sizeof(*e));
}

static __always_inline void stats_add(u64 stack_id, u64 size)
{
	static const struct memleak_combined zero;
	struct memleak_combined *c = bcct_lookup_or_init(&combined_allocs, &stack_id, &zero);

	if (!c)
		return;
	__sync_fetch_and_add(&c->total_size, size);
	__sync_fetch_and_add(&c->number_of_allocs, 1);
}

/* As BCC: never below zero (a free may race with the add of another CPU). */
static __always_inline void stats_del(u64 stack_id, u64 size)
{
	struct memleak_combined *c = bpf_map_lookup_elem(&combined_allocs, &stack_id);

	if (!c)
		return;
	if (c->total_size > size)
		__sync_fetch_and_sub(&c->total_size, size);
	else
		c->total_size = 0;
	if (c->number_of_allocs > 0)
		__sync_fetch_and_sub(&c->number_of_allocs, 1);
}

static __always_inline int gen_alloc_enter(void *ctx, u64 size)
{
	u64 id = bpf_get_current_pid_tgid();

	if (size < min_size || size > max_size)
		return 0;
	if (sample_every_n > 1 && bpf_ktime_get_ns() % sample_every_n)
		return 0;
	if (!bcct_filter_current())
		return 0;
	bpf_map_update_elem(&sizes, &id, &size, BPF_ANY);
	if (trace_all)
		trace_event(ctx, MEMLEAK_ALLOC_ENTER, size, 0);
	return 0;
}

static __always_inline int gen_alloc_exit(void *ctx, u64 address)
{
	u64 id = bpf_get_current_pid_tgid();
	struct memleak_alloc info = {};
	u64 *size = bpf_map_lookup_elem(&sizes, &id);

	if (!size)
		return 0;    /* entry filtered out or missed */
	info.size = *size;
	bpf_map_delete_elem(&sizes, &id);
	if (address) {
		info.timestamp_ns = bpf_ktime_get_ns();
		info.stack_id = bpf_get_stackid(ctx, &stack_traces, kernel_mode ? 0 : BPF_F_USER_STACK);
		if (bpf_map_update_elem(&allocs, &address, &info, BPF_ANY))
			bcct_count_lost();   /* the table is full: this one is not tracked */
		else
			stats_add(info.stack_id, info.size);
	}
	if (trace_all)
		trace_event(ctx, MEMLEAK_ALLOC_EXIT, info.size, address);
	return 0;
}

static __always_inline int gen_free_enter(void *ctx, u64 address)
{
	struct memleak_alloc *info = bpf_map_lookup_elem(&allocs, &address);
	u64 size;
	int stack_id;

	if (!info)
		return 0;
	size = info->size;
	stack_id = info->stack_id;
	bpf_map_delete_elem(&allocs, &address);
	stats_del(stack_id, size);
	if (trace_all)
		trace_event(ctx, MEMLEAK_FREE_ENTER, size, address);
	return 0;
}

/* ---- user mode: attached by the applet to the allocator's object ---- */

SEC("uprobe.multi")
int BPF_KPROBE(malloc_enter, size_t size) { return gen_alloc_enter(ctx, size); }
SEC("uretprobe.multi")
int BPF_KRETPROBE(malloc_exit, void *ret) { return gen_alloc_exit(ctx, (u64)ret); }

SEC("uprobe.multi")
int BPF_KPROBE(free_enter, void *address) { return gen_free_enter(ctx, (u64)address); }

SEC("uprobe.multi")
int BPF_KPROBE(calloc_enter, size_t nmemb, size_t size) { return gen_alloc_enter(ctx, nmemb * size); }
SEC("uretprobe.multi")
int BPF_KRETPROBE(calloc_exit, void *ret) { return gen_alloc_exit(ctx, (u64)ret); }

SEC("uprobe.multi")
int BPF_KPROBE(realloc_enter, void *ptr, size_t size)
{
	gen_free_enter(ctx, (u64)ptr);
	return gen_alloc_enter(ctx, size);
}
SEC("uretprobe.multi")
int BPF_KRETPROBE(realloc_exit, void *ret) { return gen_alloc_exit(ctx, (u64)ret); }

SEC("uprobe.multi")
int BPF_KPROBE(mmap_enter, void *addr, size_t length) { return gen_alloc_enter(ctx, length); }
SEC("uretprobe.multi")
int BPF_KRETPROBE(mmap_exit, void *ret)
{
	/* MAP_FAILED is no allocation */
	return gen_alloc_exit(ctx, (long)ret == -1 ? 0 : (u64)ret);
}

SEC("uprobe.multi")
int BPF_KPROBE(munmap_enter, void *address) { return gen_free_enter(ctx, (u64)address); }

SEC("uprobe.multi")
int BPF_KPROBE(posix_memalign_enter, void **memptr, size_t alignment, size_t size)
{
	u64 id = bpf_get_current_pid_tgid();
	u64 p = (u64)memptr;

	bpf_map_update_elem(&memptrs, &id, &p, BPF_ANY);
	return gen_alloc_enter(ctx, size);
}
SEC("uretprobe.multi")
int BPF_KRETPROBE(posix_memalign_exit, int ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u64 *memptr = bpf_map_lookup_elem(&memptrs, &id);
	void *addr = NULL;

	if (!memptr)
		return 0;
	bpf_map_delete_elem(&memptrs, &id);
	/* on failure *memptr is left alone: nothing was allocated */
	if (ret || bpf_probe_read_user(&addr, sizeof(addr), (void *)*memptr))
		addr = NULL;
	return gen_alloc_exit(ctx, (u64)addr);
}

SEC("uprobe.multi")
int BPF_KPROBE(aligned_alloc_enter, size_t alignment, size_t size) { return gen_alloc_enter(ctx, size); }
SEC("uretprobe.multi")
int BPF_KRETPROBE(aligned_alloc_exit, void *ret) { return gen_alloc_exit(ctx, (u64)ret); }

SEC("uprobe.multi")
int BPF_KPROBE(valloc_enter, size_t size) { return gen_alloc_enter(ctx, size); }
SEC("uretprobe.multi")
int BPF_KRETPROBE(valloc_exit, void *ret) { return gen_alloc_exit(ctx, (u64)ret); }

SEC("uprobe.multi")
int BPF_KPROBE(memalign_enter, size_t alignment, size_t size) { return gen_alloc_enter(ctx, size); }
SEC("uretprobe.multi")
int BPF_KRETPROBE(memalign_exit, void *ret) { return gen_alloc_exit(ctx, (u64)ret); }

SEC("uprobe.multi")
int BPF_KPROBE(pvalloc_enter, size_t size) { return gen_alloc_enter(ctx, size); }
SEC("uretprobe.multi")
int BPF_KRETPROBE(pvalloc_exit, void *ret) { return gen_alloc_exit(ctx, (u64)ret); }

/* ---- kernel mode: tracepoints giving address and size at once ---- */

/* Before 6.1 kmalloc and kmem_cache_alloc shared this event class, and the *_node events had
 * their own with a trailing node; the fields read here sit alike in all of them. */
struct trace_event_raw_kmem_alloc {
	struct trace_entry ent;
	unsigned long call_site;
	const void *ptr;
	size_t bytes_req;
	size_t bytes_alloc;
} __attribute__((preserve_access_index));

static __always_inline int kernel_alloc(void *ctx, const void *ptr, u64 bytes)
{
	if (wa_missing_free)
		gen_free_enter(ctx, (u64)ptr);
	gen_alloc_enter(ctx, bytes);
	return gen_alloc_exit(ctx, (u64)ptr);
}

/* The raw tracepoints come first (core's order): a raw_tp link is released at exit in about a
 * millisecond, a tracepoint perf event in 25-60 ms, one after another (bench/ctrlc: ten of them
 * took kernel mode a quarter of a second to Ctrl-C). The raw arguments, by kernel:
 *   kmalloc(call_site, ptr, bytes_req, bytes_alloc, gfp[, node]): all kernels;
 *   kmalloc_node, kmem_cache_alloc_node: the same with node, before 6.0;
 *   kmem_cache_alloc: kmalloc's before 6.1, (call_site, ptr, struct kmem_cache *, gfp, node)
 *   from 6.1, whose record takes bytes_alloc from the cache's size;
 *   kfree, kmem_cache_free: (call_site, ptr, ...) on all kernels;
 *   percpu_alloc_percpu: (reserved, is_atomic, size, align, base_addr, off, ptr) before 6.2,
 *   with call_site first and bytes_alloc, gfp after from 6.2; percpu_free_percpu(base_addr,
 *   off, ptr); mm_page_alloc(page, order, gfp, migratetype), mm_page_free(page, order): the
 *   struct page, not the frame number BCC keys and prints pages by (see page_alloc_raw). */
SEC("raw_tp/kmalloc")
int kmalloc_raw(u64 *ctx) { return kernel_alloc(ctx, (const void *)ctx[1], ctx[3]); }

SEC("raw_tp/kmalloc_node")
int kmalloc_node_raw(u64 *ctx) { return kernel_alloc(ctx, (const void *)ctx[1], ctx[3]); }

SEC("raw_tp/kmem_cache_alloc_node")
int kmem_cache_alloc_node_raw(u64 *ctx) { return kernel_alloc(ctx, (const void *)ctx[1], ctx[3]); }

SEC("raw_tp/kmem_cache_alloc")
int kmem_cache_alloc_raw(u64 *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmem_cache_alloc))
		return kernel_alloc(ctx, (const void *)ctx[1],
				    BPF_CORE_READ((struct kmem_cache *)ctx[2], size));
	return kernel_alloc(ctx, (const void *)ctx[1], ctx[3]);
}

SEC("raw_tp/kfree")
int kfree_raw(u64 *ctx) { return gen_free_enter(ctx, ctx[1]); }

SEC("raw_tp/kmem_cache_free")
int kmem_cache_free_raw(u64 *ctx) { return gen_free_enter(ctx, ctx[1]); }

SEC("raw_tp/percpu_alloc_percpu")
int percpu_alloc_percpu_raw(u64 *ctx)
{
	/* Each argument is read at a fixed offset: the verifier refuses a load from the context
	 * at a computed one, which is what clang makes of `since_6_2 ? ctx[3] : ctx[2]`, and the
	 * eighth argument only where it exists (a raw_tp program that reads past its tracepoint's
	 * arguments does not attach). */
	u64 arg2 = ctx[2], arg3 = ctx[3], arg6 = ctx[6], size, ptr;

	barrier_var(arg2);   /* loaded here, not re-read at a selected offset */
	barrier_var(arg3);
	barrier_var(arg6);

	if (bpf_core_field_exists(struct trace_event_raw_percpu_alloc_percpu, call_site)) {
		size = arg3;
		ptr = ctx[7];
	} else {
		size = arg2;
		ptr = arg6;
	}
	gen_alloc_enter(ctx, size);
	return gen_alloc_exit(ctx, ptr);
}

SEC("raw_tp/percpu_free_percpu")
int percpu_free_percpu_raw(u64 *ctx) { return gen_free_enter(ctx, ctx[2]); }

SEC("tracepoint/kmem/kmalloc")
int kmalloc_tp(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmalloc)) {
		struct trace_event_raw_kmalloc *a = ctx;

		return kernel_alloc(ctx, BPF_CORE_READ(a, ptr), BPF_CORE_READ(a, bytes_alloc));
	}
	struct trace_event_raw_kmem_alloc *a = ctx;
	return kernel_alloc(ctx, BPF_CORE_READ(a, ptr), BPF_CORE_READ(a, bytes_alloc));
}

SEC("tracepoint/kmem/kmem_cache_alloc")
int kmem_cache_alloc_tp(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmem_cache_alloc)) {
		struct trace_event_raw_kmem_cache_alloc *a = ctx;

		return kernel_alloc(ctx, BPF_CORE_READ(a, ptr), BPF_CORE_READ(a, bytes_alloc));
	}
	struct trace_event_raw_kmem_alloc *a = ctx;
	return kernel_alloc(ctx, BPF_CORE_READ(a, ptr), BPF_CORE_READ(a, bytes_alloc));
}

/* Kernels before 6.1 only (optional probes). The event's class has the same leading fields. */
SEC("tracepoint/kmem/kmalloc_node")
int kmalloc_node_tp(struct trace_event_raw_kmem_alloc *a)
{
	return kernel_alloc(a, BPF_CORE_READ(a, ptr), BPF_CORE_READ(a, bytes_alloc));
}

SEC("tracepoint/kmem/kmem_cache_alloc_node")
int kmem_cache_alloc_node_tp(struct trace_event_raw_kmem_alloc *a)
{
	return kernel_alloc(a, BPF_CORE_READ(a, ptr), BPF_CORE_READ(a, bytes_alloc));
}

/* Before 5.12 kfree and kmem_cache_free shared this event class (5.10 has neither
 * trace_event_raw_kfree nor trace_event_raw_kmem_cache_free to relocate against). */
struct trace_event_raw_kmem_free {
	struct trace_entry ent;
	unsigned long call_site;
	const void *ptr;
} __attribute__((preserve_access_index));

SEC("tracepoint/kmem/kfree")
int kfree_tp(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kfree)) {
		struct trace_event_raw_kfree *a = ctx;

		return gen_free_enter(ctx, (u64)BPF_CORE_READ(a, ptr));
	}
	struct trace_event_raw_kmem_free *a = ctx;
	return gen_free_enter(ctx, (u64)BPF_CORE_READ(a, ptr));
}

SEC("tracepoint/kmem/kmem_cache_free")
int kmem_cache_free_tp(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmem_cache_free)) {
		struct trace_event_raw_kmem_cache_free *a = ctx;

		return gen_free_enter(ctx, (u64)BPF_CORE_READ(a, ptr));
	}
	struct trace_event_raw_kmem_free *a = ctx;
	return gen_free_enter(ctx, (u64)BPF_CORE_READ(a, ptr));
}

/* Pages by frame number: both page allocator interfaces report one, so a page allocated
 * through one and freed through the other still pairs up. */
/* The same page events at their raw tracepoints, keyed by the struct page (the raw argument):
 * pages pair up as well as by frame number, and these release at exit in a millisecond. Used
 * when no address is printed (no -a, no -t), since the frame number BCC prints is only in the
 * tracepoint's record. */
SEC("raw_tp/mm_page_alloc")
int page_alloc_raw(u64 *ctx)
{
	gen_alloc_enter(ctx, page_size << (u32)ctx[1]);
	return gen_alloc_exit(ctx, ctx[0]);
}

SEC("raw_tp/mm_page_free")
int page_free_raw(u64 *ctx) { return gen_free_enter(ctx, ctx[0]); }

SEC("tracepoint/kmem/mm_page_alloc")
int mm_page_alloc_tp(struct trace_event_raw_mm_page_alloc *a)
{
	gen_alloc_enter(a, page_size << BPF_CORE_READ(a, order));
	return gen_alloc_exit(a, BPF_CORE_READ(a, pfn));
}

SEC("tracepoint/kmem/mm_page_free")
int mm_page_free_tp(struct trace_event_raw_mm_page_free *a)
{
	return gen_free_enter(a, BPF_CORE_READ(a, pfn));
}

SEC("tracepoint/percpu/percpu_alloc_percpu")
int percpu_alloc_percpu_tp(struct trace_event_raw_percpu_alloc_percpu *a)
{
	gen_alloc_enter(a, BPF_CORE_READ(a, size));
	return gen_alloc_exit(a, (u64)BPF_CORE_READ(a, ptr));
}

SEC("tracepoint/percpu/percpu_free_percpu")
int percpu_free_percpu_tp(struct trace_event_raw_percpu_free_percpu *a)
{
	return gen_free_enter(a, (u64)BPF_CORE_READ(a, ptr));
}
