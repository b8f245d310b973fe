/* Name lookups in the running kernel's BTF for feature and target checks. */
#ifndef BCCT_BTF_H
#define BCCT_BTF_H
#include <stdbool.h>

/* Type id of `name` with BTF kind `kind` (BTF_KIND_FUNC, BTF_KIND_TYPEDEF, ...) in
 * /sys/kernel/btf/vmlinux, or -1. */
int bcct_btf_find(const char *name, int kind);
/* Drops the raw data: libbpf reads its own copy at load, so keeping ours would double the peak. */
void bcct_btf_release(void);
#endif
