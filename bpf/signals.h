#ifndef SIGNALS_H
#define SIGNALS_H
/* signals' count key: the signal and the thread it was sent to (the tracepoint's pid, comm). */
struct signals_key {
	int sig;
	unsigned int pid;
	char comm[16];
};
#endif
