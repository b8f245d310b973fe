/* biolatpcts: latency of every completed request of one disk, counted into fixed-width slots
 * at three granularities (bpf/biolatpcts.h), as BCC's biolatpcts at block_rq_complete. The
 * start time is a field of struct request, so only programs that see the request can do it
 * (tp_btf, raw_tp): the classic tracepoint record has no time. */
#include "bcct.bpf.h"
#include "block.bpf.h"
#include "biolatpcts.h"

const volatile int from = BIOLATPCTS_ON_DEVICE;     /* -w */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BIOLATPCTS_COUNTERS);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

/* The kernel's REQ_OP_* values, the low 8 bits of cmd_flags (the same since 4.10). */
#define REQ_OP_BITS_MASK 0xff
#define OP_READ 0
#define OP_WRITE 1
#define OP_FLUSH 2
#define OP_DISCARD 3

struct request___alloc_time {
	u64 alloc_time_ns;
} __attribute__((preserve_access_index));

static __always_inline u64 start_time(struct request *rq)
{
	struct request___alloc_time *r = (void *)rq;

	if (from == BIOLATPCTS_AFTER_ALLOC)
		return BPF_CORE_READ(rq, start_time_ns);
	if (from == BIOLATPCTS_FROM_ALLOC)
		return bpf_core_field_exists(r->alloc_time_ns) ? BPF_CORE_READ(r, alloc_time_ns) : 0;
	return BPF_CORE_READ(rq, io_start_time_ns);
}

static __always_inline void count(u32 gran, u32 op, u64 slot)
{
	u32 i = (gran * BIOLATPCTS_OPS + op) * BIOLATPCTS_SLOTS + slot;
	u64 *c = bpf_map_lookup_elem(&counts, &i);

	if (c)
		(*c)++;     /* per-CPU: no other writer */
}

static __always_inline int complete(struct request *rq)
{
	u64 start = start_time(rq), dur, slot;
	u32 op;

	if (!start || !block_dev_wanted(rq_devt(rq)))
		return 0;
	switch (BPF_CORE_READ(rq, cmd_flags) & REQ_OP_BITS_MASK) {
	case OP_READ: op = 0; break;
	case OP_WRITE: op = 1; break;
	case OP_DISCARD: op = 2; break;
	case OP_FLUSH: op = 3; break;
	default: return 0;
	}
	dur = bpf_ktime_get_ns() - start;
	slot = dur / 100000000;     /* 100 ms */
	count(0, op, slot < BIOLATPCTS_SLOTS - 1 ? slot : BIOLATPCTS_SLOTS - 1);
	if (slot)
		return 0;
	slot = dur / 1000000;       /* 1 ms */
	count(1, op, slot < BIOLATPCTS_SLOTS - 1 ? slot : BIOLATPCTS_SLOTS - 1);
	if (slot)
		return 0;
	slot = dur / 10000;         /* 10 us */
	count(2, op, slot < BIOLATPCTS_SLOTS - 1 ? slot : BIOLATPCTS_SLOTS - 1);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete_btf, struct request *rq)
{
	return complete(rq);
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(block_rq_complete_raw, struct request *rq)
{
	return complete(rq);
}
