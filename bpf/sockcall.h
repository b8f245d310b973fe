/* The socket-call object (bpf/sockcall.bpf.c) of the book's connect/accept tools (BPF
 * Performance Tools ch. 10): soconnect, soaccept, sofamily, soprotocol and udpconnect. One
 * object, configured per tool by SOCKCALL_MODE_*: each tool turns off the probes it does not
 * need. Plain C types, shared with user space. */
#ifndef SOCKCALL_H
#define SOCKCALL_H

enum sockcall_mode {
	SOCKCALL_SOCONNECT = 1,   /* connect(2) events with latency and result */
	SOCKCALL_SOACCEPT,        /* accept(2)/accept4(2) events with the peer and result */
	SOCKCALL_SOFAMILY,        /* counts: (call, comm, address family) */
	SOCKCALL_SOPROTOCOL,      /* counts: (comm, protocol, protocol's name) */
	SOCKCALL_UDPCONNECT,      /* events: connect of UDP sockets to an IP address */
};

enum sockcall_call { SOCKCALL_CONNECT = 1, SOCKCALL_ACCEPT };

struct sockcall_event {
	unsigned long long ts_ns;
	unsigned long long lat_ns;      /* soconnect: connect's duration */
	unsigned int pid;
	int ret;                        /* the syscall's result: >= 0, or -errno */
	unsigned char addr[16];         /* the sockaddr's address, network order */
	unsigned short family;          /* the sockaddr's family */
	unsigned short port;            /* host order */
	char comm[16];
};

struct sockcall_family_key {
	char comm[16];
	unsigned int call;              /* SOCKCALL_CONNECT or SOCKCALL_ACCEPT */
	unsigned int family;
};

struct sockcall_protocol_key {
	char comm[16];
	char name[16];                  /* the socket's struct proto name: "TCP", "UDPv6", "UNIX" */
	unsigned int protocol;          /* sk_protocol: IPPROTO_TCP ... */
};
#endif
