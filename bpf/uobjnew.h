#ifndef BCCT_UOBJNEW_H
#define BCCT_UOBJNEW_H
#include "rt.h"

#define UOBJNEW_NAME_LEN 50             /* BCC's key name */

/* The cookie's bytes beyond rt.h's class pair: the size argument, the probe's index in the
 * language's table (its fixed name, when it has one, is user space's to print). */
enum { UOBJNEW_CK_SIZE = RT_CK_EXTRA, UOBJNEW_CK_INDEX };

struct uobjnew_key {
	unsigned long long size;        /* c: malloc's size; otherwise 0 */
	unsigned int index;
	char name[UOBJNEW_NAME_LEN];
};

struct uobjnew_val {
	unsigned long long total_size;
	unsigned long long num_allocs;
	unsigned long long zero_size_allocs;   /* of num_allocs, those whose size was 0 */
};
#endif
