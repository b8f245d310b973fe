/* Language-runtime family, BPF side: USDT arguments named by the attachment's cookie (rt.h). */
#ifndef BCCT_RT_BPF_H
#define BCCT_RT_BPF_H
#include <bpf/usdt.bpf.h>
#include "rt.h"

/* Argument n (1-based), 0 when n is 0 or unreadable. */
static __always_inline long rt_arg(struct pt_regs *ctx, unsigned int n)
{
	long v = 0;

	if (n)
		bpf_usdt_arg(ctx, n - 1, &v);
	return v;
}

/* The string whose pointer (and length) arguments the cookie names at byte `which`, into buf
 * (RT_STR_LEN bytes, zeroed by the caller so that hash keys compare whole). */
static __always_inline void rt_str(struct pt_regs *ctx, __u64 cookie, unsigned int which,
				   char *buf)
{
	const void *ptr = (const void *)rt_arg(ctx, RT_COOKIE_GET(cookie, which));
	unsigned int len_arg = RT_COOKIE_GET(cookie, which + 1);
	__u64 len;

	if (!ptr)
		return;
	if (!len_arg) {
		bpf_probe_read_user_str(buf, RT_STR_LEN, ptr);
		return;
	}
	/* hotspot: not NUL-terminated; at most RT_STR_LEN - 1 bytes, so a NUL stays */
	len = rt_arg(ctx, len_arg);
	if (len > RT_STR_LEN - 1)
		len = RT_STR_LEN - 1;
	bpf_probe_read_user(buf, len, ptr);
}

/* The class and method of a call probe. */
static __always_inline void rt_method_read(struct pt_regs *ctx, __u64 cookie, struct rt_method *m)
{
	rt_str(ctx, cookie, RT_CK_CLASS, m->clazz);
	rt_str(ctx, cookie, RT_CK_METHOD, m->method);
}
#endif
