/* Symbolization against references: fixture programs compiled here with gcc and read with nm
 * (binutils), this very process through /proc/self/maps, running fixture processes (PIE and
 * non-PIE, with a shared library whose addresses differ from its file offsets), and
 * /proc/kallsyms. Then the other sources of names, each with fixtures made here: separate debug
 * files by .gnu_debuglink (three directories, and a wrong CRC that must be rejected) and by
 * build-id under a temporary debug root, MiniDebugInfo made the Fedora way (objcopy, xz), a
 * JIT writing /tmp/perf-PID.map, a process in its own mount namespace running a file that does
 * not exist outside it, a deleted library, the vDSO, and processes that exited. Needs gcc,
 * binutils and xz; root for the mount namespace (skipped, and said so, without it); no BPF. */
#include "symbolize/symbolize.h"
#include "symbolize/internal.h"
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

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

/* Every sized function of nm's table t: its first and last byte resolve in path to a name nm
 * gives that address. */
static void check_elf_against_table(const char *path, const struct nm_table *tp)
{
	const struct nm_table t = *tp;
	struct sym_elf *e = sym_elf_open(path);
	CHECK(e, "sym_elf_open(%s)", path);
	CHECK(t.count > 0, "nm found no functions for %s", path);
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
}

static void check_elf_against_nm(const char *path, bool dynamic)
{
	struct nm_table t = nm_read(path, dynamic);
	check_elf_against_table(path, &t);
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

/* --- Other sources of names --------------------------------------------------------------- */

/* A program without libraries of ours: exported functions (-rdynamic puts them in .dynsym)
 * and static ones that only a .symtab names. */
static const char ALONE_SOURCE[] =
	"#include <stdio.h>\n#include <unistd.h>\n"
	"__attribute__((noinline)) int fx_alpha(int x) { volatile int v = x; return v * 2 + 1; }\n"
	"__attribute__((noinline)) static int fx_beta(int x) { volatile int v = x; return v - 7; }\n"
	"__attribute__((noinline)) static int fx_hidden_gamma(int x) { volatile int v = x; return v ^ 0x55; }\n"
	"__attribute__((noinline)) int fx_delta(int x) { volatile int v = x; return v + 9; }\n"
	"int main(int argc, char **argv) {\n"
	"  if (argc > 1) {\n"
	"    char c;\n"
	"    printf(\"%p %p %p %p %p\\n\", (void *)fx_alpha, (void *)fx_beta, (void *)fx_hidden_gamma,\n"
	"           (void *)fx_delta, (void *)main);\n"
	"    fflush(stdout);\n"
	"    if (read(0, &c, 1) < 0) return 1;\n"
	"  }\n"
	"  return fx_alpha(argc) + fx_beta(argc) + fx_hidden_gamma(argc) + fx_delta(argc);\n"
	"}\n";
static const char *const ALONE_NAMES[] = {"fx_alpha", "fx_beta", "fx_hidden_gamma", "fx_delta", "main"};

/* A JIT: code in anonymous memory made executable by mprotect, named in /tmp/perf-PID.map the
 * way JITs write it (hex with and without 0x, names with spaces). On 'a' it appends a function
 * and a newer entry for an old address; on end of input it removes its map and exits. */
static const char JIT_SOURCE[] =
	"#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n"
	"#include <sys/mman.h>\n#include <unistd.h>\n"
	"int main(void) {\n"
	"  size_t len = 8192;\n"
	"  unsigned char *code = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n"
	"  if (code == MAP_FAILED) return 1;\n"
	"  memset(code, 0xc3, len);\n"
	"  if (mprotect(code, len, PROT_READ | PROT_EXEC)) return 1;\n"
	"  char path[64]; snprintf(path, sizeof(path), \"/tmp/perf-%d.map\", (int)getpid());\n"
	"  FILE *f = fopen(path, \"w\"); if (!f) return 1;\n"
	"  unsigned long a = (unsigned long)(uintptr_t)code;\n"
	"  fprintf(f, \"%lx 40 jit_one\\n\", a);\n"
	"  fprintf(f, \"0x%lx 0x20 LazyCompile:~two /app/x.js:12\\n\", a + 0x40);\n"
	"  fclose(f);\n"
	"  printf(\"%p\\n\", (void *)code); fflush(stdout);\n"
	"  char c;\n"
	"  while (read(0, &c, 1) == 1) {\n"
	"    if (c != 'a') continue;\n"
	"    f = fopen(path, \"a\"); if (!f) return 1;\n"
	"    fprintf(f, \"%lx 40 jit_three [hot]\\n\", a + 0x200);\n"
	"    fprintf(f, \"%lx 20 jit_one_v2\\n\", a);\n"
	"    fclose(f);\n"
	"    printf(\"ok\\n\"); fflush(stdout);\n"
	"  }\n"
	"  unlink(path);\n"
	"  return 0;\n"
	"}\n";

static struct nm_table alone_nm; /* nm of the unstripped program: the reference */

static bool build_source_fixtures(void)
{
	char c_file[256];
	snprintf(c_file, sizeof(c_file), "%s/alone.c", dir);
	if (!write_file(c_file, ALONE_SOURCE) ||
	    !run("gcc -O1 -fPIE -pie -rdynamic -Wl,--build-id=sha1 %s -o %s/alone", c_file, dir))
		return false;
	snprintf(c_file, sizeof(c_file), "%s/jit.c", dir);
	if (!write_file(c_file, JIT_SOURCE) || !run("gcc -O1 %s -o %s/jit", c_file, dir))
		return false;
	char path[512];
	snprintf(path, sizeof(path), "%s/alone", dir);
	alone_nm = nm_read(path, false);
	return alone_nm.count > 0 && nm_find(&alone_nm, "fx_beta");
}

/* Static functions (only a .symtab has them), two bytes in, by nm's addresses. */
static void check_alone_file(const char *path, const char *what, bool want_static)
{
	struct sym_elf *e = sym_elf_open(path);
	CHECK(e, "%s: sym_elf_open(%s)", what, path);
	for (size_t i = 0; e && i < sizeof(ALONE_NAMES) / sizeof(ALONE_NAMES[0]); i++) {
		const struct nm_sym *s = nm_find(&alone_nm, ALONE_NAMES[i]);
		bool is_static = streq(ALONE_NAMES[i], "fx_beta") || streq(ALONE_NAMES[i], "fx_hidden_gamma");
		if (!s)
			continue;
		struct bcct_sym got;
		bool ok = sym_elf_lookup(e, s->addr + 2, &got);
		if (is_static && !want_static)
			CHECK(!ok || !streq(got.name, ALONE_NAMES[i]), "%s: %s must not resolve, got %s", what,
			      ALONE_NAMES[i], got.name);
		else
			CHECK(ok && streq(got.name, ALONE_NAMES[i]) && got.offset == 2,
			      "%s: %s+2 resolved to %s+%" PRIu64, what, ALONE_NAMES[i],
			      ok ? got.name : "(none)", got.offset);
	}
	sym_elf_close(e);
}

/* Makes DIR/fx: the program stripped of everything but .dynsym, its debug file beside it as
 * fx.debug, and, if link, a .gnu_debuglink naming fx.debug (its CRC taken then). */
static bool make_stripped(const char *sub, bool link)
{
	return run("mkdir -p %s/%s && cp %s/alone %s/%s/fx && cd %s/%s && "
		   "objcopy --only-keep-debug fx fx.debug && objcopy --strip-all fx %s",
		   dir, sub, dir, dir, sub, dir, sub, link ? "--add-gnu-debuglink=fx.debug" : "");
}

static void test_debuglink(void)
{
	char path[512], root[256];
	snprintf(root, sizeof(root), "%s/debugroot", dir);
	sym_set_debug_root(root); /* empty: no build-id file answers in place of the debuglink */
	CHECK(streq(sym_debug_root(), root), "debug root set: %s", sym_debug_root());

	/* The stripped file alone: .dynsym only. */
	if (make_stripped("bare", false)) {
		snprintf(path, sizeof(path), "%s/bare/fx", dir);
		struct sym_elf *e = sym_elf_open(path);
		CHECK(e && sym_elf_sources(e) == SYM_SRC_DYNSYM, "bare: sources %#x", sym_elf_sources(e));
		sym_elf_close(e);
		check_alone_file(path, "stripped, no debug file", false);
	}

	/* DIR/fx.debug, DIR/.debug/fx.debug, DEBUGROOT/DIR/fx.debug. */
	static const char *const subs[] = {"dl_same", "dl_dotdebug", "dl_root"};
	for (int i = 0; i < 3; i++) {
		if (!make_stripped(subs[i], true)) {
			CHECK(false, "building %s", subs[i]);
			continue;
		}
		char want[1024];
		snprintf(want, sizeof(want), "%s/%s/fx.debug", dir, subs[i]);
		if (i == 1) {
			run("mkdir -p %s/%s/.debug && mv %s %s/%s/.debug/", dir, subs[i], want, dir, subs[i]);
			snprintf(want, sizeof(want), "%s/%s/.debug/fx.debug", dir, subs[i]);
		} else if (i == 2) {
			run("mkdir -p %s%s/%s && mv %s %s%s/%s/", root, dir, subs[i], want, root, dir, subs[i]);
			snprintf(want, sizeof(want), "%s%s/%s/fx.debug", root, dir, subs[i]);
		}
		snprintf(path, sizeof(path), "%s/%s/fx", dir, subs[i]);
		struct sym_elf *e = sym_elf_open(path);
		CHECK(e && (sym_elf_sources(e) & SYM_SRC_DEBUGLINK) && !(sym_elf_sources(e) & SYM_SRC_SYMTAB) &&
			      streq(sym_elf_debug_file(e), want),
		      "%s: sources %#x, debug file %s, want %s", subs[i], sym_elf_sources(e),
		      sym_elf_debug_file(e), want);
		sym_elf_close(e);
		check_alone_file(path, subs[i], true);
		check_elf_against_table(path, &alone_nm); /* every function, as nm names the original */
	}

	/* The same debug file, changed after the link was made (a section added: same build-id,
	 * other CRC): it must be rejected. */
	if (make_stripped("dl_badcrc", true) &&
	    run("cd %s/dl_badcrc && echo junk > junk && objcopy --add-section .bcct_junk=junk fx.debug",
		dir)) {
		snprintf(path, sizeof(path), "%s/dl_badcrc/fx", dir);
		struct sym_elf *e = sym_elf_open(path);
		CHECK(e && !(sym_elf_sources(e) & SYM_SRC_DEBUGLINK) && !sym_elf_debug_file(e),
		      "wrong CRC: debug file %s taken", sym_elf_debug_file(e));
		sym_elf_close(e);
		check_alone_file(path, "wrong CRC", false);
	} else {
		CHECK(false, "building the wrong-CRC fixture");
	}
}

/* "Build ID: 0123..." from readelf: the reference for where the debug file goes. */
static bool read_build_id_hex(const char *path, char *hex, size_t len)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "readelf -n '%s' 2>/dev/null | sed -n 's/.*Build ID: *//p'", path);
	FILE *f = popen(cmd, "r");
	bool ok = f && fgets(hex, (int)len, f);
	if (f)
		pclose(f);
	if (ok)
		hex[strcspn(hex, "\n ")] = '\0';
	return ok && strlen(hex) > 2;
}

static void test_build_id(void)
{
	char path[512], root[512], hex[256];
	snprintf(root, sizeof(root), "%s/bidroot", dir);
	if (!make_stripped("bid", false)) {
		CHECK(false, "building the build-id fixture");
		return;
	}
	snprintf(path, sizeof(path), "%s/bid/fx", dir);
	CHECK(read_build_id_hex(path, hex, sizeof(hex)), "readelf finds a build-id in %s", path);
	run("mkdir -p %s/.build-id/%.2s && mv %s/bid/fx.debug %s/.build-id/%.2s/%s.debug", root, hex, dir,
	    root, hex, hex + 2);
	char want[1024];
	snprintf(want, sizeof(want), "%s/.build-id/%.2s/%s.debug", root, hex, hex + 2);

	/* Through the environment variable, as a user would point bcct at it. */
	sym_set_debug_root(NULL);
	setenv("BCCT_DEBUG_ROOT", root, 1);
	CHECK(streq(sym_debug_root(), root), "BCCT_DEBUG_ROOT: %s", sym_debug_root());
	struct sym_elf *e = sym_elf_open(path);
	CHECK(e && (sym_elf_sources(e) & SYM_SRC_BUILD_ID) && streq(sym_elf_debug_file(e), want),
	      "build-id: sources %#x, debug file %s", sym_elf_sources(e), sym_elf_debug_file(e));
	sym_elf_close(e);
	check_alone_file(path, "build-id", true);
	check_elf_against_table(path, &alone_nm);
	unsetenv("BCCT_DEBUG_ROOT");
	CHECK(streq(sym_debug_root(), "/usr/lib/debug"), "default debug root: %s", sym_debug_root());

	/* Another program's debug file under this build-id: rejected. */
	char other[512];
	snprintf(root, sizeof(root), "%s/bidroot_wrong", dir);
	snprintf(other, sizeof(other), "%s/fx_pie", dir);
	run("mkdir -p %s/.build-id/%.2s && objcopy --only-keep-debug %s %s/.build-id/%.2s/%s.debug", root,
	    hex, other, root, hex, hex + 2);
	sym_set_debug_root(root);
	e = sym_elf_open(path);
	CHECK(e && !(sym_elf_sources(e) & SYM_SRC_BUILD_ID) && !sym_elf_debug_file(e),
	      "wrong build-id: debug file %s taken", sym_elf_debug_file(e));
	sym_elf_close(e);
	check_alone_file(path, "wrong build-id", false);
}

/* MiniDebugInfo as Fedora's find-debuginfo makes it (add_minidebug): the function symbols of
 * the debug file that .dynsym lacks, kept by objcopy -S --keep-symbols, xz-compressed, added
 * as .gnu_debugdata to the stripped file. */
static void test_minidebuginfo(void)
{
	char path[512], root[512];
	snprintf(root, sizeof(root), "%s/debugroot_empty", dir);
	sym_set_debug_root(root); /* the build-id file of this program must not answer */
	bool built = make_stripped("mini", false) &&
		     run("cd %s/mini && "
			 "nm -D fx --format=posix --defined-only | awk '{ print $1 }' | sort > dynsyms && "
			 "nm fx.debug --format=sysv --defined-only | awk -F '|' '{ if ($4 ~ \"FUNC\") print $1 }'"
			 " | sed 's/ *$//' | sort > funcsyms && "
			 "comm -13 dynsyms funcsyms > keep_symbols && "
			 "objcopy -S --remove-section .gdb_index --remove-section .comment "
			 "--keep-symbols=keep_symbols fx.debug mini_debuginfo && "
			 "xz mini_debuginfo && objcopy --add-section .gnu_debugdata=mini_debuginfo.xz fx && "
			 "rm fx.debug && grep -qx fx_beta keep_symbols && ! grep -qx fx_alpha keep_symbols",
			 dir);
	CHECK(built, "building the MiniDebugInfo fixture");
	if (!built)
		return;
	snprintf(path, sizeof(path), "%s/mini/fx", dir);
	struct nm_table own = nm_read(path, false);
	CHECK(own.count == 0, "the MiniDebugInfo fixture has no .symtab (nm found %zu)", own.count);
	free(own.syms);
	struct sym_elf *e = sym_elf_open(path);
	CHECK(e && sym_elf_sources(e) == (SYM_SRC_MINIDEBUGINFO | SYM_SRC_DYNSYM),
	      "MiniDebugInfo: sources %#x", sym_elf_sources(e));
	sym_elf_close(e);
	check_alone_file(path, "MiniDebugInfo", true); /* fx_beta: static, only in .gnu_debugdata */
	check_elf_against_table(path, &alone_nm);

	/* Corrupt compressed data: no crash, .dynsym still answers. */
	if (run("cd %s/mini && cp fx fx_bad && head -c 100 mini_debuginfo.xz > bad.xz && "
		"objcopy --update-section .gnu_debugdata=bad.xz fx_bad", dir)) {
		snprintf(path, sizeof(path), "%s/mini/fx_bad", dir);
		e = sym_elf_open(path);
		CHECK(e && sym_elf_sources(e) == SYM_SRC_DYNSYM, "truncated MiniDebugInfo: sources %#x",
		      sym_elf_sources(e));
		sym_elf_close(e);
		check_alone_file(path, "truncated MiniDebugInfo", false);
	}
}

/* --- Processes for the other sources ------------------------------------------------------ */

struct proc_fx {
	pid_t pid;
	int to;     /* its stdin */
	FILE *from; /* its stdout */
};

/* Starts path with argv; before exec, the child runs setup (NULL: none), exiting 126 if it fails. */
static bool proc_start(struct proc_fx *c, char *const argv[], bool (*setup)(void *), void *arg)
{
	int in[2], out[2];
	*c = (struct proc_fx){.pid = -1, .to = -1};
	if (pipe(in) || pipe(out))
		return false;
	fflush(NULL);
	c->pid = fork();
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		if (setup && !setup(arg))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = in[1];
	c->from = fdopen(out[0], "r");
	return c->pid > 0 && c->from;
}

/* Closes its stdin (the fixtures exit then) and reaps it. */
static int proc_stop(struct proc_fx *c)
{
	int status = -1;
	if (c->to >= 0)
		close(c->to);
	if (c->pid > 0)
		waitpid(c->pid, &status, 0);
	if (c->from)
		fclose(c->from);
	*c = (struct proc_fx){.pid = -1, .to = -1};
	return status;
}

static bool read_addrs(struct proc_fx *c, uint64_t *addrs, int n)
{
	for (int i = 0; i < n; i++) {
		void *a;
		if (fscanf(c->from, "%p", &a) != 1)
			return false;
		addrs[i] = (uintptr_t)a;
	}
	return true;
}

static void test_perf_map(void)
{
	char jit[512];
	snprintf(jit, sizeof(jit), "%s/jit", dir);
	char *argv[] = {jit, NULL};
	struct proc_fx c;
	uint64_t code = 0;
	bool started = proc_start(&c, argv, NULL, NULL) && read_addrs(&c, &code, 1);
	CHECK(started, "start the JIT fixture");
	if (!started) {
		proc_stop(&c);
		return;
	}
	char map[64], label[64], buf[256];
	snprintf(map, sizeof(map), "/tmp/perf-%d.map", (int)c.pid);
	snprintf(label, sizeof(label), "jit_one+0x5 [perf-%d.map]", (int)c.pid);
	struct sym_proc *p = sym_proc_open(c.pid);
	struct bcct_sym got;
	bool ok = sym_user(p, code + 5, &got);
	CHECK(ok && streq(got.name, "jit_one") && got.offset == 5 && streq(got.module, map),
	      "perf map: got %s+%" PRIu64 " in %s", got.name, got.offset, got.module);
	CHECK(streq(sym_format_ex(&got, ok, SYM_FMT_OFFSET | SYM_FMT_MODULE, buf, sizeof(buf)), label),
	      "perf map frame: %s", buf);
	const char *first = got.name;
	ok = sym_user(p, code + 0x43, &got);
	CHECK(ok && streq(got.name, "LazyCompile:~two /app/x.js:12") && got.offset == 3,
	      "perf map name with spaces: got %s+%" PRIu64, got.name, got.offset);
	ok = sym_user(p, code + 0x210, &got);
	CHECK(!ok && streq(got.module, "[unknown]"), "not yet in the perf map: %s in %s", got.name,
	      got.module);
	CHECK(streq(sym_format_ex(&got, ok, SYM_FMT_OFFSET | SYM_FMT_MODULE, buf, sizeof(buf)), "[unknown]"),
	      "anonymous unknown frame: %s", buf);

	/* The JIT appends; the next miss reads what was added, a newer entry wins, and the name
	 * handed out before stays valid. */
	char line[64] = "";
	bool appended = write(c.to, "a", 1) == 1 && fscanf(c.from, " %63s", line) == 1 && streq(line, "ok");
	CHECK(appended, "JIT fixture appended to its map");
	ok = sym_user(p, code + 0x210, &got);
	CHECK(ok && streq(got.name, "jit_three [hot]") && got.offset == 0x10,
	      "perf map reloaded: got %s+%" PRIu64, got.name, got.offset);
	ok = sym_user(p, code + 5, &got);
	CHECK(ok && streq(got.name, "jit_one_v2") && got.offset == 5, "later entry wins: got %s", got.name);
	CHECK(streq(first, "jit_one"), "earlier name still valid: %s", first);

	/* Gone: the map removed and the process reaped, what was read still answers. */
	proc_stop(&c);
	ok = sym_user(p, code + 0x43, &got);
	CHECK(ok && streq(got.name, "LazyCompile:~two /app/x.js:12"), "exited JIT: got %s", got.name);
	sym_proc_close(p);
}

struct ns_setup {
	const char *src;  /* the program, visible outside */
	const char *mnt;  /* empty directory outside; a private tmpfs inside */
	const char *exe;  /* where the copy lives inside */
};

static bool copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	char buf[65536];
	ssize_t n = 0;
	bool ok = in >= 0 && out >= 0;
	while (ok && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, (size_t)n) == n;
	ok = ok && n == 0;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0)
		ok = false;
	return ok;
}

/* In the child: its own mount namespace, a tmpfs nobody else sees, the program copied there. */
static bool enter_namespace(void *arg)
{
	const struct ns_setup *s = arg;
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/only-here", s->mnt);
	return unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	       mount("tmpfs", s->mnt, "tmpfs", 0, "size=16m") == 0 && mkdir(sub, 0755) == 0 &&
	       copy_file(s->src, s->exe, 0755);
}

static void test_mount_namespace(void)
{
	if (geteuid() != 0) {
		printf("symbolize: not root, mount namespace test skipped\n");
		return;
	}
	char src[512], mnt[512], exe[600];
	snprintf(src, sizeof(src), "%s/alone", dir);
	snprintf(mnt, sizeof(mnt), "%s/nsmnt", dir);
	snprintf(exe, sizeof(exe), "%s/only-here/fx_ns", mnt);
	mkdir(mnt, 0755);
	struct ns_setup setup = {src, mnt, exe};
	char *argv[] = {exe, "wait", NULL};
	struct proc_fx c;
	uint64_t addrs[5];
	bool started = proc_start(&c, argv, enter_namespace, &setup) && read_addrs(&c, addrs, 5);
	CHECK(started, "start the fixture in its own mount namespace");
	if (started) {
		CHECK(access(exe, F_OK) != 0, "%s must not exist outside the namespace", exe);
		struct sym_proc *p = sym_proc_open(c.pid);
		for (int i = 0; i < 5; i++) {
			char what[128];
			snprintf(what, sizeof(what), "mount namespace %s", ALONE_NAMES[i]);
			check_user(p, addrs[i], ALONE_NAMES[i], 1, what);
		}
		struct bcct_sym got;
		sym_user(p, addrs[1], &got);
		CHECK(streq(got.module, exe), "mount namespace module %s", got.module);
		sym_proc_close(p);
	}
	int status = proc_stop(&c);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 126 && WEXITSTATUS(status) != 127,
	      "namespace fixture: setup or exec failed (status %#x)", status);

	/* Again under another name (a new tmpfs may reuse the old one's device and inode numbers:
	 * the file would come from the cache), with another program at that path outside; the
	 * process exits before its file is opened: that other file must not name its frames. */
	char decoy_dir[600];
	snprintf(decoy_dir, sizeof(decoy_dir), "%s/only-here", mnt);
	snprintf(exe, sizeof(exe), "%s/only-here/fx_ns2", mnt);
	if (!run("mkdir -p %s && cp %s/fx_nopie %s", decoy_dir, dir, exe))
		return;
	started = proc_start(&c, argv, enter_namespace, &setup) && read_addrs(&c, addrs, 5);
	CHECK(started, "start the fixture in its own mount namespace again");
	struct sym_proc *p = started ? sym_proc_open(c.pid) : NULL;
	proc_stop(&c);
	for (int i = 0; p && i < 5; i++) {
		struct bcct_sym got;
		bool ok = sym_user(p, addrs[i] + 1, &got);
		CHECK(!ok && streq(got.module, exe), "gone from its namespace: %s named %s in %s",
		      ALONE_NAMES[i], got.name, got.module);
	}
	sym_proc_close(p);
}

/* A stripped library with its debug file beside it, loaded, then unlinked: map_files reaches
 * the mapped inode, the debug file is found in the directory the library was mapped from. */
static void test_deleted_library(void)
{
	char lib[512], want[600];
	snprintf(lib, sizeof(lib), "%s/del/libdel.so", dir);
	bool built = run("mkdir -p %s/del && cp %s/libfx.so %s && cd %s/del && "
			 "objcopy --only-keep-debug libdel.so libdel.so.debug && "
			 "objcopy --strip-all --add-gnu-debuglink=libdel.so.debug libdel.so",
			 dir, dir, lib, dir);
	void *h = built ? dlopen(lib, RTLD_NOW | RTLD_LOCAL) : NULL;
	CHECK(h, "dlopen %s: %s", lib, built ? dlerror() : "not built");
	if (!h)
		return;
	void (*addresses)(void **, void **) = (void (*)(void **, void **))dlsym(h, "lib_addresses");
	void *alpha = NULL, *beta = NULL;
	if (addresses)
		addresses(&alpha, &beta);
	CHECK(alpha && beta && unlink(lib) == 0, "lib_addresses and unlink");
	struct sym_proc *p = sym_proc_open(getpid());
	check_user(p, (uintptr_t)alpha, "lib_alpha", 2, "deleted library, exported");
	check_user(p, (uintptr_t)beta, "lib_beta", 2, "deleted library, static via its debug file");
	struct bcct_sym got;
	sym_user(p, (uintptr_t)beta, &got);
	snprintf(want, sizeof(want), "%s (deleted)", lib);
	CHECK(streq(got.module, want), "deleted module %s", got.module);
	sym_proc_close(p);
	dlclose(h);
}

/* Our vDSO written to a file, for nm; its load address from its own program headers. */
static bool vdso_reference(uint64_t *load_vaddr, uint64_t *func, const char **func_name)
{
	uint64_t base = getauxval(AT_SYSINFO_EHDR);
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	uint64_t start = 0, end = 0;
	while (maps && fgets(line, sizeof(line), maps))
		if (strstr(line, "[vdso]") && sscanf(line, "%" SCNx64 "-%" SCNx64, &start, &end) == 2)
			break;
	if (maps)
		fclose(maps);
	if (!base || start != base || end <= start)
		return false;
	char path[512];
	snprintf(path, sizeof(path), "%s/vdso.so", dir);
	FILE *f = fopen(path, "w");
	bool ok = f && fwrite((void *)(uintptr_t)base, 1, end - start, f) == end - start;
	if (f)
		fclose(f);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(uintptr_t)base;
	*load_vaddr = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(uintptr_t)(base + eh->e_phoff + (uint64_t)i * eh->e_phentsize);
		if (ph->p_type == PT_LOAD) {
			*load_vaddr = ph->p_vaddr - ph->p_offset;
			break;
		}
	}
	struct nm_table t = nm_read(path, true);
	static char name[256];
	const struct nm_sym *s = nm_find(&t, "clock_gettime");
	if (!s)
		s = nm_find(&t, "__vdso_clock_gettime");
	if (!s)
		s = nm_find(&t, "__kernel_clock_gettime");
	if (s) {
		*func = s->addr;
		snprintf(name, sizeof(name), "%s", s->name);
		*func_name = name;
	}
	free(t.syms);
	if (ok)
		check_elf_against_nm(path, true);
	return ok && s;
}

static bool is_clock_gettime(const char *name)
{
	return streq(name, "clock_gettime") || streq(name, "__vdso_clock_gettime") ||
	       streq(name, "__kernel_clock_gettime");
}

static void test_vdso(void)
{
	uint64_t load = 0, func = 0;
	const char *name = NULL;
	if (!vdso_reference(&load, &func, &name)) {
		CHECK(getauxval(AT_SYSINFO_EHDR) == 0, "our vDSO has a clock_gettime for nm");
		return;
	}
	uint64_t base = getauxval(AT_SYSINFO_EHDR);
	struct sym_proc *p = sym_proc_open(getpid());
	struct bcct_sym got;
	bool ok = sym_user(p, base + func - load + 3, &got);
	CHECK(ok && is_clock_gettime(got.name) && got.offset == 3 && streq(got.module, "[vdso]"),
	      "own vDSO: want %s+3, got %s+%" PRIu64 " in %s", name, got.name, got.offset, got.module);
	char buf[128];
	ok = sym_user(p, base + 4, &got); /* the ELF header: no function */
	CHECK(!ok && streq(sym_format_ex(&got, ok, SYM_FMT_LOCATION, buf, sizeof(buf)), "[unknown] ([vdso]+0x4)"),
	      "vDSO unknown frame: %s", buf);
	sym_proc_close(p);

	/* Another process: its own [vdso] address (ASLR), read from its memory. */
	char exe[512];
	snprintf(exe, sizeof(exe), "%s/alone", dir);
	char *argv[] = {exe, "wait", NULL};
	struct proc_fx c;
	uint64_t addrs[5];
	bool started = proc_start(&c, argv, NULL, NULL) && read_addrs(&c, addrs, 5);
	CHECK(started, "start a process for its vDSO");
	if (started) {
		char path[64], line[512];
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)c.pid);
		FILE *maps = fopen(path, "r");
		uint64_t start = 0, end;
		while (maps && fgets(line, sizeof(line), maps))
			if (strstr(line, "[vdso]") && sscanf(line, "%" SCNx64 "-%" SCNx64, &start, &end) == 2)
				break;
		if (maps)
			fclose(maps);
		p = sym_proc_open(c.pid);
		ok = start && sym_user(p, start + func - load, &got);
		CHECK(ok && is_clock_gettime(got.name) && got.offset == 0,
		      "child vDSO at %#" PRIx64 ": got %s+%" PRIu64, start, got.name, got.offset);
		sym_proc_close(p);
	}
	proc_stop(&c);
}

/* Stacks are often printed after their processes exited. */
static void test_exited(void)
{
	char exe[512];
	snprintf(exe, sizeof(exe), "%s/exit_copy", dir);
	if (!run("cp %s/alone %s", dir, exe))
		return;
	char *argv[] = {exe, "wait", NULL};
	struct proc_fx c;
	uint64_t addrs[5];
	bool started = proc_start(&c, argv, NULL, NULL) && read_addrs(&c, addrs, 5);
	CHECK(started, "start a process that will exit");
	if (!started) {
		proc_stop(&c);
		return;
	}
	pid_t pid = c.pid;
	struct sym_cache *cache = sym_cache_new();
	struct sym_proc *p = sym_cache_get(cache, pid); /* maps read, its file not opened yet */
	proc_stop(&c);
	CHECK(access("/proc/self", F_OK) == 0 && kill(pid, 0) != 0 && errno == ESRCH, "pid %d is gone", pid);
	CHECK(sym_cache_get(cache, pid) == p, "the cache keeps a gone process");
	check_user(p, addrs[1], "fx_beta", 1, "after exit, file opened by its path");
	check_user(p, addrs[3], "fx_delta", 0, "after exit, file cached");

	/* Opened after the exit: an object that resolves nothing. */
	struct sym_proc *gone = sym_proc_open(pid);
	struct bcct_sym got;
	char buf[64];
	bool ok = gone && sym_user(gone, addrs[0], &got);
	CHECK(gone && !ok && !got.module &&
		      streq(sym_format_ex(&got, ok, SYM_FMT_OFFSET | SYM_FMT_LOCATION, buf, sizeof(buf)), "[unknown]"),
	      "gone process: %p resolved %s in %s", (void *)gone, got.name, got.module);
	sym_proc_close(gone);
	sym_cache_free(cache);
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

/* The parsers behind sym_kernel and perf maps, on text in memory (what the fuzz targets use). */
static void test_kallsyms_buffer(void)
{
	static const char text[] =
		"0000000000000000 T hidden_by_kptr_restrict\n"
		"ffffffff81000000 T _stext\n"
		"ffffffff81000100 t __schedule\n"
		"ffffffff81000100 T schedule\n"
		"ffffffff81000200 D some_data\n"
		"ffffffff81000300 W weak_fn\n"
		"ffffffffc0001000 t ext4_fill_super\t[ext4]\n"
		"ffffffffc0001100 t ext4_iget\t[ext4]\n"
		"ffffffff81000050 t late_trampoline\n" /* out of order, as BPF programs trail */
		"garbage line\n"
		"ffffffffc0002000 t xfs_last\t[xfs]"; /* no final newline */
	char *buf = malloc(sizeof(text));
	memcpy(buf, text, sizeof(text));
	struct ksym_table t;
	bool ok = kallsyms_parse_buffer(buf, sizeof(text) - 1, &t);
	CHECK(ok && t.count == 8, "kallsyms buffer: %zu text symbols", t.count);
	struct bcct_sym got;
	ok = kallsyms_lookup(&t, 0xffffffff81000105ULL, &got);
	CHECK(ok && streq(got.name, "schedule") && got.offset == 5 && streq(got.module, "[kernel]"),
	      "kallsyms alias preference: got %s+%" PRIu64, got.name, got.offset);
	ok = kallsyms_lookup(&t, 0xffffffff81000060ULL, &got);
	CHECK(ok && streq(got.name, "late_trampoline") && got.offset == 0x10,
	      "kallsyms unsorted tail: got %s", got.name);
	ok = kallsyms_lookup(&t, 0xffffffffc0001104ULL, &got);
	CHECK(ok && streq(got.name, "ext4_iget") && streq(got.module, "ext4"),
	      "kallsyms module: got %s [%s]", got.name, got.module);
	ok = kallsyms_lookup(&t, 0xffffffffc0002001ULL, &got);
	CHECK(ok && streq(got.name, "xfs_last") && streq(got.module, "xfs"),
	      "kallsyms last line without newline: got %s [%s]", got.name, got.module);
	CHECK(!kallsyms_lookup(&t, 0xffffffff80000000ULL, &got), "kallsyms: below the first symbol");
	CHECK(kallsyms_addr(&t, "weak_fn") == 0xffffffff81000300ULL, "kallsyms_addr(weak_fn)");
	CHECK(kallsyms_addr(&t, "some_data") == 0 && kallsyms_addr(&t, "hidden_by_kptr_restrict") == 0,
	      "kallsyms: data and hidden symbols left out");
	kallsyms_free(&t);

	char *hidden = strdup("0000000000000000 T _stext\n0000000000000000 t x\n");
	CHECK(!kallsyms_parse_buffer(hidden, strlen(hidden), &t) && t.count == 0,
	      "kallsyms: addresses all hidden");
}

static void test_perf_map_buffer(void)
{
	static const char first[] = "7f0000001000 40 LazyCompile:~main /app/x.js:3\n"
				    "0x7f0000001040 0x20 Function:foo\r\n"
				    "bad line\n"
				    "7f0000001060 0 zero_size\n"
				    "7f0000001100 10 no_newline";
	struct sym_perf_map *m = sym_perf_map_from_buffer(first, sizeof(first) - 1);
	struct bcct_sym got;
	bool ok = m && sym_perf_map_lookup(m, 0x7f0000001003ULL, &got);
	CHECK(ok && streq(got.name, "LazyCompile:~main /app/x.js:3") && got.offset == 3,
	      "perf map buffer: got %s", got.name);
	const char *kept = got.name;
	ok = m && sym_perf_map_lookup(m, 0x7f000000105fULL, &got);
	CHECK(ok && streq(got.name, "Function:foo"), "perf map buffer, CRLF: got %s", got.name);
	ok = m && sym_perf_map_lookup(m, 0x7f0000001105ULL, &got);
	CHECK(ok && streq(got.name, "no_newline"), "perf map buffer, last line: got %s", got.name);
	CHECK(m && !sym_perf_map_lookup(m, 0x7f0000001060ULL, &got), "perf map buffer: size 0 ignored");
	static const char more[] = "7f0000001000 8 main_v2\n7f0000002000 10 added\n";
	ok = m && sym_perf_map_add_buffer(m, more, sizeof(more) - 1);
	ok = ok && sym_perf_map_lookup(m, 0x7f0000001003ULL, &got);
	CHECK(ok && streq(got.name, "main_v2"), "perf map buffer appended: later wins, got %s", got.name);
	/* The code at that start was replaced: the old entry's range goes with it. */
	CHECK(m && !sym_perf_map_lookup(m, 0x7f0000001010ULL, &got),
	      "perf map buffer: a replaced entry's rest is not named, got %s", got.name);
	ok = m && sym_perf_map_lookup(m, 0x7f000000200fULL, &got);
	CHECK(ok && streq(got.name, "added"), "perf map buffer appended: got %s", got.name);
	CHECK(streq(kept, "LazyCompile:~main /app/x.js:3"), "perf map buffer: names stay valid");
	sym_perf_map_free(m);
}

/* A call to a function that never returns, as the last instruction of its caller: the return
 * address is one past the caller's end, and names the caller. And addresses past a sized symbol
 * nested inside another name the enclosing one. */
static void test_noreturn_caller(void)
{
	char src[512], lib[512];
	snprintf(src, sizeof(src), "%s/noret.c", dir);
	snprintf(lib, sizeof(lib), "%s/libnoret.so", dir);
	if (!write_file(src, "#include <stdlib.h>\n"
			     "__attribute__((noinline)) void ends_in_abort(int x) { if (x) abort(); exit(x); }\n"
			     "__attribute__((noinline)) int after_it(int x) { return x * 3; }\n"
			     /* A sized symbol nested inside another, as assembly has them. */
			     "__asm__(\".text\\n.globl outer_asm\\n.type outer_asm,@function\\n"
			     "outer_asm:\\n nop\\n nop\\n.type inner_lbl,@function\\ninner_lbl:\\n"
			     " nop\\n nop\\n.size inner_lbl,2\\n nop\\n nop\\n ret\\n"
			     ".size outer_asm,.-outer_asm\\n\");\n") ||
	    !run("gcc -O2 -fPIC -shared -falign-functions=64 %s -o %s", src, lib)) {
		CHECK(false, "build %s", lib);
		return;
	}
	struct nm_table t = nm_read(lib, false);
	const struct nm_sym *f = nm_find(&t, "ends_in_abort"), *next = nm_find(&t, "after_it");
	struct sym_elf *e = sym_elf_open(lib);
	CHECK(f && f->size && next && e, "noreturn fixture symbols");
	if (f && f->size && next && e && next->addr != f->addr + f->size) {
		struct bcct_sym got;
		bool ok = sym_elf_lookup(e, f->addr + f->size, &got);
		CHECK(ok && streq(got.name, "ends_in_abort") && got.offset == f->size,
		      "return address past the caller's end: got %s+%" PRIu64, got.name, got.offset);
		CHECK(!sym_elf_lookup(e, f->addr + f->size + 1, &got), "padding after the caller: got %s",
		      got.name);
	}
	const struct nm_sym *o = nm_find(&t, "outer_asm"), *in = nm_find(&t, "inner_lbl");
	CHECK(o && in && o->size == 7 && in->addr == o->addr + 2, "nested fixture symbols");
	if (o && in && e) {
		struct bcct_sym got;
		bool ok = sym_elf_lookup(e, o->addr + 3, &got);
		CHECK(ok && streq(got.name, "inner_lbl") && got.offset == 1, "nested: got %s", got.name);
		for (uint64_t off = 4; off < 7; off++) {
			ok = sym_elf_lookup(e, o->addr + off, &got);
			CHECK(ok && streq(got.name, "outer_asm") && got.offset == off,
			      "after the nested symbol, outer_asm+%" PRIu64 ": got %s+%" PRIu64, off, got.name,
			      got.offset);
		}
	}
	sym_elf_close(e);
	free(t.syms);
}

static void test_format(void)
{
	char buf[64];
	struct bcct_sym s = {.name = "vfs_read", .offset = 0x1a};
	CHECK(streq(sym_format(&s, true, false, buf, sizeof(buf)), "vfs_read"), "format name");
	CHECK(streq(sym_format(&s, true, true, buf, sizeof(buf)), "vfs_read+0x1a"), "format offset");
	CHECK(streq(sym_format(&s, false, true, buf, sizeof(buf)), "[unknown]"), "format unknown");
	CHECK(streq(sym_format(&s, true, true, buf, 6), "vfs_r"), "format truncates");

	/* BCC's show_module: base names of files, [kernel], kernel module names. */
	char big[256];
	struct bcct_sym u = {.name = "printf", .offset = 5, .module = "/usr/lib/x86_64-linux-gnu/libc.so.6",
			     .module_offset = 0x60105};
	CHECK(streq(sym_format_ex(&u, true, SYM_FMT_OFFSET | SYM_FMT_MODULE, big, sizeof(big)),
		    "printf+0x5 [libc.so.6]"), "format module: %s", big);
	CHECK(streq(sym_format_ex(&u, true, SYM_FMT_MODULE, big, sizeof(big)), "printf [libc.so.6]"),
	      "format module without offset: %s", big);
	CHECK(streq(sym_format_ex(&u, true, SYM_FMT_LOCATION, big, sizeof(big)), "printf"),
	      "location only for unknown frames: %s", big);
	struct bcct_sym k = {.name = "vfs_read", .offset = 0, .module = "[kernel]"};
	CHECK(streq(sym_format_ex(&k, true, SYM_FMT_OFFSET | SYM_FMT_MODULE, big, sizeof(big)),
		    "vfs_read+0x0 [kernel]"), "format kernel module: %s", big);
	struct bcct_sym km = {.name = "ext4_file_read_iter", .offset = 0x10, .module = "ext4"};
	CHECK(streq(sym_format_ex(&km, true, SYM_FMT_MODULE, big, sizeof(big)), "ext4_file_read_iter [ext4]"),
	      "format kernel module name: %s", big);
	/* Unresolved: where, when asked. */
	struct bcct_sym unk = {.module = "/usr/lib/libfoo.so", .module_offset = 0x1234};
	CHECK(streq(sym_format_ex(&unk, false, SYM_FMT_OFFSET | SYM_FMT_LOCATION, big, sizeof(big)),
		    "[unknown] (/usr/lib/libfoo.so+0x1234)"), "format location: %s", big);
	CHECK(streq(sym_format_ex(&unk, false, SYM_FMT_MODULE, big, sizeof(big)), "[unknown] [libfoo.so]"),
	      "format unknown with module: %s", big);
	CHECK(streq(sym_format_ex(&unk, false, SYM_FMT_OFFSET, big, sizeof(big)), "[unknown]"),
	      "format unknown plain: %s", big);
	struct bcct_sym anon = {.module = "[unknown]", .module_offset = 0x40};
	CHECK(streq(sym_format_ex(&anon, false, SYM_FMT_LOCATION | SYM_FMT_MODULE, big, sizeof(big)), "[unknown]"),
	      "format anonymous: %s", big);
	struct bcct_sym none = {0};
	CHECK(streq(sym_format_ex(&none, false, SYM_FMT_LOCATION | SYM_FMT_MODULE, big, sizeof(big)), "[unknown]"),
	      "format no module: %s", big);
	CHECK(streq(sym_format_ex(NULL, false, SYM_FMT_LOCATION, big, sizeof(big)), "[unknown]"),
	      "format NULL: %s", big);
	CHECK(streq(sym_format_ex(&unk, false, SYM_FMT_LOCATION, buf, 20), "[unknown] (/usr/lib"),
	      "format location truncates: %s", buf);
}

int main(void)
{
	test_format();
	test_kernel();
	test_kallsyms_buffer();
	test_perf_map_buffer();
	test_self();
	if (build_fixtures()) {
		test_elf_files();
		test_noreturn_caller();
		struct sym_cache *cache = sym_cache_new();
		test_child("fx_nopie", cache);
		test_child("fx_pie", cache);
		sym_cache_free(cache);
		if (build_source_fixtures()) {
			test_debuglink();
			test_build_id();
			test_minidebuginfo();
			sym_set_debug_root(NULL);
			test_perf_map();
			test_mount_namespace();
			test_deleted_library();
			test_vdso();
			test_exited();
		} else {
			failed++;
			fprintf(stderr, "FAIL: could not build the debug-info fixtures in %s\n", dir);
		}
		free(alone_nm.syms);
		run("rm -rf '%s'", dir);
	} else {
		failed++;
		fprintf(stderr, "FAIL: could not build fixtures with gcc in %s\n", dir);
	}
	return check_summary("symbolize");
}
