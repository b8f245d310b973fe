#ifndef HARDIRQS_H
#define HARDIRQS_H
#define HARDIRQS_NAME_LEN 32     /* irqaction->name, as BCC keys it */
#define HARDIRQS_MAX_ENTRIES 256

struct hardirqs_key {
	char name[HARDIRQS_NAME_LEN];
};
#endif
