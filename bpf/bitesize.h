#ifndef BITESIZE_H
#define BITESIZE_H
/* One histogram of request sizes (log2 of Kbytes) per issuing process name. */
struct bitesize_key {
	char comm[16];
};
#endif
