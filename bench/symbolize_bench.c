/* The bcct side of bench/symbolize, linked with the symbolize sources.
 *
 *   symbolize_bench addrs COUNT SEED FILE   prints COUNT pseudo-random addresses (hex, one a
 *                                           line) inside FILE's .text, repeatable by SEED
 *   symbolize_bench run FILE LIST OUT       symbolizes every address of LIST as
 *                                           `addr2line -f -e FILE` does (function name line,
 *                                           then file:line, "??" / "??:0" when unknown) into OUT;
 *                                           prints "open_ns lookup_ns names lines debug-file"
 *
 * Names come from the ELF symbol tables sym_elf_open gathers (the file's, or its debug file's
 * found by debuglink/build-id, or MiniDebugInfo); lines from the DWARF line table of the file,
 * else of that debug file. Everything from opening the file to the last line written is timed. */
#include "symbolize/dwarf_line.h"
#include "symbolize/symbolize.h"
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: the same list on every machine for a seed. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static int gen_addrs(long count, uint64_t seed, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t shstrndx;
	uint64_t start = 0, size = 0;
	if (elf && elf_getshdrstrndx(elf, &shstrndx) == 0) {
		Elf_Scn *scn = NULL;
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;
			if (gelf_getshdr(scn, &sh) && (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
			    strcmp(name, ".text") == 0) {
				start = sh.sh_addr;
				size = sh.sh_size;
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	if (!size) {
		fprintf(stderr, "%s: no .text\n", path);
		return 1;
	}
	uint64_t s = seed ? seed : 1;
	for (long i = 0; i < count; i++)
		printf("0x%" PRIx64 "\n", start + rnd(&s) % size);
	return 0;
}

/* The whole list in one read, parsed by hand: the driver's own overhead stays small beside
 * what it measures. */
static uint64_t *read_list(const char *list, size_t *count)
{
	FILE *in = fopen(list, "r");
	if (!in)
		return NULL;
	size_t len = 0, cap = 1 << 20;
	char *text = malloc(cap + 1);
	size_t got;
	while (text && (got = fread(text + len, 1, cap - len, in)) > 0) {
		len += got;
		if (len == cap) {
			char *bigger = realloc(text, 2 * cap + 1);
			if (!bigger) {
				free(text);
				text = NULL;
			}
			text = bigger;
			cap *= 2;
		}
	}
	fclose(in);
	if (!text)
		return NULL;
	text[len] = '\0';
	size_t n = 0;
	uint64_t *addrs = malloc((len / 2 + 1) * sizeof(*addrs));
	for (char *p = text; addrs && *p;) {
		char *end;
		uint64_t a = strtoull(p, &end, 16);
		if (end == p) {
			p++;
			continue;
		}
		addrs[n++] = a;
		p = end;
	}
	free(text);
	*count = n;
	return addrs;
}

static char *put_str(char *w, const char *s)
{
	size_t n = strlen(s);
	memcpy(w, s, n);
	return w + n;
}

static char *put_uint(char *w, unsigned v)
{
	char tmp[12];
	int k = 0;
	do
		tmp[k++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (k)
		*w++ = tmp[--k];
	return w;
}

static int run(const char *path, const char *list, const char *outpath)
{
	size_t n = 0;
	uint64_t *addrs = read_list(list, &n);
	FILE *out = fopen(outpath, "w");
	if (!addrs || !out) {
		perror(addrs ? outpath : list);
		return 1;
	}
	static char obuf[1 << 16];
	size_t used = 0;

	uint64_t t0 = now_ns();
	struct sym_elf *e = sym_elf_open(path);
	struct sym_lines *l = sym_lines_open(path);
	const char *dbg = e ? sym_elf_debug_file(e) : NULL;
	if (!l && dbg)
		l = sym_lines_open(dbg);
	uint64_t t1 = now_ns();
	size_t names = 0, lines = 0;
	for (size_t i = 0; i < n; i++) {
		struct bcct_sym s;
		const char *file;
		unsigned line;
		/* Room for one record: a name and a path are each bounded by what we cut them to. */
		if (used > sizeof(obuf) - 8192) {
			fwrite(obuf, 1, used, out);
			used = 0;
		}
		char *w = obuf + used;
		const char *name = e && sym_elf_lookup(e, addrs[i], &s) && s.name ? s.name : NULL;
		if (name && strnlen(name, 4000) < 4000) {
			w = put_str(w, name);
			names++;
		} else {
			w = put_str(w, "??");
		}
		*w++ = '\n';
		if (l && sym_lines_lookup(l, addrs[i], &file, &line) && strnlen(file, 4000) < 4000) {
			w = put_str(w, file);
			*w++ = ':';
			w = put_uint(w, line);
			lines++;
		} else {
			w = put_str(w, "??:0");
		}
		*w++ = '\n';
		used = (size_t)(w - obuf);
	}
	fwrite(obuf, 1, used, out);
	fflush(out);
	uint64_t t2 = now_ns();
	printf("%" PRIu64 " %" PRIu64 " %zu %zu %s\n", t1 - t0, t2 - t1, names, lines, dbg ? dbg : "-");
	fclose(out);
	sym_lines_close(l);
	if (e)
		sym_elf_close(e);
	free(addrs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "addrs") == 0)
		return gen_addrs(atol(argv[2]), strtoull(argv[3], NULL, 0), argv[4]);
	if (argc == 5 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: %s addrs COUNT SEED FILE | run FILE LIST OUT\n", argv[0]);
	return 2;
}
