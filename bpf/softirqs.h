#ifndef SOFTIRQS_H
#define SOFTIRQS_H
/* Softirq vectors as the kernel numbers them (include/linux/interrupt.h). */
#define SOFTIRQS_NR_VECS 10
#endif
