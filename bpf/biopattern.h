#ifndef BIOPATTERN_H
#define BIOPATTERN_H

/* Per disk (key: kernel dev_t), as BCC's struct counter. */
struct biopattern_counter {
	unsigned long long last_sector;     /* where the disk's last completed I/O ended */
	unsigned long long bytes;           /* of the I/O classified */
	unsigned int sequential;
	unsigned int random;
};
#endif
