#ifndef BINDSNOOP_H
#define BINDSNOOP_H
#include "net.h"

/* BCC's OPTS column, one bit per letter of "FTNRr". */
#define BINDSNOOP_OPT_FREEBIND     0x01   /* IP_FREEBIND */
#define BINDSNOOP_OPT_TRANSPARENT  0x02   /* IP_TRANSPARENT */
#define BINDSNOOP_OPT_NO_PORT      0x04   /* IP_BIND_ADDRESS_NO_PORT */
#define BINDSNOOP_OPT_REUSEADDR    0x08   /* SO_REUSEADDR */
#define BINDSNOOP_OPT_REUSEPORT    0x10   /* SO_REUSEPORT */

struct bindsnoop_event {
	unsigned long long ts_ns;
	unsigned int pid, uid;
	int ret;                       /* bind's result: 0 or -errno */
	unsigned int bound_dev_if;     /* SO_BINDTODEVICE's interface index */
	unsigned char addr[16];        /* the local address bound, network order */
	unsigned short family, port;   /* port in host order */
	unsigned char opts;            /* BINDSNOOP_OPT_* */
	unsigned char protocol;        /* IPPROTO_* */
	char comm[16];
};

/* --count: binds per local address and port. */
struct bindsnoop_key {
	unsigned char addr[16];
	unsigned short family, port;
};
#endif
