/* Types shared by bpf/durhist.bpf.c and its applets (workq, smpcalls, kvmexits). */
#ifndef BCCT_DURHIST_H
#define BCCT_DURHIST_H

/* What a histogram is kept for: a kernel function's address (workq, smpcalls), or an exit
 * reason with the instruction set it belongs to (kvmexits: 1 VMX, 2 SVM). */
struct durhist_key {
	unsigned long long what;
	unsigned int isa;
	unsigned int pad;
};
#endif
