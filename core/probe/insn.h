/* BPF instruction constructors (the uapi header has the encoding, not the kernel's macros). */
#ifndef BCCT_PROBE_INSN_H
#define BCCT_PROBE_INSN_H
#include <linux/bpf.h>

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define ALU64_REG(op, d, s)   INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define ALU64_IMM(op, d, i)   INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)       ALU64_REG(BPF_MOV, d, s)
#define MOV64_IMM(d, i)       ALU64_IMM(BPF_MOV, d, i)
#define MOV32_REG(d, s)       INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)   /* zero-extends */
#define MOV32_IMM(d, i)       INSN(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, i)
#define NEG64(d)              INSN(BPF_ALU64 | BPF_NEG, d, 0, 0, 0)
#define LDX_MEM(sz, d, s, o)  INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX_MEM(sz, d, s, o)  INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST_MEM(sz, d, o, i)   INSN(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
/* BPF_ATOMIC with imm BPF_ADD is the old BPF_XADD encoding: works on every kernel */
#define ATOMIC_ADD(sz, d, s, o) INSN(BPF_STX | BPF_ATOMIC | (sz), d, s, o, BPF_ADD)
#define CALL(fn)              INSN(BPF_JMP | BPF_CALL, 0, 0, 0, fn)
#define EXIT()                INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define JMP_IMM(op, d, i, o)  INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o)  INSN(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define JA(o)                 INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define TO_BE(d, bits)        INSN(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, bits)

#define LD_IMM64_CODE (BPF_LD | BPF_DW | BPF_IMM)

static inline int bpf_size_code(unsigned bytes)
{
	switch (bytes) {
	case 1: return BPF_B;
	case 2: return BPF_H;
	case 4: return BPF_W;
	default: return BPF_DW;
	}
}
#endif
