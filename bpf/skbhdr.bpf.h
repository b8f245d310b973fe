/* The IP and transport headers of a packet (struct sk_buff), for the book's packet tools
 * (tcpreset, superping, ipecn): the IPv4 or IPv6 header at skb->network_header, its addresses,
 * next protocol and traffic class (TOS), and where the transport header begins. Include after
 * net.bpf.h. */
#ifndef BCCT_SKBHDR_BPF_H
#define BCCT_SKBHDR_BPF_H

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD

struct skb_ip {
	unsigned char saddr[16], daddr[16];   /* network order; IPv4 in the first 4 bytes */
	u16 family;                           /* AF_INET or AF_INET6 */
	u8 protocol;                          /* IPPROTO_*: IPv4's protocol, IPv6's next header */
	u8 tos;                               /* IPv4's TOS, IPv6's traffic class (ECN: low 2 bits) */
	const unsigned char *l4;              /* the transport header (skb->transport_header) */
};

/* The headers of skb; false when it carries neither IPv4 nor IPv6. with_l4: the transport
 * header is set (received packets past IP, packets being sent); else it is taken to follow the
 * IP header (IPv4's ihl, IPv6's fixed header), as for a packet entering IP. */
static __always_inline bool skb_ip_headers(const struct sk_buff *skb, bool with_l4, struct skb_ip *p)
{
	const unsigned char *head = BPF_CORE_READ(skb, head);
	const unsigned char *nh = head + BPF_CORE_READ(skb, network_header);
	u16 l3 = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	unsigned char b[2];

	if (bpf_probe_read_kernel(b, sizeof(b), nh))
		return false;
	if (l3 == ETH_P_IP) {
		const struct iphdr *ip = (const struct iphdr *)nh;

		p->family = AF_INET;
		p->tos = b[1];
		bpf_probe_read_kernel(&p->protocol, 1, &ip->protocol);
		bpf_probe_read_kernel(p->saddr, 4, &ip->saddr);
		bpf_probe_read_kernel(p->daddr, 4, &ip->daddr);
		p->l4 = nh + (b[0] & 0xf) * 4;
	} else if (l3 == ETH_P_IPV6) {
		const struct ipv6hdr *ip6 = (const struct ipv6hdr *)nh;

		p->family = AF_INET6;
		p->tos = (b[0] & 0xf) << 4 | b[1] >> 4;   /* version:4, traffic class:8 */
		bpf_probe_read_kernel(&p->protocol, 1, &ip6->nexthdr);
		bpf_probe_read_kernel(p->saddr, 16, &ip6->saddr);
		bpf_probe_read_kernel(p->daddr, 16, &ip6->daddr);
		p->l4 = nh + sizeof(struct ipv6hdr);
	} else {
		return false;
	}
	if (with_l4)
		p->l4 = head + BPF_CORE_READ(skb, transport_header);
	return true;
}
#endif
