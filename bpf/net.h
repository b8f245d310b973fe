/* Network family, types shared by BPF programs and user space: the socket tuple every network
 * tool (tcplife, tcpstates, tcpconnect, tcpaccept, tcpconnlat, tcptracer, tcpretrans, tcpdrop,
 * tcptop, solisten, bindsnoop, ...) reports. The kernel half that fills it is bpf/net.bpf.h; the
 * user-space half that parses port lists and prints addresses and TCP states is
 * core/family/net.h. Plain C types: this header is compiled against vmlinux.h and libc alike. */
#ifndef BCCT_NET_H
#define BCCT_NET_H

/* -L/-D/-P port lists: length of the 0-terminated .rodata arrays the BPF side scans. */
#define NET_MAX_PORTS 16

/* One end-to-end view of a socket. "s" is the local end, "d" the remote one. */
struct net_tuple {
	unsigned char saddr[16];        /* network byte order; IPv4 uses the first 4 bytes */
	unsigned char daddr[16];
	unsigned short family;          /* AF_INET or AF_INET6 */
	unsigned short sport;           /* host byte order */
	unsigned short dport;
	unsigned short pad;
	unsigned int netns;             /* network namespace inode, 0 unless the tool asked for it */
};

/* A flow counted per key in a hash map (tcpconnect -c, tcpretrans -c): the tuple without what
 * the count does not split on (tcpconnect's local port is 0). */
struct net_flow {
	unsigned char saddr[16], daddr[16];
	unsigned short family, lport, dport, pad;
};
#endif
