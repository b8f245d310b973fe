/* The one BPF disassembler: instructions in the verifier's notation ("r0 = *(u64 *)(r6 +112)",
 * "if r1 > 5 goto 12", "call map_lookup_elem", "r1 = map[events]"), for --ebpf (every applet's
 * loaded programs, core/run.c), trace/argdist -vv and the verifier reports of core/probe. */
#ifndef BCCT_DISASM_H
#define BCCT_DISASM_H
#include <stddef.h>
#include <stdio.h>
#include <linux/bpf.h>

/* Names the map a 64-bit load refers to (src_reg BPF_PSEUDO_MAP_FD or _MAP_VALUE: imm is the fd
 * or a slot; BPF_PSEUDO_MAP_IDX: imm is the map's index in its object, as in libbpf's marks for
 * maps it did not create); NULL: printed as a number. */
typedef const char *(*bcct_map_namer)(int src_reg, int imm, void *ctx);

/* The helper's name without "bpf_" ("map_lookup_elem"), NULL for an id this build does not know. */
const char *bcct_helper_name(int id);
/* One instruction into buf; jump and call offsets relative ("goto +3"). A 64-bit load reads
 * in[1] too. */
void bcct_disasm_insn(const struct bpf_insn *in, char *buf, size_t len, bcct_map_namer names, void *ctx);
/* Instruction i of a program as a listing shows it: jump targets as absolute indexes
 * ("goto 12", "call pc 40"). */
void bcct_disasm_at(const struct bpf_insn *insns, int i, char *buf, size_t len, bcct_map_namer names,
		    void *ctx);
/* Whether instruction in is the first half of a 64-bit load (its next slot is its second half). */
static inline int bcct_insn_is_ld64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_DW | BPF_IMM);
}
/* The whole program, one "%4d: text" line each, to out. */
void bcct_disasm_print(FILE *out, const struct bpf_insn *insns, size_t n, bcct_map_namer names, void *ctx);
#endif
