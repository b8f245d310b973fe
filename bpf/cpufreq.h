/* Types shared by bpf/cpufreq.bpf.c and applets/cpufreq.c. */
#ifndef BCCT_CPUFREQ_H
#define BCCT_CPUFREQ_H
#include "bcct.h"

#define CPUFREQ_MAX_CPUS 1024
/* libbpf-tools' linear histogram: 0 to 5000 MHz in 200 MHz steps, the last slot open-ended. */
#define CPUFREQ_STEP_MHZ 200
#define CPUFREQ_SLOTS 26

struct cpufreq_key {
	char comm[BCCT_TASK_COMM_LEN];
};
#endif
