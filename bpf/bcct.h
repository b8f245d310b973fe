/* Types shared by every BPF program and user space. */
#ifndef BCCT_SHARED_H
#define BCCT_SHARED_H

#define BCCT_TASK_COMM_LEN 16
#define BCCT_MAX_SLOTS 64       /* log2 histogram slots, as BCC (values up to 2^63) */

/* A log2 or linear histogram value in a BPF map; core/hist_map.c prints maps of these. */
struct bcct_hist {
	unsigned int slots[BCCT_MAX_SLOTS];
};

/* A histogram's key for the tools that print one per kernel stack and process (the book's
 * @[kstack, comm] = hist(...): mlock, mheld); core/stackhists.h describes it by default. */
struct bcct_kstack_key {
	int kernel_stack_id;
	unsigned int pid;
	char comm[BCCT_TASK_COMM_LEN];
};

/* Sum and count of every value added to the histograms, for BCC's -e "avg = ..." line
 * (bpf/hist_ext.bpf.h fills it, hist_print_ext prints it). */
struct bcct_hist_ext {
	unsigned long long total;
	unsigned long long count;
};

/* The in-kernel filter, one .rodata variable in every program, filled by core. */
struct bcct_filter {
	unsigned int pid;       /* tgid; 0 = any */
	unsigned int tid;       /* 0 = any */
	unsigned int uid;
	unsigned char has_uid;
	unsigned char has_comm;
	unsigned char has_cgroup;
	unsigned char use_perfbuf;   /* events go through a perf buffer (no ring buffer, or forced) */
	unsigned char has_cgroupmap; /* --cgroupmap: cgroup id must be a key of cgroupmap_filter */
	unsigned char has_mntnsmap;  /* --mntnsmap: mount ns inum must be a key of mntnsmap_filter */
	char comm[BCCT_TASK_COMM_LEN];
	unsigned long long cgroup_id;   /* --cgroup's id (its directory's inode), for bcct_filter_of */
	/* --mntnsmap: byte offsets of task_struct.nsproxy, nsproxy.mnt_ns and mnt_namespace.ns.inum
	 * in the running kernel, found by core in its BTF (so no object carries CO-RE
	 * relocations, and their start-up cost, for a filter most runs do not use). */
	unsigned int mntns_off[3];
};
#endif
