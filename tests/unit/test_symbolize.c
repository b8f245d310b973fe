/* Symbolization against references: fixture programs compiled here with gcc and read with nm
 * (binutils), this very process through /proc/self/maps, running fixture processes (PIE and
 * non-PIE, with a shared library whose addresses differ from its file offsets), and
 * /proc/kallsyms. Needs gcc and nm; no BPF. */
#include "symbolize/symbolize.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, ...)                                                          \
	do {                                                                      \
		if (cond) {                                                       \
			passed++;                                                 \
		} else {                                                          \
			failed++;                                                 \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
			fprintf(stderr, __VA_ARGS__);                             \
			fputc('\n', stderr);                                      \
		}                                                                 \
	} while (0)

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* --- Fixtures ----------------------------------------------------------------------------- */

static char dir[] = "/tmp/bcct-symtest.XXXXXX";

/* The library reports its own function addresses: an executable taking the address of a
 * library function would get its own PLT stub instead (canonical PLT in non-PIE code). */
static const char LIB_SOURCE[] =
	"__attribute__((noinline)) int lib_alpha(int x) { volatile int v = x; return v * 3 + 1; }\n"
	"int _lib_alpha_alias(int x) __attribute__((alias(\"lib_alpha\")));\n"
	"__attribute__((noinline)) static int lib_beta(int x) { volatile int v = x; return v * 5 - 2; }\n"
	"int lib_call(int x) { return lib_alpha(x) + lib_beta(x); }\n"
	"void lib_addresses(void **a, void **b) { *a = (void *)lib_alpha; *b = (void *)lib_beta; }\n"
	/* Hand-written assembly without .size: st_size is 0, covered up to the next symbol. */
	"__asm__(\".text\\n.globl lib_nosize\\n.type lib_nosize,@function\\n"
	"lib_nosize:\\n nop\\n nop\\n nop\\n nop\\n ret\\n\");\n";

static const char MAIN_SOURCE[] =
	"#include <stdio.h>\n#include <unistd.h>\n"
	"int lib_call(int);\nvoid lib_addresses(void **, void **);\n"
	"__attribute__((noinline)) int fx_alpha(int x) { volatile int v = x; return v * 2 + 1; }\n"
	"__attribute__((noinline)) static int fx_beta(int x) { volatile int v = x; return v - 7; }\n"
	"__attribute__((noinline)) int fx_gamma(int x) { volatile int v = x; return v ^ 0x55; }\n"
	"int main(int argc, char **argv) {\n"
	"  if (argc > 1) {\n"
	"    void *la, *lb; char c;\n"
	"    lib_addresses(&la, &lb);\n"
	"    printf(\"%p %p %p %p %p\\n\", (void *)fx_alpha, (void *)fx_beta, (void *)fx_gamma, la, lb);\n"
	"    fflush(stdout);\n"
	"    if (read(0, &c, 1) < 0) return 1;\n"
	"  }\n"
	"  return fx_alpha(argc) + fx_beta(argc) + fx_gamma(argc) + lib_call(argc);\n"
	"}\n";

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return fclose(f) == 0;
}

static bool run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	return rc == 0;
}

static bool build_fixtures(void)
{
	if (!mkdtemp(dir))
		return false;
	char lib_c[256], main_c[256];
	snprintf(lib_c, sizeof(lib_c), "%s/lib.c", dir);
	snprintf(main_c, sizeof(main_c), "%s/main.c", dir);
	/* -Ttext-segment puts the library's addresses 2 MiB above its file offsets, so only a
	 * correct offset -> PT_LOAD -> address translation finds its symbols. */
	return write_file(lib_c, LIB_SOURCE) && write_file(main_c, MAIN_SOURCE) &&
	       run("gcc -O1 -fPIC -shared -Wl,-Ttext-segment=0x200000 %s -o %s/libfx.so", lib_c, dir) &&
	       run("gcc -O1 -fno-pie -no-pie %s -L%s -lfx -Wl,-rpath,%s -o %s/fx_nopie", main_c, dir,
		   dir, dir) &&
	       run("gcc -O1 -fPIE -pie %s -L%s -lfx -Wl,-rpath,%s -o %s/fx_pie", main_c, dir, dir, dir);
}

/* --- nm as the reference ------------------------------------------------------------------ */

struct nm_sym {
	uint64_t addr, size;
	char name[256];
};

struct nm_table {
	struct nm_sym *syms;
	size_t count;
};

/* Text symbols as nm prints them: "addr [size] type name". */
static struct nm_table nm_read(const char *path, bool dynamic)
{
	struct nm_table t = {0};
	char cmd[1024], line[1024];
	snprintf(cmd, sizeof(cmd), "nm -S --defined-only %s '%s' 2>/dev/null", dynamic ? "-D" : "",
		 path);
	FILE *f = popen(cmd, "r");
	if (!f)
		return t;
	size_t cap = 0;
	while (fgets(line, sizeof(line), f)) {
		char a[32], b[32], c[256], d[256];
		struct nm_sym s = {0};
		char type;
		int n = sscanf(line, "%31s %31s %255s %255s", a, b, c, d);
		if (n == 4 && strlen(c) == 1) {
			s.addr = strtoull(a, NULL, 16);
			s.size = strtoull(b, NULL, 16);
			type = c[0];
			snprintf(s.name, sizeof(s.name), "%s", d);
		} else if (n == 3 && strlen(b) == 1) {
			s.addr = strtoull(a, NULL, 16);
			type = b[0];
			snprintf(s.name, sizeof(s.name), "%s", c);
		} else {
			continue;
		}
		/* nm's W also marks weak untyped data (data_start): take weak ones only with a size,
		 * as compilers give every function; strong t/T are text by definition. */
		if (!strchr("tTwWi", type) || s.addr == 0 || (strchr("wW", type) && s.size == 0))
			continue;
		char *at = strchr(s.name, '@'); /* nm -D prints versions: printf@@GLIBC_2.2.5 */
		if (at)
			*at = '\0';
		if (t.count == cap) {
			cap = cap ? cap * 2 : 256;
			t.syms = realloc(t.syms, cap * sizeof(*t.syms));
		}
		t.syms[t.count++] = s;
	}
	pclose(f);
	return t;
}

static const struct nm_sym *nm_find(const struct nm_table *t, const char *name)
{
	for (size_t i = 0; i < t->count; i++)
		if (streq(t->syms[i].name, name))
			return &t->syms[i];
	return NULL;
}

static bool nm_has_name_at(const struct nm_table *t, uint64_t addr, const char *name)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->syms[i].addr == addr && streq(t->syms[i].name, name))
			return true;
	return false;
}

/* Another symbol starts strictly inside s: then s's last byte legitimately names that one. */
static bool nm_has_nested(const struct nm_table *t, const struct nm_sym *s)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->syms[i].addr > s->addr && t->syms[i].addr < s->addr + s->size)
			return true;
	return false;
}

/* Every sized nm function: its first and last byte resolve to a name nm gives that address. */
static void check_elf_against_nm(const char *path, bool dynamic)
{
	struct nm_table t = nm_read(path, dynamic);
	struct sym_elf *e = sym_elf_open(path);
	CHECK(e, "sym_elf_open(%s)", path);
	CHECK(t.count > 0, "nm found no functions in %s", path);
	if (!e || !t.count)
		goto out;
	size_t mismatches = 0, checked = 0;
	for (size_t i = 0; i < t.count; i++) {
		const struct nm_sym *s = &t.syms[i];
		struct bcct_sym got;
		bool ok = sym_elf_lookup(e, s->addr, &got);
		if (!ok || got.offset != 0 || !nm_has_name_at(&t, s->addr, got.name)) {
			if (mismatches++ < 5)
				fprintf(stderr, "  %s: %#" PRIx64 " nm %s, got %s+%#" PRIx64 "\n", path,
					s->addr, s->name, ok ? got.name : "(none)", got.offset);
		}
		checked++;
		if (s->size > 1 && !nm_has_nested(&t, s)) {
			ok = sym_elf_lookup(e, s->addr + s->size - 1, &got);
			if (!ok || got.offset != s->size - 1 || !nm_has_name_at(&t, s->addr, got.name)) {
				if (mismatches++ < 5)
					fprintf(stderr, "  %s: last byte of %s, got %s\n", path, s->name,
						ok ? got.name : "(none)");
			}
		}
	}
	CHECK(mismatches == 0, "%s: %zu of %zu nm functions mismatch", path, mismatches, checked);
out:
	sym_elf_close(e);
	free(t.syms);
}

/* Named fixture functions, looked up a few bytes in: exact name and offset. */
static void check_named(const char *file, const char *const *names, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	struct nm_table t = nm_read(path, false);
	struct sym_elf *e = sym_elf_open(path);
	CHECK(e, "sym_elf_open(%s)", path);
	for (size_t i = 0; e && i < n; i++) {
		const struct nm_sym *s = nm_find(&t, names[i]);
		CHECK(s, "nm has no %s in %s", names[i], file);
		if (!s)
			continue;
		struct bcct_sym got;
		bool ok = sym_elf_lookup(e, s->addr + 2, &got);
		CHECK(ok && streq(got.name, names[i]) && got.offset == 2, "%s: %s+2 resolved to %s+%" PRIu64,
		      file, names[i], ok ? got.name : "(none)", got.offset);
	}
	struct bcct_sym got;
	CHECK(!sym_elf_lookup(e, 0x10, &got) && !got.name, "%s: address 0x10 should not resolve", file);
	sym_elf_close(e);
	free(t.syms);
}

static void test_elf_files(void)
{
	static const char *const main_names[] = {"fx_alpha", "fx_beta", "fx_gamma", "main"};
	static const char *const lib_names[] = {"lib_alpha", "lib_beta", "lib_call", "lib_nosize"};
	check_named("fx_nopie", main_names, 4);
	check_named("fx_pie", main_names, 4);
	check_named("libfx.so", lib_names, 4);
	static const char *const files[] = {"fx_nopie", "fx_pie", "libfx.so"};
	for (size_t i = 0; i < 3; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		check_elf_against_nm(path, false);
	}
	CHECK(sym_elf_open("/nonexistent/file") == NULL, "opening a missing file fails");
	char path[512];
	snprintf(path, sizeof(path), "%s/lib.c", dir);
	CHECK(sym_elf_open(path) == NULL, "opening a non-ELF file fails");
}

/* --- Processes ---------------------------------------------------------------------------- */

__attribute__((noinline)) static int test_static_target(int x)
{
	volatile int v = x;
	return v * 7 + 3;
}

static void check_user(struct sym_proc *p, uint64_t addr, const char *want, uint64_t off,
		       const char *what)
{
	struct bcct_sym got;
	bool ok = sym_user(p, addr + off, &got);
	CHECK(ok && streq(got.name, want) && got.offset == off,
	      "%s: want %s+%" PRIu64 ", got %s+%" PRIu64 " in %s", what, want, off,
	      ok ? got.name : "(none)", got.offset, got.module ? got.module : "-");
}

static void test_self(void)
{
	struct sym_proc *p = sym_proc_open(getpid());
	CHECK(p, "sym_proc_open(self)");
	if (!p)
		return;
	check_user(p, (uintptr_t)&test_static_target, "test_static_target", 3, "self static");
	check_user(p, (uintptr_t)&printf, "printf", 0, "self libc");
	check_user(p, (uintptr_t)&printf, "printf", 1, "self libc");

	struct bcct_sym got;
	char self[4096] = "";
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	sym_user(p, (uintptr_t)&test_static_target, &got);
	CHECK(streq(got.module, self), "module of own function: %s, want %s", got.module, self);

	/* libc has only .dynsym: compare it whole against nm -D. */
	sym_user(p, (uintptr_t)&printf, &got);
	if (got.module && strstr(got.module, "/libc.so")) /* not libasan's printf under ASan */
		check_elf_against_nm(got.module, true);

	CHECK(!sym_user(p, 0x10, &got) && !got.module, "unmapped address resolves to nothing");

	void *anon = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon != MAP_FAILED) {
		struct sym_proc *fresh = sym_proc_open(getpid());
		bool ok = fresh && sym_user(fresh, (uintptr_t)anon + 16, &got);
		CHECK(fresh && !ok && streq(got.module, "[unknown]") && !got.name,
		      "anonymous executable memory: module %s", got.module);
		sym_proc_close(fresh);
		munmap(anon, 4096);
	}
	uint64_t vdso = getauxval(AT_SYSINFO_EHDR);
	if (vdso) {
		bool ok = sym_user(p, vdso + 0x800, &got);
		CHECK(!ok && streq(got.module, "[vdso]"), "vdso: module %s", got.module);
	}
	sym_proc_close(p);
}

struct child {
	pid_t pid;
	int to_child;
	uint64_t addrs[5];
};

/* Starts a fixture that prints its function addresses and waits for its stdin to close. */
static bool start_child(const char *file, struct child *c)
{
	int in[2], out[2];
	if (pipe(in) || pipe(out))
		return false;
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	c->pid = fork();
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, "wait", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to_child = in[1];
	FILE *f = fdopen(out[0], "r");
	void *a[5] = {0};
	int n = f ? fscanf(f, "%p %p %p %p %p", &a[0], &a[1], &a[2], &a[3], &a[4]) : 0;
	if (f)
		fclose(f);
	for (int i = 0; i < 5; i++)
		c->addrs[i] = (uintptr_t)a[i];
	return c->pid > 0 && n == 5;
}

static void stop_child(struct child *c)
{
	close(c->to_child);
	if (c->pid > 0)
		waitpid(c->pid, NULL, 0);
}

static void test_child(const char *file, struct sym_cache *cache)
{
	static const char *const names[] = {"fx_alpha", "fx_beta", "fx_gamma", "lib_alpha", "lib_beta"};
	struct child c = {0};
	bool started = start_child(file, &c);
	CHECK(started, "start %s", file);
	if (started) {
		struct sym_proc *p = sym_cache_get(cache, c.pid);
		CHECK(p && sym_cache_get(cache, c.pid) == p, "%s: cache returns one sym_proc per pid", file);
		for (int i = 0; p && i < 5; i++) {
			char what[128];
			snprintf(what, sizeof(what), "%s %s", file, names[i]);
			check_user(p, c.addrs[i], names[i], 0, what);
			check_user(p, c.addrs[i], names[i], 2, what);
		}
		struct bcct_sym got;
		if (p && sym_user(p, c.addrs[3], &got))
			CHECK(strstr(got.module, "libfx.so") && got.module_offset < 0x10000,
			      "%s: library module %s offset %#" PRIx64 " (file offset, not address)",
			      file, got.module, got.module_offset);
	}
	stop_child(&c);
}

/* --- Kernel and formatting ---------------------------------------------------------------- */

static bool kallsyms_has_addresses(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long a = 0;
	if (f) {
		if (fscanf(f, "%llx", &a) != 1)
			a = 0;
		fclose(f);
	}
	return a != 0;
}

static void test_kernel(void)
{
	struct bcct_sym got;
	if (!kallsyms_has_addresses()) {
		CHECK(!sym_kernel(0xffffffff81000000ULL, &got), "hidden kallsyms: no kernel symbols");
		printf("symbolize: kallsyms addresses hidden, kernel lookups skipped\n");
		return;
	}
	uint64_t a = sym_kernel_addr("schedule");
	CHECK(a != 0, "sym_kernel_addr(schedule)");
	bool ok = sym_kernel(a, &got);
	CHECK(ok && streq(got.name, "schedule") && got.offset == 0 && streq(got.module, "[kernel]"),
	      "kernel schedule: got %s+%" PRIu64 " %s", got.name, got.offset, got.module);
	ok = sym_kernel(a + 5, &got);
	CHECK(ok && streq(got.name, "schedule") && got.offset == 5, "kernel schedule+5: got %s+%" PRIu64,
	      got.name, got.offset);
	CHECK(sym_kernel_addr("no_such_kernel_symbol_bcct") == 0, "absent kernel symbol");
	CHECK(!sym_kernel(1, &got), "address below the kernel");
}

static void test_format(void)
{
	char buf[64];
	struct bcct_sym s = {.name = "vfs_read", .offset = 0x1a};
	CHECK(streq(sym_format(&s, true, false, buf, sizeof(buf)), "vfs_read"), "format name");
	CHECK(streq(sym_format(&s, true, true, buf, sizeof(buf)), "vfs_read+0x1a"), "format offset");
	CHECK(streq(sym_format(&s, false, true, buf, sizeof(buf)), "[unknown]"), "format unknown");
	CHECK(streq(sym_format(&s, true, true, buf, 6), "vfs_r"), "format truncates");
}

int main(void)
{
	test_format();
	test_kernel();
	test_self();
	if (build_fixtures()) {
		test_elf_files();
		struct sym_cache *cache = sym_cache_new();
		test_child("fx_nopie", cache);
		test_child("fx_pie", cache);
		sym_cache_free(cache);
		run("rm -rf '%s'", dir);
	} else {
		failed++;
		fprintf(stderr, "FAIL: could not build fixtures with gcc in %s\n", dir);
	}
	printf("symbolize: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
