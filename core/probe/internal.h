/* Internals of the probe compiler shared by its stages (and by the unit tests and the fuzz
 * target). Everything a spec owns lives in its arena and is freed at once. */
#ifndef BCCT_PROBE_INTERNAL_H
#define BCCT_PROBE_INTERNAL_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "core/probe/probe.h"

/* ---- arena (arena.c) ------------------------------------------------------------------------ */
struct arena_block;
struct arena {
	struct arena_block *head;
};
void *arena_alloc(struct arena *a, size_t n);            /* zeroed; aborts when out of memory */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* A growable string (sexpr, dumps). */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_putc(struct sbuf *b, char c);
void sbuf_escaped(struct sbuf *b, const char *s, size_t n);   /* C escapes, no quotes */

/* ---- diagnostics (diag.c) ------------------------------------------------------------------- */
/* Sets d (when not NULL and not already set) to an error at [pos, end) of source; returns -1. */
int probe_error_at(struct probe_diag *d, const char *source, int pos, int end, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Up to `max` names of `names` closest to `word` by edit distance, "'a', 'b' or 'c'" into buf;
 * returns false when none is close enough to suggest. */
bool probe_suggest(const char *word, const char *const *names, int n, char *buf, size_t len);
int probe_edit_distance(const char *a, const char *b);

/* ---- tokens (lexer.c) ----------------------------------------------------------------------- */
enum tok {
	T_EOF, T_IDENT, T_INT, T_CHAR, T_STRING,
	T_VAR,          /* $name */
	T_AT,           /* @name (arg2@user) */
	T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_COMMA, T_DOT, T_ARROW, T_QUESTION, T_COLON,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_AMP, T_PIPE, T_CARET, T_TILDE, T_BANG,
	T_SHL, T_SHR, T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE, T_ANDAND, T_OROR,
	T__COUNT,
};
struct token {
	enum tok kind;
	int pos, end;           /* byte range in the source */
	const char *text;       /* T_IDENT/T_VAR/T_AT: the name (without $ or @) */
	uint64_t ival;          /* T_INT, T_CHAR */
	bool u_suffix;          /* T_INT: 'u' suffix */
	int l_suffix;           /* T_INT: number of 'l's */
	bool decimal;           /* T_INT: written in decimal (C picks its type differently) */
	const char *str;        /* T_STRING: decoded bytes, NUL-terminated */
	size_t slen;
};
const char *tok_name(enum tok k);   /* "'->'", "identifier", ... */
/* Tokens of source[start, end) into an arena array ending with T_EOF. -1 with d set on error. */
int lex_tokens(const char *source, int start, int end, struct arena *a, struct probe_diag *d,
	struct token **out, int *count);

/* ---- syntax (parser.c) ---------------------------------------------------------------------- */
enum builtin_type {
	BT_NONE, BT_VOID, BT_BOOL, BT_CHAR, BT_SCHAR, BT_UCHAR, BT_SHORT, BT_USHORT, BT_INT, BT_UINT,
	BT_LONG, BT_ULONG, BT_LLONG, BT_ULLONG,
};
/* A C type name as written: "const struct sock *", "unsigned long", "u32", "char __user *". */
struct typename {
	int pos, end;
	enum { TN_BUILTIN, TN_STRUCT, TN_UNION, TN_ENUM, TN_TYPEDEF } base;
	enum builtin_type builtin;
	const char *name;       /* tag or typedef name */
	int pointers;
	bool user;              /* __user qualifier seen */
};

enum node_kind {
	N_INT,          /* integer or character literal */
	N_STRING,       /* string literal (STRCMP's first argument) */
	N_IDENT,        /* argN, retval, args, parameters, NULL, enumerators: resolved by types.c */
	N_VAR,          /* $pid, $retval, ... */
	N_UNARY,        /* op: T_MINUS T_PLUS T_BANG T_TILDE T_STAR (deref) T_AMP (address) */
	N_BINARY,       /* op: arithmetic, comparison, T_ANDAND, T_OROR */
	N_COND,         /* a ? b : c */
	N_CAST,         /* (tn)a */
	N_MEMBER,       /* a.name (op T_DOT) or a->name (op T_ARROW) */
	N_INDEX,        /* a[b] */
	N_CALL,         /* name(args): STRCMP, $entry, ntohs, ... */
	N_SIZEOF,       /* sizeof(tn) or sizeof a */
	N_USER,         /* a@user: a points to user memory */
};

/* What the type checker resolved a leaf or a location to (codegen dispatches on it). */
enum sem_kind {
	SEM_NONE,
	SEM_CONST,      /* cval */
	SEM_REG,        /* pt_regs field at reg_off (argN, retval, signature parameters) */
	SEM_SYSCALL_ARG,/* __x64_sys_* wrapper: argN read through the pt_regs pointer in di */
	SEM_USDT_ARG,   /* usdt_index */
	SEM_HELPER,     /* $pid & co: helper call plus a shift/mask (see codegen.c) */
	SEM_ENTRY,      /* $entry(name): saved slot entry_index of the entry map value */
	SEM_LATENCY,    /* $latency: now - the entry timestamp */
	SEM_CTX,        /* memory at ctx + ctx_off (tracepoint fields) */
	SEM_DATALOC,    /* __data_loc string: ctx + (u32 at ctx_off & 0xffff) */
	SEM_MEM,        /* memory at an address computed by the node (deref, ->, index) */
	SEM_STRCMP,     /* STRCMP("literal", a) */
	SEM_BSWAP,      /* ntohs & co: swap_bits */
};

/* $pid & co (SEM_HELPER). */
enum helper_var { HV_PID, HV_TGID, HV_UID, HV_GID, HV_CPU, HV_TASK, HV_PID_TGID };

struct ctype;
struct node {
	enum node_kind kind;
	int pos, end;
	enum tok op;
	struct node *a, *b, *c;
	struct node **args;
	int nargs;
	const char *name;       /* identifier, $var (without $), member, called function, @name */
	uint64_t ival;          /* N_INT: value; types.c stores constant values in cval */
	bool u_suffix, decimal, is_char;
	int l_suffix;
	const char *str;        /* N_STRING */
	size_t slen;
	struct typename *tn;    /* N_CAST, N_SIZEOF of a type */

	/* ---- filled by the type checker ---- */
	const struct ctype *type;
	enum sem_kind sem;
	uint64_t cval;          /* SEM_CONST: the value, normalised to type */
	int reg_off;            /* SEM_REG/SEM_SYSCALL_ARG: offset in struct pt_regs */
	int ctx_off;            /* SEM_CTX/SEM_DATALOC */
	int usdt_index, entry_index, helper, swap_bits;
	bool mem_user;          /* SEM_MEM: the memory is user memory (probe_read_user) */
	bool ptr_user;          /* a pointer value: what it points to is user memory */
	unsigned bit_off, bit_size;   /* bitfield member: bits from the member's byte offset */
	unsigned member_off;    /* N_MEMBER: byte offset of the member in its struct */
	const struct ctype *op_type;  /* N_BINARY: both operands are converted to it (NULL for
					 pointer arithmetic and &&, ||) */
	bool lvalue;            /* SEM_CTX/SEM_DATALOC/SEM_MEM: names memory (not loaded yet) */
};

struct param {
	struct typename *tn;
	const char *name;       /* NULL when unnamed */
	int pos, end;
};

/* One conversion of a trace format string. */
struct fmt_conv {
	int pos, end;           /* in the spec (the format literal's position when escaped) */
	char spec[24];          /* "%-8lld" */
	char length[3];         /* "", "h", "hh", "l", "ll", "z", "j", "t" */
	char conv;              /* d i u x X o c s p K U */
};

/* One value a probe collects: a trace format argument or an argdist expression. */
struct value_spec {
	struct node *expr;
	struct fmt_conv conv;   /* trace */
	struct typename *tn;    /* argdist: the declared type */
	bool is_string;         /* %s, or argdist "char*" */
};

struct probe_spec {
	struct arena arena;
	char *text;
	enum probe_tool tool;
	struct probe_target target;
	bool has_signature;
	struct param *params;
	int nparams;
	struct node *filter;            /* NULL: none */
	const char *format;             /* trace: the decoded format string, NULL when none */
	int format_pos, format_end;
	struct value_spec *values;
	int nvalues;
	bool histogram;                 /* argdist -H */
	bool default_expr;              /* argdist without expressions: 1 or $retval */
};

/* Expressions alone (tests, fuzzing). */
struct node *parse_expr_range(struct arena *a, const char *src, int start, int end,
			      struct probe_diag *d);
struct typename *parse_typename_range(struct arena *a, const char *src, int start, int end,
				      struct probe_diag *d);
int parse_params_range(struct arena *a, const char *src, int start, int end,
		       struct probe_diag *d, struct param **out, int *count);
/* Comma-separated expressions (format arguments). */
int parse_expr_list_range(struct arena *a, const char *src, int start, int end,
			  struct probe_diag *d, struct node ***out, int *count);
bool ct_is_builtin_name(const char *name);
/* One kernel function of a call chain with its predicates (inject: every frame of the chain
 * naming that function), "func(signature) (pred) (pred)...": the signature as a 'p' probe's,
 * the predicates parsed into *preds (in the spec's arena). */
struct probe_spec *probe_parse_frame(const char *text, struct node ***preds, int *npreds,
				     struct probe_diag *d);

/* S-expressions (sexpr.c). */
void sexpr_node(struct sbuf *b, const struct node *n);
void sexpr_typename(struct sbuf *b, const struct typename *tn);

/* ---- C types (ctype.c) ---------------------------------------------------------------------- */
enum ctype_kind { CT_VOID, CT_INT, CT_PTR, CT_ARRAY, CT_RECORD, CT_FUNC };
struct ctype {
	enum ctype_kind kind;
	unsigned size;
	bool is_signed;
	bool is_bool;                   /* _Bool: conversion to it is "!= 0" */
	bool is_user;                   /* CT_PTR: BTF type tag "user" or __user */
	bool data_loc;                  /* CT_ARRAY: a tracepoint __data_loc char[] string */
	const struct ctype *elem;       /* CT_PTR target, CT_ARRAY element */
	unsigned nelem;
	int btf_id;                     /* CT_RECORD: struct/union in vmlinux BTF, 0 if unknown */
	bool is_union;
	const char *name;               /* display name: "int", "struct sock", "u64" */
};
extern const struct ctype ct_void, ct_bool, ct_char, ct_schar, ct_uchar, ct_short, ct_ushort,
	ct_int, ct_uint, ct_long, ct_ulong, ct_llong, ct_ullong;
const struct ctype *ct_builtin(enum builtin_type bt);
const struct ctype *ct_pointer(struct arena *a, const struct ctype *to, bool user);
const struct ctype *ct_array(struct arena *a, const struct ctype *elem, unsigned n);
const struct ctype *ct_int_of(unsigned size, bool is_signed);   /* the builtin of that shape */
bool ct_is_scalar(const struct ctype *t);       /* integer or pointer */
bool ct_is_char_like(const struct ctype *t);    /* 1-byte integer */
void ct_name(const struct ctype *t, char *buf, size_t len);    /* "struct sock *" */

/* The kernel's BTF, loaded on first use (about 80 ms and tens of MB: a spec that names only
 * tracepoint fields and builtin types never pays for it). ct_use_btf() makes later lookups use
 * the caller's BTF instead (NULL: back to vmlinux). ct_btf() returns NULL when there is none. */
void ct_use_btf(struct btf *btf);
const struct btf *ct_btf(void);
struct btf *probe_btf(struct btf *given);   /* given, or the cached vmlinux BTF */
const struct ctype *ct_from_btf(struct arena *a, int id);
/* Resolves a written type name against builtins and BTF; NULL with d set when unknown. */
const struct ctype *ct_from_typename(struct arena *a, const char *src,
				    const struct typename *tn, struct probe_diag *d);
/* Member `name` of record t, searching anonymous members: byte/bit offset, type. */
struct member_info {
	unsigned byte_off, bit_off, bit_size;   /* bit_off: within the bytes read at byte_off */
	const struct ctype *type;
};
bool ct_find_member(struct arena *a, const struct ctype *t,
		    const char *name, struct member_info *out);
/* All member names of record t (anonymous members flattened), for suggestions. */
int ct_member_names(struct arena *a, const struct ctype *t,
		    const char ***out);
/* Enumerator value by name in BTF; false if none. */
bool ct_enum_value(const char *name, int64_t *value, bool *is_signed);
/* A kernel flag macro (GFP_ATOMIC, __GFP_HIGH) by name, as the running kernel defines it
 * (kconst.c: from tracepoint print formats); false if none. */
bool kconst_value(const char *name, uint64_t *value);
/* The constant expression of such a format ("(( gfp_t)((1UL) << (5)))"); *ok false if it is
 * not one. */
uint64_t kconst_eval(const char *text, bool *ok);
/* Offset of a struct pt_regs member ("di", arm64 "x0"): from BTF when it is loaded anyway, else
 * the architecture's layout (the ptrace ABI, which cannot change). */
int ct_pt_regs_offset(const char *reg);

/* The calling convention of the architecture bcct is built for, in struct pt_regs member names
 * (ct_pt_regs_offset): where a probed function finds its arguments and return value, where a
 * syscall wrapper's inner user registers keep the syscall's arguments, and what a uprobe at a
 * function's first instruction reads to find the caller (bpf/ustack.h bcct_entry_caller). */
struct ct_abi {
	const char *name;               /* in messages: "x86-64", "arm64" */
	int nargs;                      /* arguments passed in registers */
	const char *arg[8];
	const char *syscall_arg[6];
	const char *syscall_wrapper;    /* the prefix of the kernel's syscall wrappers, which take
					 * the user registers as their one argument */
	const char *ret;
	const char *sp, *fp;
	const char *link;               /* the register with the return address at a function's
					 * entry; NULL: the word at sp */
};
extern const struct ct_abi ct_abi;

/* ---- tracepoint formats (tpformat.c) -------------------------------------------------------- */
struct tp_field {
	const char *name;
	const char *decl;        /* the declared type as written, "const char *" */
	int offset, size;
	bool is_signed;
	bool data_loc;
	const struct ctype *type;
};
struct tp_format {
	const char *category, *event;
	struct tp_field *fields;
	int nfields;
};
/* Parses format text (field types: builtins, else BTF). NULL on error. */
struct tp_format *tp_format_parse(struct arena *a, const char *text,
				  const char *category, const char *event);
/* Reads events/<category>/<event>/format from tracefs (malloc'd) or NULL with errno. */
char *tp_format_read(const char *category, const char *event);

/* ---- type checking (types.c) ---------------------------------------------------------------- */
struct check_ctx {
	struct arena *a;
	const struct probe_spec *spec;
	const char *src;
	struct probe_diag *d;
	const struct tp_format *tp;
	const struct ctype **param_types;    /* by parameter */
	const struct bcct_usdt_arg *usdt_args;
	int usdt_nargs;
	bool syscall_wrapper;                /* __x64_sys_*: arguments behind the pt_regs in di */
	/* $entry(name) parameters saved by the entry program, in order */
	int entry_params[16];
	int nentry;
	bool uses_latency;
};
/* The types of c->spec's signature parameters (integers and pointers, passed in registers) into
 * c->param_types; a syscall wrapper's (__x64_sys_*) are read through its pt_regs (program.c). */
int check_params(struct check_ctx *c);
int type_check_expr(struct check_ctx *c, struct node *n);
/* A value to record: a string source (%s, char*) or a number/pointer. */
int type_check_value(struct check_ctx *c, struct node *n, bool as_string, const char *what);
/* A filter or argdist filter: scalar. */
int type_check_condition(struct check_ctx *c, struct node *n);

/* ---- code generation (codegen.c, program.c) ------------------------------------------------- */
enum map_slot { MAP_EVENTS, MAP_SCRATCH, MAP_ENTRY, MAP_SINK, MAP_STACKS, MAP_CGROUP, MAP_CHAIN,
		MAP__COUNT };

/* Where in the spec an instruction's expression is (pos -1: none). Ranges, not nodes, so a
 * program outlives its spec. */
struct src_range {
	int pos, end;
};

struct insn_buf {
	struct bpf_insn *insns;
	struct src_range *where;        /* the expression each instruction evaluates */
	int n, cap;
	int *label_pos;                 /* label -> instruction index */
	int nlabels, label_cap;
	struct { int insn, label; } *fixups;
	int nfixups, fixup_cap;
};

struct codegen {
	struct insn_buf *ib;
	const struct node *cur;         /* origin of what is being emitted */
	int depth;                      /* spill slots in use */
	int max_depth;
	struct probe_diag *d;
	const char *src;
	const struct bcct_usdt_arg *usdt_args;
	int di_off;                     /* offset of di in struct pt_regs */
};

/* Stack frame (r10-relative); core/probe/README.md says what uses each area. */
#define STK_READ      (-8)              /* probe_read of one scalar */
#define STK_KEY       (-16)             /* map keys */
#define STK_ENTRY_KEY (-24)             /* pid_tgid key of the $entry map, kept until exit */
#define STK_SPILL0    (-32)             /* spill slot i at STK_SPILL0 - 8 * i */
#define MAX_SPILLS    24
#define STK_STRBUF    (STK_SPILL0 - 8 * (MAX_SPILLS - 1))   /* STRCMP buffer ends here */
#define MAX_STRCMP    (512 + STK_STRBUF - 8)          /* longest STRCMP literal, bytes */

int ib_emit(struct codegen *g, struct bpf_insn insn);
void ib_emit_ld_imm64(struct codegen *g, int reg, uint64_t v);
void ib_emit_ld_map(struct codegen *g, int reg, enum map_slot slot);
void ib_emit_map_call(struct codegen *g, int helper, enum map_slot slot, int key_off);
void ib_emit_map_update(struct codegen *g, enum map_slot slot, int key_off, int value_off, int flags);
int ib_new_label(struct codegen *g);
void ib_place(struct codegen *g, int label);
void ib_jump(struct codegen *g, int op, int reg, int src_reg, int32_t imm, bool use_reg, int label);
int ib_resolve(struct insn_buf *ib);
void ib_free(struct insn_buf *ib);

/* Value of n into r0 (64-bit, sign/zero-extended from its type). */
int cg_value(struct codegen *g, const struct node *n);
/* Jumps to label when n's truth equals when. */
int cg_branch(struct codegen *g, const struct node *n, bool when, int label);
/* Address of memory lvalue n (or a value of pointer/array type) into r0. */
int cg_address(struct codegen *g, const struct node *n);
/* Copies the string n designates into r7 + off (size bytes) with probe_read_*_str. */
int cg_string_into(struct codegen *g, const struct node *n, int off, int size);
void cg_convert(struct codegen *g, int reg, const struct ctype *from, const struct ctype *to);

/* ---- the program (program.c) ---------------------------------------------------------------- */
struct probe_program {
	struct arena arena;
	const struct probe_spec *spec;  /* during probe_compile only: the program outlives it */
	const char *name;               /* the probed function/event, for the program's name */
	bool default_expr;              /* argdist without expressions ("total calls") */
	char *src;                      /* copy of the spec text for diagnostics after the spec */
	enum probe_sink sink;
	int prog_type;
	bool user;                      /* a uprobe, uretprobe or USDT program */
	bool uprobe_multi;              /* loaded for uprobe_multi links (probe_load decides) */
	struct insn_buf main, entry;    /* entry.n == 0: no entry program */
	struct probe_layout layout;
	struct probe_field *fields;
	const char *format;             /* trace format string (copied) */
	int nentry;                     /* saved $entry values */
	bool uses_latency;
	unsigned scratch_size;          /* per-CPU scratch value: record + lost counter */
	unsigned lost_off;
	bool perf_buffer;
	int map_fds[MAP__COUNT];
	bool map_owned[MAP__COUNT];
	int prog_fd, entry_fd;
};

/* Loads one instruction buffer of p (its main program, or with entry its entry helper) with p's
 * map fds patched in; the verifier's rejection goes to d. The program fd or -errno (load.c). */
int probe_load_insns(struct probe_program *p, const struct insn_buf *ib, bool entry,
		     const struct probe_load_opts *lo, struct probe_diag *d);

/* ---- listing (disasm.c) --------------------------------------------------------------------- */
void probe_disasm_insn(const struct bpf_insn *insn, char *buf, size_t len);
/* Whole buffer, "IDX: text" a line, with the origin sub-expression when src is given. */
void probe_disasm_dump(const struct bpf_insn *insns, const struct src_range *where, int n,
		 const char *src, struct sbuf *out);
#endif
