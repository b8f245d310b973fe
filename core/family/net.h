/* Network family, user space: what every network tool prints and parses the same way.
 *   - addresses as BCC prints them: inet_ntop of the tuple's bytes (IPv4-mapped IPv6 addresses
 *     print as "::ffff:a.b.c.d", as in BCC); the column widths stay in each tool's format
 *     strings, since BCC's tools disagree (tcplife/tcpstates %-15s or -w %-26s, tcpconnect and
 *     tcpaccept %-16s, solisten and bindsnoop -w %-39s, tcpretrans/tcpdrop "addr:port" %-20s);
 *   - -L/-D/-P port lists (comma-separated, 1..65535, at most NET_MAX_PORTS) into the 0-terminated
 *     arrays bpf/net.bpf.h's net_port_wanted() scans, with one-line usage errors;
 *   - -4/-6 (NET_OPT_FAMILY, net_family_option);
 *   - TCP state names as tcpstates, tcpdrop and tcpretrans print them, and TCP flag sets as
 *     tcpdrop prints them.
 * Tools: tcplife, tcpstates, tcpconnect, tcpaccept, tcpconnlat, tcpretrans, tcpdrop, tcptop,
 * tcptracer, tcprtt, tcpsynbl, tcpsubnet, tcpcong, solisten, bindsnoop. The shared event type is
 * struct net_tuple (bpf/net.h). */
#ifndef BCCT_FAMILY_NET_H
#define BCCT_FAMILY_NET_H
#include <stdbool.h>
#include <stddef.h>
#include "bpf/net.h"
#include "core/opts.h"

/* Room for any address net_addr_str() prints (INET6_ADDRSTRLEN). */
#define NET_ADDR_STRLEN 46
/* Room for "[address]:65535". */
#define NET_ENDPOINT_STRLEN (NET_ADDR_STRLEN + 8)

/* BCC's -4/-6 pair, same letters and help in every TCP tool. */
#define NET_OPT_FAMILY(ipv4, ipv6)                                          \
	OPT_FLAG_('4', "ipv4", ipv4, "trace IPv4 family only"),            \
	OPT_FLAG_('6', "ipv6", ipv6, "trace IPv6 family only")

/* addr (network order; 4 bytes for AF_INET, 16 for AF_INET6) as inet_ntop prints it, into buf;
 * "?" for another family. Returns buf. */
const char *net_addr_str(int family, const void *addr, char *buf, size_t len);
/* Both addresses of a tuple. */
void net_tuple_addrs(const struct net_tuple *t, char saddr[NET_ADDR_STRLEN],
		     char daddr[NET_ADDR_STRLEN]);
/* "addr:port", as tcpretrans, tcpdrop and tcptop print an endpoint (IPv6 unbracketed, as BCC).
 * Returns buf. */
const char *net_endpoint_str(int family, const void *addr, unsigned int port, char *buf,
			     size_t len);
/* An endpoint as tcpretrans, tcpdrop and tcptop print it: one "addr:port" column in the text
 * (printed with fmt, e.g. "%-20s"), two keys in JSON (addr_key a string, port_key an int). Call
 * between out_begin() and out_end(). */
void net_out_endpoint(const char *addr_key, const char *port_key, const char *fmt, int family,
		      const void *addr, unsigned int port);
/* BCC's IP column: 4 for AF_INET, 6 for AF_INET6, 0 otherwise. */
int net_ip_version(int family);

/* A port list option into ports[NET_MAX_PORTS], 0-terminated (all zero for an empty list).
 * what names the option in errors ("-L/--localport"). 0, or -1 after a one-line usage error. */
int net_parse_ports(const struct bcct_list *list, unsigned short ports[NET_MAX_PORTS],
		    const char *what);
/* -4/-6 into the family the BPF side filters on: AF_INET, AF_INET6, or 0 for both; -1 after a
 * one-line usage error when both are given (argparse's mutually exclusive group in BCC). */
int net_family_option(bool ipv4, bool ipv6);

/* What the TCP tools filter on, as their options give it: -4/-6 (NET_OPT_FAMILY(&f.ipv4,
 * &f.ipv6)) and the local and remote port lists (-L/-D, -P), checked and converted by
 * net_filter_parse() into what the BPF side's .rodata takes. */
struct net_filter {
	bool ipv4, ipv6;
	int family;                                     /* AF_INET, AF_INET6, 0 for both */
	struct bcct_list lports, dports;
	unsigned short lport_ids[NET_MAX_PORTS];        /* 0-terminated, for net_port_wanted() */
	unsigned short dport_ids[NET_MAX_PORTS];
};
/* lopt/dopt name the port options in errors ("-L/--localport"). 0, or -1 after a one-line usage
 * error. */
int net_filter_parse(struct net_filter *f, const char *lopt, const char *dopt);

/* BCC's TIME(s) column of tcpconnect, tcpaccept and tcpconnlat, seconds since the first event:
 * "%-9.3f" with no space after it in the text (BCC prints it apart, so it runs into the next
 * column), `time_s` in JSON. Call between out_begin() and the first column. */
void net_out_time_s(double seconds);
/* An IP protocol number as BCC's bindsnoop names it ("TCP", "UDP", "SCTP"; "UNKNOWN"). */
const char *net_ipproto_name(int protocol);

/* A TCP state (include/net/tcp_states.h) as BCC names it: "ESTABLISHED", "SYN_SENT", ...,
 * "NEW_SYN_RECV"; an unknown state as its number, into buf. Returns the name or buf. */
const char *net_tcp_state_str(int state, char *buf, size_t len);
/* TCP header flags as tcpdrop prints them: "FIN|SYN|RST|PSH|ACK|URG|ECE|CWR" order, '|'
 * between, "" for none. Returns buf. */
const char *net_tcp_flags_str(unsigned int flags, char *buf, size_t len);
#endif
