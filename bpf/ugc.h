#ifndef BCCT_UGC_H
#define BCCT_UGC_H
#include "rt.h"

/* The cookie's bytes (rt.h's encoding, ugc's layout): the two number arguments kept (at begin:
 * fields 0 and 1; at end: fields 2 and 3), two strings read at end (pointer and length
 * arguments each), the probe pair's index in the language's table. */
enum ugc_cookie_byte { UGC_CK_NUM1, UGC_CK_NUM2, UGC_CK_STR1, UGC_CK_STR1_LEN, UGC_CK_STR2,
		       UGC_CK_STR2_LEN, UGC_CK_INDEX };

struct ugc_event {
	unsigned long long ts;
	unsigned long long elapsed_ns;
	unsigned long long field[4];
	unsigned int index, pid;
	char str1[RT_STR_LEN];
	char str2[RT_STR_LEN];
};
#endif
