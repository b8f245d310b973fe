/* swapin (BPF Performance Tools, ch. 7): pages read back from swap, counted by process, at the
 * kernel function that reads one: swap_read_folio from 6.10, swap_readpage before (bcc's
 * swapin.py takes whichever exists). No tracepoint sees a swap-in. */
#include "pidcomm.bpf.h"

/* one probe, two candidates of one kind: the first whose function the kernel has is chosen */
SEC("kprobe/swap_read_folio")
int BPF_KPROBE(swap_read_kprobe) { return pidcomm_count(); }

SEC("kprobe/swap_readpage")
int BPF_KPROBE(swap_read_kprobe2) { return pidcomm_count(); }
