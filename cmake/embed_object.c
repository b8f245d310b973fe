/* embed_object: rewrite a bpftool-generated skeleton so that it embeds its BPF object
 * zstd-compressed, decompressed at run time by core/embed.c. A build tool (runs on the build
 * host), used by the skeleton rule in CMakeLists.txt:
 *
 *   embed_object SKEL_IN OBJECT NAME SKEL_OUT
 *
 * NAME is the skeleton name (execsnoop_bpf). The body of NAME__elf_bytes() -- a string literal
 * holding the object -- becomes a compressed array and a call to bcct_embedded_object(); the
 * function keeps its signature, so callers (the skeleton itself, core/run.c's open, `bcct features`)
 * are unchanged. The literal is decoded and compared with OBJECT first: if bpftool's output
 * ever changes shape, the build fails here instead of embedding the wrong bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define ZSTD_STATIC_LINKING_ONLY   /* ZSTD_c_literalCompressionMode */
#include <zstd.h>

/* Objects are small (< 200 KB) and compressed once per build: the strongest level that is
 * still quick (22 gains < 0.5 %). Literals are stored raw, without Huffman coding: on the
 * 22 objects of 25 applets that costs 0.5 % in size and saves 14 % of decompression time, which
 * every applet pays at start-up. */
#define LEVEL 19

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "embed_object: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot read", path);
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		die("cannot read", path);
	buf[n] = 0;
	fclose(f);
	*len = n;
	return buf;
}

/* Decode bpftool's literal: \xNN and \0 escapes with backslash-newline continuations, as its
 * gen skeleton prints them. Returns the number of bytes, or -1 if anything else appears. */
static long decode_literal(const char *s, const char *end, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (s < end) {
		unsigned v;

		if (s[0] != '\\' || s + 1 >= end)
			return -1;
		if (s[1] == '\n') {
			s += 2;
			continue;
		}
		if (s[1] == '0') {
			v = 0;
			s += 2;
		} else if (s[1] == 'x' && s + 3 < end && sscanf(s + 2, "%2x", &v) == 1) {
			s += 4;
		} else {
			return -1;
		}
		if (n == cap)
			return -1;
		out[n++] = v;
	}
	return n;
}

int main(int argc, char **argv)
{
	char head[256], *skel, *def, *body, *lit, *lit_end, *tail;
	unsigned char *obj, *decoded, *z;
	size_t skel_len, obj_len, zcap, zlen;
	ZSTD_CCtx *cctx;
	FILE *out;

	if (argc != 5)
		die("usage: embed_object SKEL_IN OBJECT NAME SKEL_OUT", NULL);
	skel = slurp(argv[1], &skel_len);
	obj = (unsigned char *)slurp(argv[2], &obj_len);

	/* The definition, not the forward declaration: the header line followed by its brace. */
	snprintf(head, sizeof(head), "static inline const void *%s__elf_bytes(size_t *sz)\n{\n",
		 argv[3]);
	def = strstr(skel, head);
	if (!def)
		die("no definition of __elf_bytes in", argv[1]);
	body = def + strlen(head);
	lit = strstr(body, "= \"\\\n");
	lit_end = lit ? strstr(lit, "\";\n") : NULL;
	tail = lit_end ? strstr(lit_end, "\treturn (const void *)data;\n}\n") : NULL;
	if (!tail || !strstr(lit_end, "*sz = sizeof(data) - 1;"))
		die("unexpected __elf_bytes body in", argv[1]);
	lit += 3;                              /* past '= "', at the first continuation */
	tail += strlen("\treturn (const void *)data;\n}\n");

	decoded = malloc(obj_len + 1);
	if (!decoded || decode_literal(lit, lit_end, decoded, obj_len + 1) != (long)obj_len ||
	    memcmp(decoded, obj, obj_len))
		die("the embedded bytes are not the object", argv[2]);

	zcap = ZSTD_compressBound(obj_len);
	z = malloc(zcap);
	cctx = ZSTD_createCCtx();
	if (!z || !cctx || ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_literalCompressionMode, ZSTD_ps_disable)) ||
	    ZSTD_isError(zlen = ZSTD_compress2(cctx, z, zcap, obj, obj_len)))
		die("compression failed for", argv[2]);

	out = fopen(argv[4], "w");
	if (!out)
		die("cannot write", argv[4]);
	fwrite(skel, 1, def - skel, out);
	fprintf(out, "#include \"core/embed.h\"\n\n%s", head);
	fprintf(out, "\t/* %zu bytes of ELF, zstd -%d, raw literals (cmake/embed_object.c) */\n",
		obj_len, LEVEL);
	fprintf(out, "\tstatic const unsigned char zstd_frame[%zu] = {", zlen);
	for (size_t i = 0; i < zlen; i++)
		fprintf(out, "%s0x%02x,", i % 16 ? " " : "\n\t\t", z[i]);
	fprintf(out, "\n\t};\n\tstatic struct bcct_embedded object;\n\n"
		     "\treturn bcct_embedded_object(&object, zstd_frame, sizeof(zstd_frame), sz);\n}\n");
	fwrite(tail, 1, skel_len - (tail - skel), out);
	if (fclose(out))
		die("cannot write", argv[4]);
	return 0;
}
