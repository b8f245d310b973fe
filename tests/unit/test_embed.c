/* core/embed.c and the compressed skeletons: the test skeleton (tests/bpf/attach_probe.bpf.c,
 * built through the same rule as the applets') gives back a BPF ELF object that libbpf opens,
 * decompressed once; hand-made zstd frames check the decompressor's contract, including
 * the failures (NULL, size 0, nothing cached). */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "bcct.h"                 /* struct bcct_filter, in the skeleton's .rodata */
#include "attach_probe.skel.h"
#include "core/embed.h"
#include "check.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* A zstd frame (RFC 8878) with one raw block: magic, a single-segment header with a one-byte
 * content size, a block header (last block, raw, n bytes), the bytes. No checksum. */
static size_t raw_frame(unsigned char *out, const char *text, size_t content_size)
{
	size_t n = strlen(text);
	unsigned block = 1 | 0 << 1 | (unsigned)n << 3;

	memcpy(out, "\x28\xb5\x2f\xfd", 4);
	out[4] = 0x20;                           /* Single_Segment_flag, FCS field of one byte */
	out[5] = (unsigned char)content_size;
	out[6] = block & 0xff;
	out[7] = block >> 8 & 0xff;
	out[8] = block >> 16 & 0xff;
	memcpy(out + 9, text, n);
	return 9 + n;
}

static void test_skeleton_object(void)
{
	size_t sz = 0, sz2 = 0;
	const unsigned char *elf = attach_probe_bpf__elf_bytes(&sz);
	const void *again = attach_probe_bpf__elf_bytes(&sz2);
	struct attach_probe_bpf *skel;
	struct bpf_object *obj;

	CHECK(elf && sz > sizeof(Elf64_Ehdr), "no object (%zu bytes)", sz);
	if (!elf || sz <= sizeof(Elf64_Ehdr))
		return;
	CHECK(!memcmp(elf, ELFMAG, SELFMAG), "not ELF");
	CHECK(((const Elf64_Ehdr *)elf)->e_machine == EM_BPF, "e_machine %u",
	      ((const Elf64_Ehdr *)elf)->e_machine);
	CHECK(again == elf && sz2 == sz, "second call decompressed again (%p %p)", again,
	      (const void *)elf);

	obj = bpf_object__open_mem(elf, sz, NULL);
	CHECK(obj != NULL, "libbpf cannot open the object: %d", -errno);
	if (obj) {
		CHECK(bpf_object__next_program(obj, NULL) != NULL, "object has no program");
		CHECK(bpf_object__btf(obj) != NULL, "object has no BTF");
		bpf_object__close(obj);
	}

	/* The skeleton's own open goes through the same bytes. */
	skel = attach_probe_bpf__open();
	CHECK(skel != NULL, "skeleton open failed: %d", -errno);
	if (skel) {
		CHECK(skel->skeleton->prog_cnt > 0 && *skel->skeleton->progs[0].prog != NULL,
		      "skeleton opened without its programs");
		attach_probe_bpf__destroy(skel);
	}
}

static void test_frames(void)
{
	unsigned char z[64];
	size_t zlen, sz = 1;
	const void *p;

	struct bcct_embedded ok = { 0 };
	zlen = raw_frame(z, "hello, bpf", 10);
	p = bcct_embedded_object(&ok, z, zlen, &sz);
	CHECK(p && sz == 10 && !memcmp(p, "hello, bpf", 10), "raw frame: %zu bytes", sz);
	CHECK(bcct_embedded_object(&ok, z, 0, &sz) == p && sz == 10, "not taken from the cache");
	free(ok.data);

	struct bcct_embedded wrong_size = { 0 };
	zlen = raw_frame(z, "hello, bpf", 11);
	sz = 1;
	CHECK(!bcct_embedded_object(&wrong_size, z, zlen, &sz) && sz == 0 && !wrong_size.data,
	      "content size 11 for 10 bytes accepted");

	struct bcct_embedded truncated = { 0 };
	zlen = raw_frame(z, "hello, bpf", 10);
	sz = 1;
	CHECK(!bcct_embedded_object(&truncated, z, zlen - 3, &sz) && sz == 0 && !truncated.data,
	      "truncated frame accepted");

	struct bcct_embedded not_zstd = { 0 };
	sz = 1;
	CHECK(!bcct_embedded_object(&not_zstd, "\x7f" "ELF\2\1\1\0\0\0\0\0", 12, &sz) && sz == 0,
	      "plain bytes accepted as a frame");
}

int main(void)
{
	libbpf_set_print(NULL);
	test_skeleton_object();
	test_frames();
	return check_summary("embed");
}
