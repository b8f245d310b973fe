/* Mirrored text, user space (the BPF side is bpf/mirror.bpf.h): ttysnoop and shellsnoop print
 * what traced programs wrote, as it came. */
#ifndef BCCT_FAMILY_TTY_H
#define BCCT_FAMILY_TTY_H
#include <stddef.h>

/* One struct mirror_event: in text its bytes as BCC's ttysnoop prints them (UTF-8 with
 * replacement, nothing between events); with --json an object {"data": the bytes}. For
 * bcct_run's on_event; ctx unused. */
int tty_mirror_event(void *ctx, const void *data, size_t size);
#endif
