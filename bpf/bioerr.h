#ifndef BIOERR_H
#define BIOERR_H
struct bioerr_event {
	unsigned long long ts;
	unsigned long long sector;
	unsigned int dev;           /* kernel dev_t */
	unsigned int nr_sector;
	int error;                  /* -errno */
	char rwbs[8];
};
#endif
