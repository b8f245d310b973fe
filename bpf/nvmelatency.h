/* nvmelatency: histograms of NVMe command latency, one per disk and I/O opcode. */
#ifndef BCCT_NVMELATENCY_H
#define BCCT_NVMELATENCY_H

#define NVMELATENCY_DISK_LEN 32     /* DISK_NAME_LEN */
#define NVMELATENCY_OPCODE_UNKNOWN 0x100   /* the command was not seen */

struct nvmelatency_key {
	char disk[NVMELATENCY_DISK_LEN];
	unsigned int opcode;        /* nvme_cmd_* (include/linux/nvme.h) */
};
#endif
