/* The socket I/O object (bpf/sockio.bpf.c) of the book's socksize, socketio and sormem (BPF
 * Performance Tools ch. 10). Plain C types, shared with user space. */
#ifndef SOCKIO_H
#define SOCKIO_H

enum sockio_mode {
	SOCKIO_SOCKSIZE = 1,   /* log2 histograms of I/O sizes per (direction, comm) */
	SOCKIO_SOCKETIO,       /* count and bytes per (comm, pid, direction, protocol name) */
	SOCKIO_SORMEM,         /* histograms of rmem_alloc and rcvbuf; overflow events */
};

enum sockio_dir { SOCKIO_READ = 0, SOCKIO_WRITE = 1 };

/* socksize's histograms */
struct sockio_size_key {
	unsigned int dir;
	char comm[16];
};

/* socketio's counts */
struct sockio_io_key {
	char comm[16];
	char name[16];          /* the socket's protocol name: "TCP", "UDPv6", "UNIX" */
	unsigned int pid;
	unsigned int dir;
};
struct sockio_io_value {
	unsigned long long count;   /* first: core sorts by it */
	unsigned long long bytes;
};

/* sormem's histograms: key 0 the receive queue's memory, 1 its limit */
enum sockio_rmem { SOCKIO_RMEM_ALLOC = 0, SOCKIO_RMEM_LIMIT = 1 };

/* sormem's events: the two sock tracepoints */
enum sockio_event_kind { SOCKIO_RCVQUEUE_FULL = 1, SOCKIO_EXCEED_BUF_LIMIT };
struct sockio_event {
	unsigned long long ts_ns;
	unsigned int kind;
	int rmem_alloc;
	int rcvbuf;             /* rcvqueue_full */
	unsigned int truesize;  /* rcvqueue_full: the skb's size */
	long long allocated;    /* exceed_buf_limit: the protocol's pages allocated */
};
#endif
