#ifndef WAKEUPTIME_H
#define WAKEUPTIME_H

/* Blocked time summed per (waker's kernel stack, waker, target): counts[key] = us. */
struct wakeuptime_key {
	int w_k_stack_id;
	char waker[16];
	char target[16];
};
#endif
