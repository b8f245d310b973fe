#ifndef BASHREADLINE_H
#define BASHREADLINE_H
#define BASHREADLINE_LEN 80     /* BCC's str[80] */

struct bashreadline_event {
	unsigned long long ts;
	unsigned int pid;
	char str[BASHREADLINE_LEN];
};
#endif
