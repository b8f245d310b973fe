/* Source lines (symbolize/dwarf_line.c) and demangling (symbolize/demangle.c) against the
 * references a user would reach for: fixtures compiled here (gcc/g++ with DWARF 5 and 4, -O0 and
 * -O2, clang when present, compressed debug sections, Rust with both manglings when rustc is
 * present), looked up at the start, middle and last byte of every function nm lists, compared
 * with `addr2line -e FILE` fed the same addresses in one batch; names compared with `c++filt`.
 *
 * binutils 2.40's addr2line starts every DWARF 5 line sequence in file 0 where the standard
 * (and elfutils, LLVM) say file 1, so it names the wrong file for code before the first
 * DW_LNS_set_file of a sequence (template instances, inline functions from headers). Where
 * addr2line disagrees, llvm-addr2line or eu-addr2line (the first present) decides; without
 * either, a disagreement on the file name alone with the same line is counted as that quirk.
 *
 * Needs gcc, nm, addr2line, c++filt, objcopy, readelf (binutils). g++, clang and rustc are
 * optional (their fixtures are skipped with a note).
 * Prints "symbolize_lines: N passed, M failed"; exits 1 on any failure. */
#include "symbolize/demangle.h"
#include "symbolize/dwarf_line.h"
#include <ctype.h>
#include <inttypes.h>
#include <libelf.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
static int quirks;


static char dir[] = "/tmp/bcct-linetest.XXXXXX";

/* --- Shell helpers ------------------------------------------------------------------------- */

static bool sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd) == 0;
}

static bool have(const char *tool)
{
	return sh("command -v %s >/dev/null 2>&1", tool);
}

struct lines {
	char **v;
	size_t n;
};

/* The output lines of a shell command, newline stripped. */
static struct lines capture(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	struct lines out = {0};
	FILE *f = popen(cmd, "r");
	if (!f)
		return out;
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (out.n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			out.v = realloc(out.v, alloc * sizeof(*out.v));
		}
		out.v[out.n++] = strdup(line);
	}
	free(line);
	pclose(f);
	return out;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct lines){0};
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* --- Fixtures ------------------------------------------------------------------------------ */

/* The header's inline function comes first in .text at -O0: code before any set_file. */
static const char FX_H[] =
	"static inline int fx_inline(int a, int b)\n"  /* line 1 */
	"{\n"
	"\treturn a * 3 + b;\n"
	"}\n";

static const char FX_C[] =
	"#include <stdio.h>\n"                                           /* 1 */
	"#include \"fx.h\"\n"                                             /* 2 */
	"__attribute__((noinline)) static int fx_helper(int x)\n"        /* 3 */
	"{\n"                                                            /* 4 */
	"\tint s = 0;\n"                                                 /* 5 */
	"\tfor (int i = 0; i < x; i++)\n"                                /* 6 */
	"\t\ts += i * i;\n"                                              /* 7 */
	"\treturn s;\n"                                                  /* 8 */
	"}\n"                                                            /* 9 */
	"__attribute__((noinline)) int fx_alpha(int x)\n"                /* 10 */
	"{\n"                                                            /* 11 */
	"\treturn fx_helper(x) + fx_inline(x, 2);\n"                     /* 12 */
	"}\n"                                                            /* 13 */
	"int main(int argc, char **argv)\n"                              /* 14 */
	"{\n"                                                            /* 15 */
	"\tprintf(\"%d\\n\", fx_alpha(argc));\n"                         /* 16 */
	"\treturn 0;\n"                                                  /* 17 */
	"}\n";
#define FX_ALPHA_LINE 11 /* the opening brace: where -O0 code for fx_alpha starts */

/* A second unit in a subdirectory: relative directory entries, several compile units. */
static const char FX_SUB_C[] =
	"__attribute__((noinline)) int fx_sub(int x)\n"
	"{\n"
	"\treturn x * 7 + 1;\n"
	"}\n";

static const char CX_CPP[] =
	"#include <cstdio>\n"
	"#include <map>\n"
	"#include <string>\n"
	"#include <vector>\n"
	"namespace outer { namespace inner {\n"
	"template <typename T> struct Box { T v; __attribute__((noinline)) T get() const { return v; } };\n"
	"template <typename T> __attribute__((noinline)) T twice(const T &x) { return x + x; }\n"
	"class Widget {\n"
	"public:\n"
	"\t__attribute__((noinline)) int spin(int n);\n"
	"\tvirtual ~Widget() {}\n"
	"};\n"
	"int Widget::spin(int n) { std::vector<int> v; for (int i = 0; i < n; i++) v.push_back(i); return (int)v.size(); }\n"
	"} }\n"
	"int main(int argc, char **)\n"
	"{\n"
	"\touter::inner::Box<long> b{argc};\n"
	"\touter::inner::Widget w;\n"
	"\tstd::map<std::string, int> m;\n"
	"\tm[\"a\"] = argc;\n"
	"\tstd::printf(\"%ld %d %s %d\\n\", b.get(), outer::inner::twice(argc),\n"
	"\t\t    outer::inner::twice(std::string(\"x\")).c_str(), w.spin(argc) + m[\"a\"]);\n"
	"}\n";

static const char RS[] =
	"pub mod module {\n"
	"    pub struct Thing { pub v: u64 }\n"
	"    impl Thing {\n"
	"        #[inline(never)] pub fn method(&self, x: u64) -> u64 { self.v.wrapping_mul(x) ^ 7 }\n"
	"    }\n"
	"    #[inline(never)] pub fn function(x: u64) -> u64 { x.wrapping_mul(31) + 1 }\n"
	"    #[inline(never)] pub fn generic<T: Into<u64>>(x: T) -> u64 { x.into() + 3 }\n"
	"}\n"
	"fn main() {\n"
	"    let n = std::env::args().count() as u64;\n"
	"    let t = module::Thing { v: n };\n"
	"    println!(\"{}\", module::function(n) + t.method(n) + module::generic(n as u32));\n"
	"}\n";

static bool write_file(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return fclose(f) == 0;
}

/* --- Line comparison against addr2line ----------------------------------------------------- */

struct ref {
	char file[1024];
	unsigned line; /* 0: "?" */
	bool none;     /* "??" */
};

static void parse_ref(const char *s, struct ref *r)
{
	*r = (struct ref){0};
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", s);
	char *disc = strstr(buf, " (discriminator");
	if (disc)
		*disc = '\0';
	char *colon = strrchr(buf, ':');
	if (!colon) {
		r->none = true;
		return;
	}
	*colon = '\0';
	snprintf(r->file, sizeof(r->file), "%s", buf);
	r->line = (unsigned)strtoul(colon + 1, NULL, 10); /* "?" gives 0 */
	/* llvm-addr2line and eu-addr2line may add ":column" */
	char *c2 = strrchr(r->file, ':');
	if (c2 && isdigit((unsigned char)c2[1]) && strspn(c2 + 1, "0123456789") == strlen(c2 + 1)) {
		r->line = (unsigned)strtoul(c2 + 1, NULL, 10);
		*c2 = '\0';
	}
	r->none = strcmp(r->file, "??") == 0;
}

static bool agrees(const struct ref *r, bool found, const char *file, unsigned line)
{
	if (r->none)
		return !found || line == 0;
	if (r->line == 0) /* a line-0 row, or a file name from the symbol table only */
		return !found || line == 0;
	return found && line == r->line && strcmp(file, r->file) == 0;
}

/* The second opinion for addr2line's disagreements. */
static const char *tiebreaker(void)
{
	static const char *const tools[] = {"llvm-addr2line", "llvm-addr2line-14", "eu-addr2line"};
	static int chosen = -2;
	if (chosen == -2) {
		chosen = -1;
		for (int i = 0; i < 3 && chosen < 0; i++)
			if (have(tools[i]))
				chosen = i;
	}
	return chosen >= 0 ? tools[chosen] : NULL;
}

/* Function addresses from nm (start, middle, last byte), checked against addr2line. Returns
 * the number of addresses checked. */
static size_t check_lines(const char *bin, const char *label)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, bin);
	struct sym_lines *l = sym_lines_open(path);
	CHECK(l != NULL, "%s: sym_lines_open(%s) failed", label, path);
	if (!l)
		return 0;

	struct lines nm = capture("nm -S --defined-only '%s' 2>/dev/null", path);
	uint64_t *addrs = malloc((3 * nm.n + 1) * sizeof(*addrs));
	size_t n = 0;
	for (size_t i = 0; i < nm.n; i++) {
		uint64_t a, size;
		char type;
		if (sscanf(nm.v[i], "%" SCNx64 " %" SCNx64 " %c", &a, &size, &type) != 3 ||
		    !strchr("TtWw", type) || a == 0)
			continue;
		addrs[n++] = a;
		if (size > 2)
			addrs[n++] = a + size / 2;
		if (size > 1)
			addrs[n++] = a + size - 1;
	}
	lines_free(&nm);

	char list[600];
	snprintf(list, sizeof(list), "%s/addrs.txt", dir);
	FILE *f = fopen(list, "w");
	for (size_t i = 0; f && i < n; i++)
		fprintf(f, "0x%" PRIx64 "\n", addrs[i]);
	if (f)
		fclose(f);
	struct lines ref = capture("addr2line -e '%s' < '%s'", path, list);
	CHECK(ref.n == n, "%s: addr2line gave %zu lines for %zu addresses", label, ref.n, n);

	size_t *bad = malloc((n + 1) * sizeof(*bad)), nbad = 0;
	for (size_t i = 0; i < n && i < ref.n; i++) {
		struct ref r;
		parse_ref(ref.v[i], &r);
		const char *file = NULL;
		unsigned line = 0;
		bool found = sym_lines_lookup(l, addrs[i], &file, &line);
		if (agrees(&r, found, file, line))
			passed++;
		else
			bad[nbad++] = i;
	}

	/* Disagreements: ask a second reference, or recognise binutils' DWARF 5 file-0 quirk. */
	const char *second = nbad ? tiebreaker() : NULL;
	struct lines ref2 = {0};
	if (second) {
		f = fopen(list, "w");
		for (size_t k = 0; f && k < nbad; k++)
			fprintf(f, "0x%" PRIx64 "\n", addrs[bad[k]]);
		if (f)
			fclose(f);
		ref2 = capture("%s -e '%s' < '%s'", second, path, list);
	}
	for (size_t k = 0; k < nbad; k++) {
		size_t i = bad[k];
		const char *file = NULL;
		unsigned line = 0;
		bool found = sym_lines_lookup(l, addrs[i], &file, &line);
		struct ref r;
		parse_ref(ref.v[i], &r);
		bool ok;
		if (second && k < ref2.n) {
			struct ref r2;
			parse_ref(ref2.v[k], &r2);
			ok = agrees(&r2, found, file, line);
		} else {
			ok = found && !r.none && r.line == line;
		}
		if (ok)
			quirks++;
		CHECK(ok, "%s: 0x%" PRIx64 ": addr2line says %s%s%s, we say %s:%u", label, addrs[i],
		      ref.v[i], second ? ", " : "", second && k < ref2.n ? ref2.v[k] : "",
		      found ? file : "??", line);
	}
	printf("%-12s %5zu addresses vs addr2line, %zu decided by %s\n", label, n, nbad,
	       nbad ? (second ? second : "line number") : "-");
	lines_free(&ref2);
	lines_free(&ref);
	free(bad);
	free(addrs);
	sym_lines_close(l);
	return n;
}

/* Every address of .text of two files gives the same answer: compressed vs plain. */
static void check_same_table(const char *plain, const char *packed, const char *label)
{
	char p1[512], p2[512];
	snprintf(p1, sizeof(p1), "%s/%s", dir, plain);
	snprintf(p2, sizeof(p2), "%s/%s", dir, packed);
	struct sym_lines *a = sym_lines_open(p1), *b = sym_lines_open(p2);
	CHECK(a && b, "%s: open %s / %s", label, plain, packed);
	if (a && b) {
		struct lines sec = capture("readelf -SW '%s' | awk '$2==\".text\"{print $4, $6}'", p1);
		uint64_t start = 0, size = 0;
		if (sec.n)
			sscanf(sec.v[0], "%" SCNx64 " %" SCNx64, &start, &size);
		lines_free(&sec);
		size_t diff = 0, hits = 0;
		for (uint64_t x = start; x < start + size; x++) {
			const char *f1 = NULL, *f2 = NULL;
			unsigned l1 = 0, l2 = 0;
			bool o1 = sym_lines_lookup(a, x, &f1, &l1), o2 = sym_lines_lookup(b, x, &f2, &l2);
			hits += o1;
			if (o1 != o2 || (o1 && (l1 != l2 || strcmp(f1, f2) != 0)))
				diff++;
		}
		CHECK(size > 0 && hits > 0 && diff == 0,
		      "%s: %zu of %" PRIu64 " addresses differ (%zu with lines)", label, diff, size, hits);
		CHECK(sym_lines_count(a) == sym_lines_count(b), "%s: %zu vs %zu rows", label,
		      sym_lines_count(a), sym_lines_count(b));
	}
	sym_lines_close(a);
	sym_lines_close(b);
}

static uint64_t nm_addr(const char *bin, const char *sym)
{
	struct lines o = capture("nm --defined-only '%s/%s' | awk '$3==\"%s\"{print $1}'", dir, bin, sym);
	uint64_t a = o.n ? strtoull(o.v[0], NULL, 16) : 0;
	lines_free(&o);
	return a;
}

/* --- Tests --------------------------------------------------------------------------------- */

static void test_c(void)
{
	static const struct {
		const char *flags, *bin;
	} variants[] = {
		{"-g -O0", "fx_g5_O0"},          /* gcc 12: DWARF 5 */
		{"-g -O2", "fx_g5_O2"},
		{"-gdwarf-4 -O0", "fx_g4_O0"},
		{"-gdwarf-4 -O2", "fx_g4_O2"},
		{"-gdwarf-5 -O2 -gz=zlib", "fx_zlib"},
	};
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		bool built = sh("cd %s && gcc %s -o %s fx.c sub/fx_sub.c", dir, variants[i].flags,
				variants[i].bin);
		CHECK(built, "gcc %s", variants[i].flags);
		if (!built)
			continue;
		size_t n = check_lines(variants[i].bin, variants[i].bin);
		CHECK(n >= 10, "%s: only %zu addresses", variants[i].bin, n);
	}

	/* Ground truth from the source, independent of any tool. */
	char path[512];
	snprintf(path, sizeof(path), "%s/fx_g5_O0", dir);
	struct sym_lines *l = sym_lines_open(path);
	const char *file = NULL;
	unsigned line = 0;
	uint64_t a = nm_addr("fx_g5_O0", "fx_alpha");
	CHECK(l && a && sym_lines_lookup(l, a, &file, &line) && line == FX_ALPHA_LINE &&
	      strcmp(file, "fx.c") != 0 && strcmp(base(file), "fx.c") == 0 && file[0] == '/',
	      "fx_alpha at 0x%" PRIx64 ": %s:%u, want %s/fx.c:%d", a, file ? file : "-", line, dir,
	      FX_ALPHA_LINE);
	a = nm_addr("fx_g5_O0", "fx_inline");
	CHECK(l && a && sym_lines_lookup(l, a, &file, &line) && line == 2 &&
	      strcmp(base(file), "fx.h") == 0,
	      "fx_inline (first in .text, before any set_file) at 0x%" PRIx64 ": %s:%u, want fx.h:2",
	      a, file ? file : "-", line);
	a = nm_addr("fx_g5_O0", "fx_sub");
	CHECK(l && a && sym_lines_lookup(l, a, &file, &line) && line == 2 && strstr(file, "/sub/fx_sub.c"),
	      "fx_sub at 0x%" PRIx64 ": %s:%u, want .../sub/fx_sub.c:2", a, file ? file : "-", line);
	CHECK(l && !sym_lines_lookup(l, 0, &file, &line) && !sym_lines_lookup(l, UINT64_MAX, &file, &line),
	      "addresses 0 and ~0 have no line");
	sym_lines_close(l);

	/* Compressed debug sections decompress to the same table. */
	check_same_table("fx_g5_O2", "fx_zlib", "gcc -gz=zlib");
	static const char *const packings[] = {"zlib", "zstd", "zlib-gnu"};
	for (size_t i = 0; i < 3; i++) {
		char out[64];
		snprintf(out, sizeof(out), "fx_obj_%s", packings[i]);
		if (!sh("cd %s && objcopy --compress-debug-sections=%s fx_g5_O2 %s 2>/dev/null", dir,
			packings[i], out)) {
			printf("note: objcopy --compress-debug-sections=%s unsupported here: skipped\n",
			       packings[i]);
			continue;
		}
		char label[96];
		snprintf(label, sizeof(label), "objcopy --compress-debug-sections=%s", packings[i]);
		check_same_table("fx_g5_O2", out, label);
	}

	/* A separate debug file (what debuglink/build-id lookups hand over) has the same lines. */
	if (sh("cd %s && objcopy --only-keep-debug fx_g5_O2 fx.debug && objcopy --strip-debug fx_g5_O2 fx_stripped", dir)) {
		snprintf(path, sizeof(path), "%s/fx_stripped", dir);
		struct sym_lines *none = sym_lines_open(path);
		CHECK(none == NULL, "stripped binary has no line table");
		sym_lines_close(none);
		check_same_table("fx_g5_O2", "fx.debug", "objcopy --only-keep-debug");
	}

	if (have("clang")) {
		static const char *const cflags[] = {"-g -O0", "-g -O2", "-gdwarf-4 -O2"};
		for (size_t i = 0; i < 3; i++) {
			char bin[64];
			snprintf(bin, sizeof(bin), "fx_clang_%zu", i);
			bool built = sh("cd %s && clang %s -o %s fx.c sub/fx_sub.c", dir, cflags[i], bin);
			CHECK(built, "clang %s", cflags[i]);
			if (built)
				check_lines(bin, bin);
		}
	} else {
		printf("note: clang absent: clang fixtures skipped\n");
	}
}

/* The C++ names of a binary against c++filt, one batch. */
static void check_cxx_names(const char *bin, size_t min_names)
{
	struct lines nm = capture("nm '%s/%s' | awk '$3 ~ /^_Z/ {print $3}' | sort -u", dir, bin);
	char list[600];
	snprintf(list, sizeof(list), "%s/names.txt", dir);
	FILE *f = fopen(list, "w");
	for (size_t i = 0; f && i < nm.n; i++)
		fprintf(f, "%s\n", nm.v[i]);
	if (f)
		fclose(f);
	struct lines ref = capture("c++filt < '%s'", list);
	CHECK(nm.n >= min_names && ref.n == nm.n, "%s: %zu mangled names, c++filt gave %zu", bin, nm.n, ref.n);
	size_t templates = 0, namespaced = 0;
	for (size_t i = 0; i < nm.n && i < ref.n; i++) {
		char buf[8192];
		const char *got = sym_demangle(nm.v[i], buf, sizeof(buf));
		CHECK(strcmp(got, ref.v[i]) == 0, "%s: %s: c++filt '%s', we '%s'", bin, nm.v[i], ref.v[i], got);
		templates += strchr(got, '<') != NULL;
		namespaced += strstr(got, "outer::inner::") != NULL;
	}
	CHECK(templates >= min_names / 5 && namespaced >= 2, "%s: %zu template and %zu namespaced names",
	      bin, templates, namespaced);
	lines_free(&ref);
	lines_free(&nm);
}

static void check_known(const char *bin, const char *mangled_pattern, const char *want)
{
	struct lines nm = capture("nm '%s/%s' | awk '$3 ~ /%s/ {print $3}'", dir, bin, mangled_pattern);
	bool seen = false;
	for (size_t i = 0; i < nm.n; i++) {
		char buf[1024];
		seen |= strcmp(sym_demangle(nm.v[i], buf, sizeof(buf)), want) == 0;
	}
	CHECK(seen, "%s: no symbol matching /%s/ demangles to '%s' (%zu candidates)", bin,
	      mangled_pattern, want, nm.n);
	lines_free(&nm);
}

static void test_cxx(void)
{
	static const char *const flags[] = {"-g -O0", "-g -O2", "-gdwarf-4 -O2"};
	bool gxx = have("g++");
	if (!gxx)
		printf("note: g++ absent: C++ fixtures skipped (apt-get install g++)\n");
	for (size_t i = 0; gxx && i < 3; i++) {
		char bin[64];
		snprintf(bin, sizeof(bin), "cx_%zu", i);
		bool built = sh("cd %s && g++ %s -o %s cx.cpp", dir, flags[i], bin);
		CHECK(built, "g++ %s", flags[i]);
		if (!built)
			continue;
		check_lines(bin, bin);
		if (i == 0) {
			check_cxx_names(bin, 50);
			check_known(bin, "Widget4spin", "outer::inner::Widget::spin(int)");
			check_known(bin, "5twiceIiE", "int outer::inner::twice<int>(int const&)");
			check_known(bin, "3BoxIlE3get", "outer::inner::Box<long>::get() const");
		}
	}
	if (have("clang++") && sh("cd %s && clang++ -g -O1 -o cx_clang cx.cpp 2>/dev/null", dir)) {
		check_lines("cx_clang", "cx_clang");
		check_cxx_names("cx_clang", 10);
	}

	/* Not mangled, or malformed: returned unchanged, never a crash. */
	char buf[256];
	static const char *const plain[] = {"main", "", "_", "_Z", "_R", "_ZN", "_ZZZZ", "_Z3fo",
					    "_RNv", "_ZN3foo3barE17h", "__Z3fooi", "Z3fooi"};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		CHECK(sym_demangle(plain[i], buf, sizeof(buf)) == plain[i], "'%s' changed", plain[i]);
	CHECK(sym_demangle(NULL, buf, sizeof(buf)) == NULL, "NULL in, NULL out");
	CHECK(sym_demangle("_Z3fooi", NULL, 0) != NULL, "no buffer: input back");
	/* Every prefix of real names: no crash, and either the input or a non-empty string. */
	static const char *const names[] = {
		"_ZNSt6vectorIiSaIiEE9push_backEOi",
		"_ZN5outer5inner6WidgetD0Ev",
		"_RINvNtCsai4GBYXPky7_7fixture6module7genericmEB4_",
		"_ZN7fixture6module5Thing6method17hb57a8f29eb368841E",
	};
	size_t prefixes = 0;
	for (size_t i = 0; i < 4; i++) {
		char cut[128];
		for (size_t k = 0; k <= strlen(names[i]); k++) {
			memcpy(cut, names[i], k);
			cut[k] = '\0';
			const char *r = sym_demangle(cut, buf, sizeof(buf));
			prefixes += r == cut || r[0] != '\0';
		}
	}
	CHECK(prefixes > 100, "prefixes of mangled names");
	CHECK(strcmp(sym_demangle("_ZNSt6vectorIiSaIiEE9push_backEOi", buf, sizeof(buf)),
		     "std::vector<int, std::allocator<int> >::push_back(int&&)") == 0, "vector: %s", buf);
	char tiny[12];
	const char *cut = sym_demangle("_ZNSt6vectorIiSaIiEE9push_backEOi", tiny, sizeof(tiny));
	CHECK(cut == tiny && strcmp(tiny, "std::vec...") == 0, "cut to the buffer: '%s'", cut);
	CHECK(strcmp(sym_demangle("_Z3fooi.cold", buf, sizeof(buf)), "foo(int) [clone .cold]") == 0,
	      "clone suffix: %s", buf);
}

/* Rust: names against the source (rustfilt is not at hand), and against c++filt with the parts
 * rustfilt leaves out (legacy hash, v0 crate disambiguators) removed. */
static void strip_rust_extras(char *s)
{
	char *w = s;
	for (char *p = s; *p;) {
		if (p[0] == '[') { /* v0 crate disambiguator "[0123abcd]" */
			char *q = p + 1;
			while (isxdigit((unsigned char)*q))
				q++;
			if (*q == ']' && q > p + 1) {
				p = q + 1;
				continue;
			}
		}
		if (p[0] == ':' && p[1] == ' ' && w > s && (isalnum((unsigned char)w[-1]) || w[-1] == '\'')) {
			/* v0 const generic type, "<4: usize>": rustfilt prints "<4>" */
			char *q = p + 2;
			while (isalnum((unsigned char)*q))
				q++;
			if (q > p + 2 && (*q == '>' || *q == ',')) {
				p = q;
				continue;
			}
		}
		if (p[0] == ':' && p[1] == ':' && p[2] == 'h') { /* legacy "::h<16 hex>" at the end */
			size_t k = 3;
			while (isxdigit((unsigned char)p[k]))
				k++;
			if (k == 19 && p[k] == '\0')
				break;
		}
		*w++ = *p++;
	}
	*w = '\0';
}

static void test_rust(void)
{
	if (!have("rustc")) {
		printf("note: rustc absent: Rust fixtures skipped\n");
		return;
	}
	static const struct {
		const char *flags, *bin, *function, *method, *generic;
	} v[] = {
		{"", "rs_legacy", "fixture::module::function", "fixture::module::Thing::method",
		 "fixture::module::generic"},
		{"-C symbol-mangling-version=v0", "rs_v0", "fixture::module::function",
		 "<fixture::module::Thing>::method", "fixture::module::generic::<u32>"},
	};
	for (size_t i = 0; i < 2; i++) {
		bool built = sh("cd %s && rustc -C debuginfo=2 %s -o %s fixture.rs 2>/dev/null", dir,
				v[i].flags, v[i].bin);
		CHECK(built, "rustc %s", v[i].flags);
		if (!built)
			continue;
		check_lines(v[i].bin, v[i].bin);
		const char *pat = i == 0 ? "^_ZN7fixture6module" : "^_R.*7fixture6module";
		struct lines nm = capture("nm '%s/%s' | awk '$3 ~ /%s/ {print $3}'", dir, v[i].bin, pat);
		bool f = false, m = false, g = false;
		for (size_t k = 0; k < nm.n; k++) {
			char buf[1024];
			const char *d = sym_demangle(nm.v[k], buf, sizeof(buf));
			f |= strcmp(d, v[i].function) == 0;
			m |= strcmp(d, v[i].method) == 0;
			g |= strcmp(d, v[i].generic) == 0;
		}
		CHECK(f && m && g, "%s: function %d method %d generic %d among %zu symbols", v[i].bin,
		      f, m, g, nm.n);
		lines_free(&nm);

		/* Every Rust symbol of the binary (std included, whose own mangling may differ from
		 * the fixture's) against c++filt. */
		pat = "^(_ZN.*17h[0-9a-f]{16}E|_R[0-9A-Za-z_]+)$";
		nm = capture("nm '%s/%s' | awk '{print $3}' | grep -E '%s' | sort -u", dir, v[i].bin, pat);
		char list[600];
		snprintf(list, sizeof(list), "%s/names.txt", dir);
		FILE *out = fopen(list, "w");
		for (size_t k = 0; out && k < nm.n; k++)
			fprintf(out, "%s\n", nm.v[k]);
		if (out)
			fclose(out);
		struct lines ref = capture("c++filt < '%s'", list);
		size_t same = 0;
		for (size_t k = 0; k < nm.n && k < ref.n; k++) {
			char buf[4096], want[4096];
			snprintf(want, sizeof(want), "%s", ref.v[k]);
			strip_rust_extras(want);
			const char *d = sym_demangle(nm.v[k], buf, sizeof(buf));
			if (strcmp(d, want) == 0)
				same++;
			else
				CHECK(0, "%s: %s: c++filt (stripped) '%s', we '%s'", v[i].bin, nm.v[k], want, d);
		}
		CHECK(nm.n > 100 && same == nm.n, "%s: %zu of %zu Rust names as c++filt", v[i].bin, same,
		      nm.n);
		passed += (int)same;
		lines_free(&ref);
		lines_free(&nm);
	}
}

/* Things that are not line tables. */
static void test_malformed(void)
{
	CHECK(sym_lines_open("/nonexistent/file") == NULL, "missing file");
	char path[512];
	snprintf(path, sizeof(path), "%s/fx.c", dir);
	CHECK(sym_lines_open(path) == NULL, "a C source is not ELF");
	const char *file;
	unsigned line;
	CHECK(!sym_lines_lookup(NULL, 0x1000, &file, &line), "NULL table");
	sym_lines_close(NULL);

	/* Every truncation of a real file, through elf_memory: no crash, no line past the cut
	 * that the full file lacks (spot-checked under the sanitizers by the fuzz targets). */
	snprintf(path, sizeof(path), "%s/fx_g4_O2", dir);
	FILE *f = fopen(path, "rb");
	char *img = NULL;
	long size = 0;
	if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		img = malloc((size_t)size);
		if (img && fread(img, 1, (size_t)size, f) != (size_t)size) {
			free(img);
			img = NULL;
		}
	}
	if (f)
		fclose(f);
	CHECK(img != NULL, "read %s", path);
	if (!img)
		return;
	elf_version(EV_CURRENT);
	size_t opened = 0, tries = 0;
	for (long cut = size; cut > 64; cut = cut * 9 / 10) {
		char *copy = malloc((size_t)cut);
		memcpy(copy, img, (size_t)cut);
		Elf *e = elf_memory(copy, (size_t)cut);
		struct sym_lines *l = e ? sym_lines_open_elf(e) : NULL;
		opened += l != NULL;
		tries++;
		sym_lines_close(l);
		if (e)
			elf_end(e);
		free(copy);
	}
	/* Flip bytes inside .debug_line: the reader must survive whatever it decodes. */
	struct lines sec = capture("readelf -SW '%s' | awk '$2==\".debug_line\"{print $5, $6}'", path);
	uint64_t off = 0, len = 0;
	if (sec.n)
		sscanf(sec.v[0], "%" SCNx64 " %" SCNx64, &off, &len);
	lines_free(&sec);
	srand(1);
	for (int round = 0; round < 300 && len > 0 && off + len <= (uint64_t)size; round++) {
		char *copy = malloc((size_t)size);
		memcpy(copy, img, (size_t)size);
		for (int k = 0; k < 1 + round % 8; k++)
			copy[off + (uint64_t)rand() % len] = (char)rand();
		Elf *e = elf_memory(copy, (size_t)size);
		struct sym_lines *l = e ? sym_lines_open_elf(e) : NULL;
		for (uint64_t a = 0x1000; l && a < 0x1400; a++)
			sym_lines_lookup(l, a, &file, &line);
		sym_lines_close(l);
		if (e)
			elf_end(e);
		free(copy);
		tries++;
	}
	CHECK(opened >= 1 && tries > 300, "truncations and corruptions: %zu opened of %zu", opened, tries);
	free(img);
}

static void demangle_hung(int sig)
{
	(void)sig;
	static const char msg[] = "FAIL test_demangle_limits: sym_demangle still running after 10 s\n";
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

/* Rust v0 binders with absurd lifetime counts (found by tests/fuzz: libiberty runs one loop turn
 * per lifetime, also where it prints nothing: an impl path, the instantiating crate) come back at
 * once, mangled; ordinary v0 names, binders included, still demangle. */
static void test_demangle_limits(void)
{
	static const char *const huge[] = {
		"_RIYFGFhhhhhhhhhhaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaahhhhht9o_hhhhhhh",
		/* a::b, instantiated in crate c::d<for<...62^10 lifetimes> fn()> */
		"_RNvC1a1bINvC1c1dFGzzzzzzzzzz_EuE",
		/* <c::d>::e with the impl's own path a::b<for<...62^5 lifetimes> fn()> */
		"_RNvMINtC1a1bFGzzzzz_EuENtC1c1d1e",
		/* the same inside a dyn binder of a type reached twice through a backref */
		"_RNvMINtC1a1bDGzzzzz_EL_EB4_1e",
	};
	char buf[256];
	struct timespec t0, t1;

	signal(SIGALRM, demangle_hung);
	alarm(10);
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		const char *got = sym_demangle(huge[i], buf, sizeof(buf));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		CHECK(got == huge[i] && ms < 200, "huge v0 binder %zu: '%s' after %.0f ms", i, got, ms);
	}
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	const char *got = sym_demangle("_RNvCs1234_7mycrate3foo", buf, sizeof(buf));
	CHECK(strcmp(got, "mycrate::foo") == 0, "v0 name: '%s'", got);
	got = sym_demangle("_RINvNtCsai4GBYXPky7_7fixture6module7genericFG0_RL0_hEuEB4_", buf, sizeof(buf));
	CHECK(strcmp(got, "fixture::module::generic::<for<'a, 'b> fn(&'b u8)>") == 0, "v0 binder: '%s'", got);
	got = sym_demangle("_RNvC1a1bINvC1c1dFG4_EuE", buf, sizeof(buf));
	CHECK(strcmp(got, "a::b") == 0, "v0 instantiating crate with a binder: '%s'", got);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_demangle_limits();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	mkdir(sub, 0755);
	bool ok = write_file("fx.h", FX_H) && write_file("fx.c", FX_C) &&
		  write_file("sub/fx_sub.c", FX_SUB_C) && write_file("cx.cpp", CX_CPP) &&
		  write_file("fixture.rs", RS);
	CHECK(ok, "writing fixtures in %s", dir);
	if (ok) {
		test_c();
		test_cxx();
		test_rust();
		test_malformed();
	}
	if (quirks)
		printf("note: %d addresses where binutils addr2line differs and %s agrees with us "
		       "(binutils starts DWARF 5 sequences in file 0)\n",
		       quirks, tiebreaker() ? tiebreaker() : "the line number");
	if (!getenv("KEEP"))
		sh("rm -rf '%s'", dir);
	else
		printf("fixtures kept in %s\n", dir);
	return check_summary("symbolize_lines");
}
