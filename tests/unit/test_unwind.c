/* DWARF unwinding (symbolize/unwind.c) of a stack captured the way bcct's BPF programs capture
 * one: a fixture built here with gcc -O2 -fomit-frame-pointer (dynamic, so libc's and the
 * fixture's .eh_frame_hdr are used, and -static, where the search table is built from .eh_frame)
 * records its registers and the top of its stack inside main -> level1 -> level2 -> capture,
 * writes them to a pipe and waits; the unwinder, reading that copy and the process's mapped
 * files, must give back capture, level2, level1, main (named through symbolize/).
 * Needs gcc. Prints "unwind: N passed, M failed"; exits 1 on any failure. */
#include "symbolize/symbolize.h"
#include "symbolize/unwind.h"
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define STACK 4096

static const char fixture[] =
	"#include <stdint.h>\n"
	"#include <string.h>\n"
	"#include <unistd.h>\n"
	"static volatile unsigned long sink;\n"
	"__attribute__((noipa)) unsigned long capture(void)\n"
	"{\n"
	"	uint64_t r[17] = {0}, ip, sp;\n"
	"	static unsigned char copy[" "4096" "];\n"
	"	int pid = getpid();\n"
	"	/* rip and rsp at the same instruction; callee-saved registers as they are there */\n"
	"	__asm__ volatile(\"lea 0(%%rip), %0\\n\\tmov %%rsp, %1\\n\\tmov %%rbx, %2\\n\\t\"\n"
	"		\"mov %%rbp, %3\\n\\tmov %%r12, %4\\n\\tmov %%r13, %5\\n\\tmov %%r14, %6\\n\\t\"\n"
	"		\"mov %%r15, %7\" : \"=r\"(ip), \"=r\"(sp), \"=m\"(r[3]), \"=m\"(r[6]),\n"
	"		\"=m\"(r[12]), \"=m\"(r[13]), \"=m\"(r[14]), \"=m\"(r[15]));\n"
	"	r[7] = sp; r[16] = ip;\n"
	"	memcpy(copy, (void *)sp, sizeof(copy));\n"
	"	write(1, &pid, sizeof(pid));\n"
	"	write(1, r, sizeof(r));\n"
	"	write(1, copy, sizeof(copy));\n"
	"	close(1);\n"
	"	pause();\n"
	"	return sink + r[0];\n"
	"}\n"
	"__attribute__((noipa)) unsigned long level2(void) { unsigned long r = capture(); sink += r; return r + 2; }\n"
	"__attribute__((noipa)) unsigned long level1(void) { unsigned long r = level2(); sink += r; return r + 1; }\n"
	/* main's 16 KiB of padding keeps the 4 KiB above capture()'s stack pointer mapped: with
	 * little environment, the top of the stack can be closer than that (a flaky SIGSEGV) */
	"int main(void) { volatile char pad[16384]; pad[0] = 0; sink = level1() + pad[0]; return 0; }\n";

static char dir[] = "/tmp/bcct-unwindtest.XXXXXX";

static void run_variant(const char *flags, const char *name)
{
	char cmd[1024], path[512];
	uint64_t regs[SYM_UNWIND_NREGS], ips[64];
	static unsigned char stack[STACK];
	int pid = 0, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(cmd, sizeof(cmd), "gcc -O2 -fomit-frame-pointer -g %s -o %s %s/fx.c", flags, path, dir);
	if (system(cmd) != 0) {
		printf("note: %s not built (gcc %s failed), skipped\n", name, flags);
		return;
	}
	snprintf(cmd, sizeof(cmd), "exec %s", path);
	f = popen(cmd, "r");
	CHECK(f, "popen %s", path);
	if (!f)
		return;
	bool got = fread(&pid, sizeof(pid), 1, f) == 1 && fread(regs, sizeof(regs), 1, f) == 1 &&
		   fread(stack, sizeof(stack), 1, f) == 1;
	CHECK(got && pid > 0, "%s: read the captured stack", name);
	if (got && pid > 0) {
		struct sym_unwinder *u = sym_unwinder_new();
		struct sym_proc *p = sym_proc_open(pid);
		const char *want[] = {"capture", "level2", "level1", "main"};
		char chain[1024] = "";

		n = sym_unwind(u, pid, regs, stack, sizeof(stack), ips, 64);
		for (int i = 0; i < n; i++) {
			struct bcct_sym s;
			size_t at = strlen(chain);
			snprintf(chain + at, sizeof(chain) - at, "%s%s", i ? ";" : "",
				 sym_user(p, ips[i], &s) ? s.name : "?");
		}
		CHECK(n >= 4, "%s: %d frames: %s", name, n, chain);
		for (int i = 0; i < 4 && i < n; i++) {
			struct bcct_sym s;
			bool ok = sym_user(p, ips[i], &s);
			CHECK(ok && !strcmp(s.name, want[i]), "%s: frame %d is %s, want %s (%s)", name, i,
			      ok ? s.name : "?", want[i], chain);
		}
		/* a stack copy too short to hold the return address stops the unwind early */
		n = sym_unwind(u, pid, regs, stack, 8, ips, 64);
		CHECK(n >= 1 && n < 4, "%s: truncated copy gives %d frames", name, n);
		sym_proc_close(p);
		sym_unwinder_free(u);
		printf("%s: %s\n", name, chain);
	}
	if (pid > 0)
		kill(pid, SIGKILL);
	pclose(f);
}

/* sym_entry_caller_fix: frame-pointer stacks taken at a function's entry, with the kernel's
 * fix-up (6.12+, functions that push %rbp first) and without. f: the probed function's ip; C:
 * the return address into its caller (the word at sp); M, L: return addresses further out; X: a
 * call site inside f itself (recursion). */
static void check_entry_caller(const char *what, const uint64_t *in, int n, int cap, uint64_t ret,
			       uint64_t next, const uint64_t *want, int want_n)
{
	uint64_t ips[8] = { 0 };
	int got;

	memcpy(ips, in, n * sizeof(*ips));
	got = sym_entry_caller_fix(ips, n, cap, ret, next);
	CHECK(got == want_n && !memcmp(ips, want, want_n * sizeof(*ips)),
	      "entry caller, %s: %d frames (want %d), frame 1 %#llx", what, got, want_n,
	      (unsigned long long)ips[1]);
}

static void entry_caller_tests(void)
{
	enum { f = 0x1000, C = 0x2000, M = 0x3000, L = 0x4000, X = 0x1010 };

	check_entry_caller("no fix-up: caller inserted", (uint64_t[]){ f, M, L }, 3, 8, C, M,
			   (uint64_t[]){ f, C, M, L }, 4);
	check_entry_caller("kernel added it: unchanged", (uint64_t[]){ f, C, M, L }, 4, 8, C, M,
			   (uint64_t[]){ f, C, M, L }, 4);
	check_entry_caller("no probe at an entry (ret 0)", (uint64_t[]){ f, M, L }, 3, 8, 0, 0,
			   (uint64_t[]){ f, M, L }, 3);
	/* rbp not a frame (caller without frame pointers): the walk ends at once */
	check_entry_caller("no walk, no fix-up", (uint64_t[]){ f }, 1, 8, C, 0,
			   (uint64_t[]){ f, C }, 2);
	check_entry_caller("no walk, kernel added it", (uint64_t[]){ f, C }, 2, 8, C, 0,
			   (uint64_t[]){ f, C }, 2);
	/* main -> f (returns to M) -> f (X) -> f (X): the caller equals the walk's first frame */
	check_entry_caller("recursion, no fix-up", (uint64_t[]){ f, X, M }, 3, 8, X, X,
			   (uint64_t[]){ f, X, X, M }, 4);
	check_entry_caller("recursion, kernel added it", (uint64_t[]){ f, X, X, M }, 4, 8, X, X,
			   (uint64_t[]){ f, X, X, M }, 4);
	/* a full stack keeps its size: the outermost frame goes */
	check_entry_caller("full stack", (uint64_t[]){ f, M, L }, 3, 3, C, M,
			   (uint64_t[]){ f, C, M }, 3);
}

int main(void)
{
	char path[512];
	FILE *f;

	entry_caller_tests();
	if (system("command -v gcc >/dev/null 2>&1") != 0) {
		printf("unwind: fixture skipped (no gcc)\n");
		return check_summary("unwind");
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/fx.c", dir);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fputs(fixture, f);
	fclose(f);
	run_variant("", "fx_dyn");
	run_variant("-static", "fx_static");
	run_variant("-static-pie", "fx_static_pie");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (!getenv("KEEP"))
		(void)!system(path);
	return check_summary("unwind");
}
