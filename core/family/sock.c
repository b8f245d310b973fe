/* The book's socket tools: see sock.h. */
#include <string.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/family/sock.h"
#include "core/family/net.h"
#include "core/output.h"
#include "sockcall.h"

void sock_programs_only(void *skel, const char *const *prefixes)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, ((struct bcct_skel_head *)skel)->obj) {
		const char *name = bpf_program__name(prog);
		bool keep = false;

		for (const char *const *p = prefixes; *p && !keep; p++)
			keep = !strncmp(name, *p, strlen(*p));
		bpf_program__set_autoload(prog, keep);
	}
}

const char *sock_family_name(int family)
{
	switch (family) {
	case 0: return "AF_UNSPEC";
	case 1: return "AF_UNIX";
	case 2: return "AF_INET";
	case 10: return "AF_INET6";
	default: return "";
	}
}

const char *sock_ipproto_name(int protocol)
{
	switch (protocol) {
	case 0: return "IPPROTO_IP";
	case 1: return "IPPROTO_ICMP";
	case 6: return "IPPROTO_TCP";
	case 17: return "IPPROTO_UDP";
	default: return "";
	}
}

SOCK_KPROBE_FALLBACK(io_falls_back, "sock_read_iter")

bool sock_io_falls_back(void)
{
	return io_falls_back();
}

void sock_call_out_peer(const struct sockcall_event *e)
{
	char addr[NET_ADDR_STRLEN];

	out_int("pid", "%-6lld", e->pid);
	out_str("comm", "%-16s", e->comm);
	out_int("family", "%-3lld", e->family);
	out_str("addr", "%-16s", net_addr_str(e->family, e->addr, addr, sizeof(addr)));
	out_int("port", "%-5lld", e->port);
}
