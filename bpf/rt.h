/* Language-runtime family: what the u* tools' BPF programs and user space share (core/family/rt.h
 * has the languages' probe tables). */
#ifndef BCCT_RT_H
#define BCCT_RT_H

/* BCC's MAX_STRING_LENGTH for class and method names. */
#define RT_STR_LEN 80

/* A USDT attachment's cookie tells the one program attached to many probes which arguments to
 * read: one byte each, argument numbers 1-based as BCC's bpf_usdt_readarg (0: none). A string
 * with a length argument (hotspot's) is read for that many bytes, the others up to their NUL. */
enum rt_cookie_byte { RT_CK_CLASS, RT_CK_CLASS_LEN, RT_CK_METHOD, RT_CK_METHOD_LEN, RT_CK_EXTRA,
		      RT_CK_EXTRA2 };
#define RT_COOKIE_SET(byte, v) ((unsigned long long)((v) & 0xff) << ((byte) * 8))
#define RT_COOKIE_GET(c, byte) ((unsigned)((c) >> ((byte) * 8)) & 0xff)

struct rt_method {
	char clazz[RT_STR_LEN];
	char method[RT_STR_LEN];
};

#endif
