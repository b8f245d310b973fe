/* vfsstat: the counters, indices of the `stats` array (BCC's order of columns). */
#ifndef BCCT_VFSSTAT_H
#define BCCT_VFSSTAT_H
enum vfsstat_stat {
	VFSSTAT_READ,
	VFSSTAT_WRITE,
	VFSSTAT_FSYNC,
	VFSSTAT_OPEN,
	VFSSTAT_CREATE,
	VFSSTAT_MAX,
};
#endif
