#ifndef SUPERPING_H
#define SUPERPING_H

/* An echo request sent, or its reply received, by (family, identifier, sequence). */
struct superping_key {
	unsigned short family;          /* AF_INET or AF_INET6 */
	unsigned short id, seq;         /* host order */
	unsigned short pad;
};

struct superping_event {
	unsigned long long ts_ns;
	unsigned long long lat_ns;      /* request sent to reply received */
	struct superping_key k;
};
#endif
