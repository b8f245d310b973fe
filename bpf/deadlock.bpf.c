/* deadlock: the mutex wait graph of one process, as BCC's deadlock.c. Each thread's held
 * mutexes are tracked from the lock and unlock uprobes; locking B while holding A adds the edge
 * (A, B) with both call stacks. User space looks for a cycle in the edges.
 *
 * Thread parents: BCC takes them from a kretprobe on the clone syscall, which misses threads
 * made with clone3 (glibc 2.34 and later create every thread so). sched:sched_process_fork
 * fires in the parent for every new task, clone3 included, with the child's thread id; the
 * stack is the one of the parent's pthread_create call (a uprobe), as BCC's would show. */
#include "bcct.bpf.h"
#include "pmutex.bpf.h"
#include "deadlock.h"

struct held {
	u64 mutex;              /* 0: a free slot */
	struct pmutex_site site;
};

struct held_mutexes {
	struct held m[DEADLOCK_MAX_HELD];
};

/* Sizes set by -t/--threads and -e/--edges. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, struct held_mutexes);
} thread_to_held_mutexes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct deadlock_edge_key);
	__type(value, struct deadlock_edge);
} edges SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, struct deadlock_parent);
} thread_to_parent SEC(".maps");

static const struct held_mutexes no_mutexes;

SEC("uprobe.multi")
int BPF_KPROBE(mutex_acquire, void *mutex)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct deadlock_edge_key key = { .mutex2 = (u64)mutex };
	struct deadlock_edge edge = { .tid = tid };
	struct held_mutexes *held;
	struct pmutex_site site;
	bool added = false;

	if (!mutex || !bcct_filter_current())
		return 0;
	held = bcct_lookup_or_init(&thread_to_held_mutexes, &tid, &no_mutexes);
	if (!held) {
		bcct_count_lost();
		return 0;
	}
	/* A recursive mutex is locked again by its holder: no self edges (BCC). */
	for (int i = 0; i < DEADLOCK_MAX_HELD; i++)
		if (held->m[i].mutex == (u64)mutex)
			return 0;
	pmutex_site_read(ctx, &site);
	bpf_get_current_comm(edge.comm, sizeof(edge.comm));
	edge.site2 = site;
	for (int i = 0; i < DEADLOCK_MAX_HELD; i++) {
		if (!held->m[i].mutex) {
			if (!added) {
				held->m[i].mutex = (u64)mutex;
				held->m[i].site = site;
				added = true;
			}
			continue;
		}
		key.mutex1 = held->m[i].mutex;
		edge.site1 = held->m[i].site;
		if (bpf_map_update_elem(&edges, &key, &edge, BPF_ANY))
			bcct_count_lost();   /* the edges map is full (-e) */
	}
	if (!added)
		bcct_count_lost();       /* more than DEADLOCK_MAX_HELD held at once */
	return 0;
}

SEC("uprobe.multi")
int BPF_KPROBE(mutex_release, void *mutex)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct held_mutexes *held = bpf_map_lookup_elem(&thread_to_held_mutexes, &tid);

	if (!held || !mutex)
		return 0;
	for (int i = 0; i < DEADLOCK_MAX_HELD; i++) {
		if (held->m[i].mutex == (u64)mutex) {
			held->m[i].mutex = 0;
			break;
		}
	}
	return 0;
}

/* Where each thread of the process called pthread_create, until the new thread exists: the
 * stack taken there walks the caller's frames; the one taken at the fork tracepoint starts in
 * clone3, which, as the rest of glibc, keeps no frame pointer (its walk goes astray). LRU: a
 * failed pthread_create leaves its entry behind. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct pmutex_site);
} creating SEC(".maps");

SEC("uprobe.multi")
int BPF_KPROBE(thread_create_call)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct pmutex_site site;

	if (!bcct_filter_current())
		return 0;
	pmutex_site_read(ctx, &site);
	bpf_map_update_elem(&creating, &tid, &site, BPF_ANY);
	return 0;
}

static __always_inline int thread_created(void *ctx, struct task_struct *child)
{
	struct deadlock_parent p = { .tid = (u32)bpf_get_current_pid_tgid() };
	u32 child_tid = BPF_CORE_READ(child, pid);
	struct pmutex_site *site;

	if (!bcct_filter_current())
		return 0;
	site = bpf_map_lookup_elem(&creating, &p.tid);
	if (site) {
		p.site = *site;
		bpf_map_delete_elem(&creating, &p.tid);
	} else {   /* a thread not made by pthread_create (a raw clone): the stack here */
		p.site.stack_id = bpf_get_stackid(ctx, &pmutex_stacks, BPF_F_USER_STACK);
	}
	bpf_get_current_comm(p.comm, sizeof(p.comm));
	if (bpf_map_update_elem(&thread_to_parent, &child_tid, &p, BPF_ANY))
		bcct_count_lost();
	return 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(thread_create_raw, struct task_struct *parent, struct task_struct *child)
{ return thread_created(ctx, child); }

SEC("tp_btf/sched_process_fork")
int BPF_PROG(thread_create_btf, struct task_struct *parent, struct task_struct *child)
{ return thread_created(ctx, child); }
