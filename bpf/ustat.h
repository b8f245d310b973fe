#ifndef BCCT_USTAT_H
#define BCCT_USTAT_H

/* A process's count of one of ustat's columns (enum rt_stat_col, the attachment's cookie). */
struct ustat_key {
	unsigned int pid;
	unsigned int col;
};
#endif
