#ifndef SSLSNIFF_H
#define SSLSNIFF_H
/* The most plaintext one event carries (--max-buffer-size is at most this): the event is built
 * in a per-CPU array element, whose value the kernel limits to 32 KiB. */
#define SSLSNIFF_BUF_MAX 16384
#define SSLSNIFF_COMM_LEN 16

enum sslsniff_rw { SSLSNIFF_READ = 0, SSLSNIFF_WRITE = 1, SSLSNIFF_HANDSHAKE = 2 };

struct sslsniff_event {
	unsigned long long ts;
	unsigned long long delta_ns;     /* entry to return */
	unsigned int pid, tid, uid;
	unsigned int len;                /* bytes the call read or wrote (the handshake: its result) */
	unsigned int buf_size;           /* of them, the bytes in buf; 0: none could be read */
	int rw;                          /* enum sslsniff_rw */
	char comm[SSLSNIFF_COMM_LEN];
	unsigned char buf[SSLSNIFF_BUF_MAX];   /* only buf_size bytes are sent */
};
#define SSLSNIFF_EVENT_BASE ((unsigned long)&((struct sslsniff_event *)0)->buf)
#endif
