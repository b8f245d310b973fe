/* Name lookups in the running kernel's BTF for feature and target checks, and the trimmed
 * CO-RE target every skeleton is opened with. Both are cached per boot (core/bootcache.h), so
 * that a run whose answers are all cached never maps the kernel's BTF. */
#ifndef BCCT_BTF_H
#define BCCT_BTF_H
#include <stdbool.h>
#include <stddef.h>

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
/* Drops the kernel BTF data (called before load: what load needs is in the trimmed target). */
void bcct_btf_release(void);

/* Open options for the BPF object elf_bytes returns (a skeleton's __elf_bytes): when the object
 * has CO-RE relocations, btf_custom_path names a BTF holding only the kernel types they can
 * reach, so libbpf does not parse all of vmlinux BTF. core/run.c opens every skeleton with them. */
struct bpf_object_open_opts;
const struct bpf_object_open_opts *bcct_open_opts(const void *(*elf_bytes)(size_t *sz));
#endif
