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

/* ustat's columns (a USDT attachment's cookie in ustat). */
enum rt_stat_col { RT_STAT_THREAD, RT_STAT_METHOD, RT_STAT_OBJNEW, RT_STAT_CLOAD, RT_STAT_EXCP,
		   RT_STAT_GC, RT_STAT_MAX };

struct rt_method {
	char clazz[RT_STR_LEN];
	char method[RT_STR_LEN];
};

/* Python without USDT probes (ucalls, uflow): a uprobe on the interpreter's eval function reads
 * the function and file names from the frame it is given (its second argument). Where they are
 * depends on the interpreter's version: user space fills this from its table, keyed by the
 * version the binary states (core/family/rt.c). Strings are PyUnicode objects: a compact ASCII
 * one has its characters right after its header; another compact one keeps a cached UTF-8
 * copy (when made) behind a pointer. */
struct rt_py_layout {
	unsigned int frame_code;        /* _PyInterpreterFrame.f_code */
	unsigned int code_filename;     /* PyCodeObject.co_filename */
	unsigned int code_name;         /* PyCodeObject.co_name */
	unsigned int str_state;         /* PyASCIIObject.state, a 32-bit bit field */
	unsigned int str_compact_bit;   /* its bit numbers: compact, ascii */
	unsigned int str_ascii_bit;
	unsigned int ascii_data;        /* sizeof(PyASCIIObject) */
	unsigned int compact_utf8;      /* PyCompactUnicodeObject.utf8 */
};

#endif
