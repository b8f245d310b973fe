#ifndef WQLAT_H
#define WQLAT_H
/* The kernel's WQ_NAME_LEN (BCC uses 24, the kernel 24 before 6.9 and 32 since). */
#define WQLAT_NAME_LEN 32

/* hists key: the workqueue's name with -W, else all zero (one histogram). */
struct wqlat_key {
	char name[WQLAT_NAME_LEN];
};
#endif
