/* Network family, user space; see net.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "core/family/net.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/output.h"

const char *net_addr_str(int family, const void *addr, char *buf, size_t len)
{
	if ((family != AF_INET && family != AF_INET6) || !inet_ntop(family, addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

void net_tuple_addrs(const struct net_tuple *t, char saddr[NET_ADDR_STRLEN],
		     char daddr[NET_ADDR_STRLEN])
{
	net_addr_str(t->family, t->saddr, saddr, NET_ADDR_STRLEN);
	net_addr_str(t->family, t->daddr, daddr, NET_ADDR_STRLEN);
}

const char *net_endpoint_str(int family, const void *addr, unsigned int port, char *buf,
			     size_t len)
{
	char a[NET_ADDR_STRLEN];

	snprintf(buf, len, "%s:%u", net_addr_str(family, addr, a, sizeof(a)), port);
	return buf;
}

int net_ip_version(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 6 : 0;
}

int net_parse_ports(const struct bcct_list *list, unsigned short ports[NET_MAX_PORTS],
		    const char *what)
{
	memset(ports, 0, NET_MAX_PORTS * sizeof(*ports));
	if (list->n > NET_MAX_PORTS) {
		bcct_usage_err("too many values for %s: at most %d", what, NET_MAX_PORTS);
		return -1;
	}
	for (int i = 0; i < list->n; i++) {
		long v;

		/* 0 would end the list early on the BPF side, so it is refused with the rest. */
		if (bcct_parse_long(list->v[i], &v) || v < 1 || v > 65535) {
			bcct_usage_err("invalid %s '%s': must be a port between 1 and 65535", what,
				       list->v[i]);
			return -1;
		}
		ports[i] = v;
	}
	return 0;
}

int net_family_option(bool ipv4, bool ipv6)
{
	if (ipv4 && ipv6) {
		bcct_usage_err("-4/--ipv4 and -6/--ipv6 are mutually exclusive");
		return -1;
	}
	return ipv4 ? AF_INET : ipv6 ? AF_INET6 : 0;
}

int net_filter_parse(struct net_filter *f, const char *lopt, const char *dopt)
{
	f->family = net_family_option(f->ipv4, f->ipv6);
	if (f->family < 0)
		return -1;
	return net_parse_ports(&f->lports, f->lport_ids, lopt) ||
	       net_parse_ports(&f->dports, f->dport_ids, dopt) ? -1 : 0;
}

void net_out_endpoint(const char *addr_key, const char *port_key, const char *fmt, int family,
		      const void *addr, unsigned int port)
{
	char buf[NET_ENDPOINT_STRLEN], a[NET_ADDR_STRLEN];

	if (env.json) {
		out_str(addr_key, "", net_addr_str(family, addr, a, sizeof(a)));
		out_uint(port_key, "", port);
	} else {
		out_str(addr_key, fmt, net_endpoint_str(family, addr, port, buf, sizeof(buf)));
	}
}

void net_out_time_s(double seconds)
{
	if (env.json)
		out_float("time_s", "", seconds);
	else
		printf("%-9.3f", seconds);
}

/* include/net/tcp_states.h, in BCC's spelling (tcpstates' tcpstate2str, bcc.tcp.tcpstate). */
static const char *const tcp_states[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT",   [3] = "SYN_RECV",   [4] = "FIN_WAIT1",
	[5] = "FIN_WAIT2",   [6] = "TIME_WAIT",  [7] = "CLOSE",      [8] = "CLOSE_WAIT",
	[9] = "LAST_ACK",    [10] = "LISTEN",    [11] = "CLOSING",   [12] = "NEW_SYN_RECV",
};

const char *net_tcp_state_str(int state, char *buf, size_t len)
{
	if (state > 0 && state < (int)(sizeof(tcp_states) / sizeof(tcp_states[0])))
		return tcp_states[state];
	snprintf(buf, len, "%d", state);
	return buf;
}

/* include/net/tcp.h TCPHDR_*, bit i named by tcp_flags[i]. */
static const char *const tcp_flags[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };

const char *net_tcp_flags_str(unsigned int flags, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < sizeof(tcp_flags) / sizeof(tcp_flags[0]); i++) {
		if (!(flags & (1u << i)) || used >= len)
			continue;
		used += snprintf(buf + used, len - used, "%s%s", used ? "|" : "", tcp_flags[i]);
	}
	return buf;
}

/* Python's socket module's IPPROTO_* names (BCC's bindsnoop builds its table from them; for 0,
 * IPPROTO_IP and IPPROTO_HOPOPTS share the value and IP, later in its sorted exports, wins). */
const char *net_ipproto_name(int protocol)
{
	static const struct { int nr; const char *name; } names[] = {
		{ 0, "IP" }, { 1, "ICMP" }, { 2, "IGMP" }, { 4, "IPIP" }, { 6, "TCP" }, { 8, "EGP" },
		{ 12, "PUP" }, { 17, "UDP" }, { 22, "IDP" }, { 29, "TP" }, { 41, "IPV6" },
		{ 43, "ROUTING" }, { 44, "FRAGMENT" }, { 46, "RSVP" }, { 47, "GRE" }, { 50, "ESP" },
		{ 51, "AH" }, { 58, "ICMPV6" }, { 59, "NONE" }, { 60, "DSTOPTS" }, { 103, "PIM" },
		{ 132, "SCTP" }, { 136, "UDPLITE" }, { 255, "RAW" }, { 262, "MPTCP" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == protocol)
			return names[i].name;
	return "UNKNOWN";
}
