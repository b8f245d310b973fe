#ifndef SOFTIRQSLOWER_H
#define SOFTIRQSLOWER_H
#include "softirqs.h"

/* BCC's stages: raise to entry (waiting after the hard IRQ raised it), entry to exit (running). */
enum { SOFTIRQSLOWER_RAISE_TO_ENTRY = 1, SOFTIRQSLOWER_RUNTIME = 2 };

struct softirqslower_event {
	unsigned long long ts;          /* bpf_ktime_get_ns() */
	unsigned long long delta_ns;
	unsigned int stage;
	unsigned int vec;
	unsigned int cpu;
	char comm[16];                  /* the task the softirq ran over */
};
#endif
