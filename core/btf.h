/* Name lookups in the running kernel's BTF for feature and target checks. */
#ifndef BCCT_BTF_H
#define BCCT_BTF_H
#include <stdbool.h>

/* Type id of `name` with BTF kind `kind` (BTF_KIND_FUNC, BTF_KIND_TYPEDEF, ...) in
 * /sys/kernel/btf/vmlinux, or -1. */
int bcct_btf_find(const char *name, int kind);
/* Number of arguments of a BTF-enabled tracepoint (its btf_trace_<name> prototype, without
 * the leading void *), or -1 when the kernel's BTF does not describe it. For arguments that
 * changed between kernels: distributions backport such changes, so versions do not tell. */
int bcct_btf_tp_args(const char *tracepoint);
/* Number of arguments of kernel function func (its BTF prototype), or -1 when the kernel's BTF
 * does not describe it or it is variadic. */
int bcct_btf_func_args(const char *func);
/* Drops the raw data: libbpf reads its own copy at load, so keeping ours would double the peak. */
void bcct_btf_release(void);
#endif
