/* Listings of compiled probe programs for -vv, --ebpf, golden tests and verifier error reports:
 * core's disassembler (core/disasm.c) with map slots by name and each instruction annotated
 * with the expression it evaluates. */
#include <stdio.h>
#include <string.h>
#include "core/disasm.h"
#include "core/probe/insn.h"
#include "core/probe/internal.h"

static const char *const map_names[MAP__COUNT] = {
	[MAP_EVENTS] = "events", [MAP_SCRATCH] = "scratch", [MAP_ENTRY] = "entry",
	[MAP_SINK] = "counts", [MAP_STACKS] = "stacks", [MAP_CGROUP] = "cgroup",
	[MAP_CHAIN] = "chain",
};

/* Map references hold a map slot until loaded (core/probe/load.c patches the fds in). */
static const char *slot_name(int src_reg, int imm, void *ctx)
{
	(void)ctx;
	return src_reg == BPF_PSEUDO_MAP_FD && imm >= 0 && imm < MAP__COUNT ? map_names[imm] : NULL;
}

/* One instruction; jump offsets relative (the dump turns them into indexes). */
void probe_disasm_insn(const struct bpf_insn *in, char *buf, size_t len)
{
	bcct_disasm_insn(in, buf, len, slot_name, NULL);
}

void probe_disasm_dump(const struct bpf_insn *insns, const struct src_range *where, int n,
		 const char *src, struct sbuf *out)
{
	int last_pos = -2, last_end = -2;

	for (int i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[i];
		char text[160];

		/* jumps: the target index instead of the relative offset */
		bcct_disasm_at(insns, i, text, sizeof(text), slot_name, NULL);
		sbuf_printf(out, "%4d: %s", i, text);
		if (src && where && where[i].pos >= 0 &&
		    (where[i].pos != last_pos || where[i].end != last_end)) {
			int pad = 36 - (int)strlen(text);

			sbuf_printf(out, "%*s; %.*s", pad > 1 ? pad : 1, "", where[i].end - where[i].pos,
				    src + where[i].pos);
		}
		if (where) {
			last_pos = where[i].pos;
			last_end = where[i].end;
		}
		sbuf_putc(out, '\n');
		if (bcct_insn_is_ld64(in))
			i++;   /* the second half of a 64-bit load */
	}
}
