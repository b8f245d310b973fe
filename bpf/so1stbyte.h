#ifndef SO1STBYTE_H
#define SO1STBYTE_H

/* The histogram of one process: microseconds from connect() to the first read's return. */
struct so1stbyte_key {
	char comm[16];
	unsigned int pid;
};
#endif
