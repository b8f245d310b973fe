#ifndef TCPWIN_H
#define TCPWIN_H

/* One established-state TCP receive: the socket's send window parameters. */
struct tcpwin_event {
	unsigned long long ts_ns;
	unsigned long long sock;        /* the struct sock's address, an identity */
	unsigned int snd_cwnd, snd_ssthresh;
	int sk_sndbuf, sk_wmem_queued;
};
#endif
