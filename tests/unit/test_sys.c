/* core/sys: the maps iterator (spaces and " (deleted)" in paths, over-long and malformed lines,
 * our own maps), ELF segments and function symbols (of this test binary), read-file bounds and
 * refusals, and the name tables. No privileges. */
#include "core/sys/sys.h"
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static char dir[] = "/tmp/bcct-test-sys.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static bool write_file(const char *name, const char *text, size_t len)
{
	FILE *f = fopen(tmp_path(name), "w");
	bool ok = f && fwrite(text, 1, len, f) == len;

	if (f)
		fclose(f);
	return ok;
}

/* Up to max mappings of a maps-format file. */
static int read_maps(const char *name, struct sys_mapping *out, char paths[][256], int max)
{
	struct sys_maps it;
	struct sys_mapping m;
	int n = 0;

	if (!sys_maps_open_path(&it, tmp_path(name)))
		return -1;
	while (n < max && sys_maps_next(&it, &m)) {
		out[n] = m;
		snprintf(paths[n], 256, "%s", m.path);
		out[n].path = paths[n];
		n++;
	}
	sys_maps_close(&it);
	return n;
}

static void test_maps(void)
{
	static const char text[] =
		"55d0c0a00000-55d0c0a02000 r--p 00000000 08:01 1234                       /usr/bin/my prog\n"
		"55d0c0a02000-55d0c0a08000 r-xp 00002000 08:01 1234                       /usr/bin/my prog\n"
		"7f0000000000-7f0000001000 r-xp 00001000 00:05 77                         /memfd:jit (deleted)\n"
		"7f0000001000-7f0000002000 r-xp 00000000 fd:02 99                         /tmp/a b/lib x.so (deleted)\n"
		"this is not a mapping\n"
		"7f0000002000-7f0000003000 rw-p 00000000 00:00 0 \n"
		"7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]";
	struct sys_mapping m[16];
	char paths[16][256];
	int n;

	CHECK(write_file("maps", text, strlen(text)), "writing maps");
	n = read_maps("maps", m, paths, 16);
	CHECK(n == 7, "7 mappings (the malformed line skipped, the last without newline kept): %d", n);
	if (n != 7)
		return;
	CHECK(m[0].start == 0x55d0c0a00000 && m[0].end == 0x55d0c0a02000 && !m[0].exec &&
	      !strcmp(m[0].perms, "r--p"), "first mapping's fields");
	CHECK(!strcmp(m[1].path, "/usr/bin/my prog") && m[1].exec && m[1].offset == 0x2000 &&
	      m[1].major == 8 && m[1].minor == 1 && m[1].inode == 1234 && !m[1].deleted &&
	      m[1].file_len == strlen("/usr/bin/my prog"), "a path with a space: '%s'", m[1].path);
	CHECK(m[2].deleted && !strcmp(m[2].path, "/memfd:jit (deleted)") &&
	      m[2].file_len == strlen("/memfd:jit"), "a deleted memfd: '%s' %zu", m[2].path, m[2].file_len);
	CHECK(m[3].deleted && m[3].major == 0xfd && m[3].minor == 2 &&
	      !strncmp(m[3].path, "/tmp/a b/lib x.so", m[3].file_len) &&
	      m[3].file_len == strlen("/tmp/a b/lib x.so"), "spaces and (deleted): '%s'", m[3].path);
	CHECK(m[4].path[0] == '\0' && m[4].inode == 0 && !m[4].exec, "anonymous: '%s'", m[4].path);
	CHECK(!strcmp(m[5].path, "[vdso]") && m[5].exec, "vdso");
	CHECK(!strcmp(m[6].path, "[vsyscall]") && m[6].start == 0xffffffffff600000, "vsyscall");

	/* A line longer than the iterator's buffer is dropped whole, the next one still read. */
	size_t long_len = SYS_MAPS_LINE_MAX * 2 + 100;
	char *big = malloc(long_len + 256);
	if (big) {
		int at = sprintf(big, "1000-2000 r-xp 00000000 08:01 5 /");
		memset(big + at, 'x', long_len - at);
		at = (int)long_len;
		at += sprintf(big + at, "\n3000-4000 r-xp 00000000 08:01 6 /after\n");
		CHECK(write_file("maps_long", big, (size_t)at), "writing maps_long");
		n = read_maps("maps_long", m, paths, 16);
		CHECK(n == 1 && !strcmp(m[0].path, "/after") && m[0].start == 0x3000,
		      "an over-long line skipped: %d, '%s'", n, n > 0 ? m[0].path : "");
		free(big);
	}

	/* Our own maps: the mapping of this function's code is there, executable. */
	struct sys_maps it;
	struct sys_mapping own;
	bool found = false;
	uintptr_t here = (uintptr_t)&test_maps;
	CHECK(sys_maps_open(&it, 0), "open /proc/self/maps");
	while (sys_maps_next(&it, &own))
		if (here >= own.start && here < own.end)
			found = own.exec && own.path[0] == '/';
	sys_maps_close(&it);
	CHECK(found, "our code's mapping is found, executable and file-backed");
	CHECK(!sys_maps_open(&it, 0x7ffffffe) && errno == ENOENT, "a pid that does not exist");
}

static void test_read_file(void)
{
	size_t len = 0;
	char *s;

	CHECK(write_file("ten", "0123456789", 10), "writing ten");
	s = sys_read_file(tmp_path("ten"), 100, &len);
	CHECK(s && len == 10 && !strcmp(s, "0123456789"), "whole file: %zu", len);
	free(s);
	s = sys_read_file(tmp_path("ten"), 4, &len);
	CHECK(s && len == 4 && !strcmp(s, "0123"), "bounded to 4 bytes: %zu '%s'", len, s ? s : "");
	free(s);
	s = sys_read_file(tmp_path("ten"), 0, &len);
	CHECK(s && len == 0 && !*s, "bounded to nothing");
	free(s);
	s = sys_read_file("/proc/self/status", SYS_READ_SMALL, &len);   /* procfs: size 0 */
	CHECK(s && len > 100 && strstr(s, "\nPid:") && strlen(s) == len, "procfs file: %zu", len);
	free(s);
	errno = 0;
	CHECK(!sys_read_file(tmp_path("nonexistent"), 100, NULL) && errno == ENOENT, "a missing file");
	CHECK(!sys_read_file(dir, 100, NULL), "a directory is refused");
	/* A FIFO without a writer: refused at once, not waited on. */
	CHECK(mkfifo(tmp_path("fifo"), 0600) == 0, "mkfifo");
	alarm(5);
	CHECK(!sys_read_file(tmp_path("fifo"), 100, NULL), "a FIFO is refused");
	alarm(0);

	char comm[32];
	CHECK(!strcmp(sys_pid_comm(getpid(), comm, sizeof(comm)), "test_sys"), "comm: '%s'", comm);
	CHECK(!strcmp(sys_pid_comm(0x7ffffffe, comm, sizeof(comm)), ""), "comm of no task");
	char tod[16];
	sys_time_of_day(tod, sizeof(tod));
	CHECK(strlen(tod) == 8 && tod[2] == ':' && tod[5] == ':', "time of day: '%s'", tod);
}

/* Inside a root: absolute symlinks and ".." stay in it, and a root without the file has none
 * (the file of that name outside it is not taken). Both lookups: openat2 RESOLVE_IN_ROOT, and
 * the walk by hand of kernels before 5.6 (BCCT_DISABLE=openat2). */
static void test_in_root(void)
{
	char root[300], escape[400], up[600];
	struct stat st;
	int fd;

	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(escape, sizeof(escape), "%s/plain", dir);
	/* As many ".." as there are directories above the root, and more. */
	snprintf(up, sizeof(up), "../../../../../../../../../../../..%s/plain", dir);
	CHECK(mkdir(tmp_path("root"), 0700) == 0 && mkdir(tmp_path("root/lib"), 0700) == 0 &&
	      mkdir(tmp_path("root/usr"), 0700) == 0, "a root directory");
	CHECK(write_file("root/lib/real", "inside", 6), "writing root/lib/real");
	CHECK(symlink("/lib/real", tmp_path("root/lib/abs")) == 0, "an absolute symlink in the root");
	CHECK(symlink(escape, tmp_path("root/lib/escape")) == 0, "a symlink to a path outside");
	CHECK(symlink(up, tmp_path("root/lib/up")) == 0, "a symlink with '..' past the root");
	CHECK(symlink("/lib", tmp_path("root/usr/lib")) == 0 &&
	      symlink("../usr/lib/abs", tmp_path("root/lib/chain")) == 0, "a chain of links");
	CHECK(symlink("cycle2", tmp_path("root/lib/cycle1")) == 0 &&
	      symlink("/lib/cycle1", tmp_path("root/lib/cycle2")) == 0, "a cycle of links");
	for (int how = 0; how < 2; how++) {
		const char *name = how ? "walk" : "openat2";

		if (how)
			setenv("BCCT_DISABLE", "uprobe_multi,openat2", 1);
		fd = sys_open_untrusted(root, "/lib/abs", 1 << 20, &st);
		CHECK(fd >= 0 && st.st_size == 6, "%s: an absolute symlink resolves inside the root", name);
		if (fd >= 0)
			close(fd);
		fd = sys_open_untrusted(root, "lib/real", 1 << 20, &st);
		CHECK(fd >= 0, "%s: a relative path is below the root too", name);
		if (fd >= 0)
			close(fd);
		fd = sys_open_untrusted(root, "/usr/lib/../lib/./chain", 1 << 20, &st);
		CHECK(fd >= 0 && st.st_size == 6, "%s: links through a linked directory: %s", name,
		      strerror(errno));
		if (fd >= 0)
			close(fd);
		/* The test's directory holds "plain"; from inside the root "../plain" is the root's
		 * own "/plain", which does not exist. */
		errno = 0;
		CHECK(sys_open_untrusted(root, "/../plain", 1 << 20, &st) < 0 && errno == ENOENT,
		      "%s: '..' does not leave the root: %s", name, strerror(errno));
		errno = 0;
		CHECK(sys_open_untrusted(root, "/lib/escape", 1 << 20, &st) < 0 && errno == ENOENT,
		      "%s: a symlink naming a host path is looked up inside the root: %s", name,
		      strerror(errno));
		errno = 0;
		CHECK(sys_open_untrusted(root, "/lib/up", 1 << 20, &st) < 0 && errno == ENOENT,
		      "%s: a symlink's '..' stops at the root: %s", name, strerror(errno));
		errno = 0;
		CHECK(sys_open_untrusted(root, "/lib/cycle1", 1 << 20, &st) < 0 && errno == ELOOP,
		      "%s: a cycle of links: %s", name, strerror(errno));
		errno = 0;
		CHECK(sys_open_untrusted(root, "/lib/real/", 1 << 20, &st) < 0 && errno == ENOTDIR,
		      "%s: a file named as a directory: %s", name, strerror(errno));
		errno = 0;
		CHECK(sys_open_untrusted(tmp_path("no_such_root"), "/lib/real", 1 << 20, &st) < 0 &&
		      errno == ENOENT, "%s: a missing root: %s", name, strerror(errno));
	}
	unsetenv("BCCT_DISABLE");
}

/* sys_open_untrusted: what a traced process may put where the symbolizer looks. Each refusal
 * must come at once (alarm: a FIFO opened for reading would wait for a writer forever). */
static void test_open_untrusted(void)
{
	struct stat st;
	int fd;

	alarm(5);
	CHECK(write_file("plain", "0123456789", 10), "writing plain");
	fd = sys_open_untrusted(NULL, tmp_path("plain"), 10, &st);
	CHECK(fd >= 0 && S_ISREG(st.st_mode) && st.st_size == 10, "a regular file within bounds");
	if (fd >= 0) {
		int flags = fcntl(fd, F_GETFL), fdflags = fcntl(fd, F_GETFD);
		char c = 0;

		CHECK((flags & O_ACCMODE) == O_RDONLY && (flags & O_NONBLOCK) && (fdflags & FD_CLOEXEC) &&
		      !(flags & O_PATH) && read(fd, &c, 1) == 1 && c == '0',
		      "opened for reading, non-blocking, close-on-exec: flags %#x", flags);
		close(fd);
	}
	errno = 0;
	CHECK(sys_open_untrusted(NULL, tmp_path("plain"), 9, &st) < 0 && errno == EFBIG &&
	      st.st_size == 10, "one byte over the bound: %s", strerror(errno));

	CHECK(mkfifo(tmp_path("ufifo"), 0600) == 0, "mkfifo");
	errno = 0;
	CHECK(sys_open_untrusted(NULL, tmp_path("ufifo"), 1 << 20, &st) < 0 && errno == EINVAL &&
	      S_ISFIFO(st.st_mode), "a FIFO is refused without waiting: %s", strerror(errno));
	errno = 0;
	CHECK(sys_open_untrusted(NULL, "/dev/null", 1 << 20, &st) < 0 && errno == EINVAL &&
	      S_ISCHR(st.st_mode), "a device is refused: %s", strerror(errno));
	CHECK(symlink("/dev/zero", tmp_path("to_zero")) == 0, "symlink to /dev/zero");
	errno = 0;
	CHECK(sys_open_untrusted(NULL, tmp_path("to_zero"), 1 << 20, &st) < 0 && errno == EINVAL,
	      "a symlink to a device is refused: %s", strerror(errno));
	errno = 0;
	CHECK(sys_open_untrusted(NULL, dir, 1 << 20, &st) < 0 && errno == EINVAL &&
	      S_ISDIR(st.st_mode), "a directory is refused: %s", strerror(errno));
	CHECK(symlink("loop", tmp_path("loop")) == 0, "symlink to itself");
	errno = 0;
	CHECK(sys_open_untrusted(NULL, tmp_path("loop"), 1 << 20, &st) < 0 && errno == ELOOP,
	      "a symlink loop is refused: %s", strerror(errno));

	/* A terabyte of holes: refused from its size, never read. */
	fd = open(tmp_path("sparse"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, (off_t)1 << 40) == 0, "a sparse file of 1 TiB");
	if (fd >= 0)
		close(fd);
	errno = 0;
	CHECK(sys_open_untrusted(NULL, tmp_path("sparse"), SYS_UNTRUSTED_ELF_MAX, &st) < 0 &&
	      errno == EFBIG, "an oversize sparse file is refused: %s", strerror(errno));
	errno = 0;
	CHECK(sys_open_untrusted(NULL, tmp_path("nonexistent"), 1 << 20, &st) < 0 && errno == ENOENT,
	      "a missing file: %s", strerror(errno));

	test_in_root();
	alarm(0);
}

/* This test binary's own segments and functions. */
static void test_elf(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Elf *elf;
	struct sys_elf_segment *segs;
	size_t nsegs = 0, nfuncs = 0;
	bool found = false, exec_seg = false;
	uint64_t fn_value = 0, off = 0, back = 0;
	GElf_Shdr sh;
	GElf_Phdr ph;

	elf_version(EV_CURRENT);
	elf = fd >= 0 ? elf_begin(fd, ELF_C_READ_MMAP, NULL) : NULL;
	CHECK(elf && elf_kind(elf) == ELF_K_ELF, "our executable is ELF");
	if (!elf)
		return;
	segs = sys_elf_load_segments(elf, &nsegs);
	for (size_t i = 0; segs && i < nsegs; i++)
		exec_seg |= segs[i].exec;
	CHECK(segs && nsegs >= 2 && exec_seg, "PT_LOAD segments: %zu, one executable", nsegs);
	CHECK(!sys_elf_phdr(elf, 0x12345678, &ph), "no program header of an unknown type");

	for (Elf_Scn *scn = NULL; (scn = sys_elf_next_symtab(elf, scn, SHT_SYMTAB, &sh));) {
		struct sys_elf_symbols it;
		struct sys_elf_function f;

		CHECK(sh.sh_type == SHT_SYMTAB, "a .symtab");
		if (!sys_elf_symbols_open(&it, elf, scn))
			continue;
		while (sys_elf_next_function(&it, &f)) {
			nfuncs++;
			CHECK(f.name[0] && f.value, "a function with a name and an address");
			if (!strcmp(f.name, "main")) {
				found = !f.local && f.size > 0;
				fn_value = f.value;
			}
		}
	}
	CHECK(nfuncs > 50 && found, "functions of .symtab: %zu, main (global) among them", nfuncs);
	CHECK(sys_elf_vaddr_to_offset(elf, fn_value, &off) &&
	      sys_segments_offset_to_vaddr(segs, nsegs, off, &back) && back == fn_value,
	      "vaddr %#llx -> offset %#llx -> vaddr %#llx", (unsigned long long)fn_value,
	      (unsigned long long)off, (unsigned long long)back);
	CHECK(!sys_elf_vaddr_to_offset(elf, 0xdead00000000ull, &off), "an address outside every segment");
	{
		uint64_t by_name = 0;
		int r = sys_elf_function_offset("/proc/self/exe", "main", &by_name);

		CHECK(r == 0 && sys_elf_vaddr_to_offset(elf, fn_value, &off) && by_name == off,
		      "uprobe offset of main by name: %d, %#llx (segments say %#llx)", r,
		      (unsigned long long)by_name, (unsigned long long)off);
		CHECK(sys_elf_function_offset("/proc/self/exe", "no_such_function_q7", &by_name) == -ENOENT,
		      "no such function: -ENOENT");
		CHECK(sys_elf_function_offset("/proc/self/status", "main", &by_name) == -ENOEXEC,
		      "not an ELF file: -ENOEXEC");
		CHECK(sys_elf_function_offset("/dev/null", "main", &by_name) == -EINVAL,
		      "a device is not opened: -EINVAL");
	}
	free(segs);
	elf_end(elf);
	close(fd);
}

static void test_names(void)
{
	int v = 0;

	CHECK(!strcmp(sys_signal_name(1), "SIGHUP") && !strcmp(sys_signal_name(31), "SIGSYS") &&
	      !strcmp(sys_signal_name(34), "SIGRTMIN") && !strcmp(sys_signal_name(64), "SIGRTMAX"),
	      "signal names");
	CHECK(!sys_signal_name(0) && !sys_signal_name(32) && !sys_signal_name(65) && !sys_signal_name(-1),
	      "no name for 0, 32, 65, -1");
	CHECK(sys_signal_number("SIGUSR1") == SIGUSR1 && sys_signal_number("usr1") == SIGUSR1 &&
	      sys_signal_number("SigTerm") == SIGTERM && sys_signal_number("SIGNOPE") == 0 &&
	      sys_signal_number("") == 0, "signal numbers by name");
	CHECK(!strcmp(sys_errno_name(ENOENT), "ENOENT") && !sys_errno_name(0) && !sys_errno_name(5000),
	      "errno names");
	CHECK(sys_errno_number("EPERM") == EPERM && sys_errno_number("EAGAIN") == EAGAIN &&
	      sys_errno_number("ENOPE") == 0, "errno numbers by name");
	CHECK(sys_open_flag("O_CREAT", &v) && v == O_CREAT && sys_open_flag("O_RDONLY", &v) && v == 0 &&
	      !sys_open_flag("O_NOPE", &v) && !sys_open_flag("creat", &v), "open flags");
#if defined(__x86_64__)
	CHECK(!strcmp(sys_syscall_name(0), "read") && !strcmp(sys_syscall_name(59), "execve") &&
	      sys_syscall_nr("openat") == 257, "x86-64 syscall numbers");
#elif defined(__aarch64__)
	CHECK(!strcmp(sys_syscall_name(63), "read") && sys_syscall_nr("openat") == 56, "arm64 syscall numbers");
#endif
	CHECK(sys_syscall_nr("no_such_syscall") == -1 && !sys_syscall_name(-1) &&
	      !sys_syscall_name(sys_syscall_count()) && sys_syscall_count() > 400, "syscall table bounds");
	for (long nr = 0; nr < sys_syscall_count(); nr++)
		if (sys_syscall_name(nr) && sys_syscall_nr(sys_syscall_name(nr)) != nr)
			CHECK(false, "syscall %ld (%s) maps back to %ld", nr, sys_syscall_name(nr),
			      sys_syscall_nr(sys_syscall_name(nr)));
}

static void test_find(void)
{
	char buf[4096];

	CHECK(sys_find_executable("sh", buf, sizeof(buf)) && buf[0] == '/', "sh in $PATH: %s", buf);
	CHECK(!sys_find_executable("no-such-program-bcct", buf, sizeof(buf)), "a missing program");
	CHECK(sys_find_library("c", false, buf, sizeof(buf)) && strstr(buf, "libc"), "libc: %s", buf);
	CHECK(!sys_find_library("no-such-library-bcct", true, buf, sizeof(buf)), "a missing library");
	CHECK(!sys_find_library("", true, buf, sizeof(buf)) && !sys_find_executable("", buf, sizeof(buf)),
	      "an empty name");
	CHECK(sys_find_library("/proc/self/exe", false, buf, sizeof(buf)) &&
	      !strcmp(buf, "/proc/self/exe"), "a path as given");

	/* As a process sees it: our own root is "/", so the same files, and descriptors of them. */
	char exe[4096], self[64];
	struct stat a, b;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd;

	exe[n > 0 ? n : 0] = 0;
	fd = sys_pid_find_library(getpid(), strrchr(exe, '/') + 1, true, buf, sizeof(buf));
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	CHECK(fd >= 0 && !strcmp(buf, exe) && !stat(self, &a) && !stat(exe, &b) && a.st_ino == b.st_ino,
	      "our executable from our maps: %s", buf);
	if (fd >= 0)
		close(fd);
	fd = sys_pid_find_library(getpid(), "c", false, buf, sizeof(buf));
	CHECK(fd >= 0 && strstr(buf, "libc"), "libc in our root: %s", buf);
	if (fd >= 0)
		close(fd);
	CHECK(sys_pid_find_library(getpid(), "no-such-library-bcct", true, buf, sizeof(buf)) < 0,
	      "a missing library in a process");
	CHECK(!strcmp(sys_pid_view(getpid(), "/usr/lib/x", buf, sizeof(buf)), "/usr/lib/x"),
	      "our root takes nothing off");
}

struct exec_map {
	uint64_t start, end;
	bool main_program;
};

static bool keep_exec(void *ctx, const struct sys_mapping *m, void *elem)
{
	struct exec_map *e = elem;

	if (!m->exec)
		return false;
	*e = (struct exec_map){ m->start, m->end, strstr(m->path, "test_sys") != NULL };
	return true;
}

/* Our own executable mappings, collected and searched as the symbolizers do. */
static void test_collect(void)
{
	struct exec_map *maps = NULL;
	const struct exec_map *hit;
	size_t n = 0;
	bool sorted = true;

	CHECK(sys_maps_reload(0, sizeof(*maps), keep_exec, NULL, &maps, &n) && n > 0,
	      "our executable mappings: %zu", n);
	for (size_t i = 1; i < n; i++)
		sorted &= maps[i - 1].end <= maps[i].start;
	CHECK(sorted, "sorted, not overlapping");
	hit = sys_range_find(maps, n, sizeof(*maps), (uint64_t)(uintptr_t)&test_collect);
	CHECK(hit && hit->main_program, "this function is in the program's own text mapping");
	CHECK(!sys_range_find(maps, n, sizeof(*maps), 0) &&
	      (!n || !sys_range_find(maps, n, sizeof(*maps), maps[n - 1].end)),
	      "below the first and at the last one's end: none");
	CHECK(!sys_maps_reload(999999999, sizeof(*maps), keep_exec, NULL, &maps, &n) && maps,
	      "a gone process leaves the array as it was");
	free(maps);
}

/* Data symbols by address in a live process (ours): an initialised global (.data), a zeroed
 * one (.bss, past the file-backed pages: found by where the file's first mapping starts), an
 * address inside one (+offset), and memory that is no variable (the stack, the heap). */
long bcct_test_data_q7[4] = { 1, 2, 3, 4 };
long bcct_test_bss_q7[512];

static void test_object_symbol(void)
{
	char buf[256];
	long on_stack = 0;
	void *heap = malloc(64);
	const char *s;

	s = sys_pid_object_symbol(getpid(), (uint64_t)(uintptr_t)&bcct_test_data_q7[0], buf, sizeof(buf));
	CHECK(s && !strcmp(s, "bcct_test_data_q7"), "a .data variable: got %s", s ? s : "(null)");
	s = sys_pid_object_symbol(getpid(), (uint64_t)(uintptr_t)&bcct_test_data_q7[2], buf, sizeof(buf));
	CHECK(s && !strcmp(s, "bcct_test_data_q7+0x10"), "inside a variable: got %s", s ? s : "(null)");
	s = sys_pid_object_symbol(getpid(), (uint64_t)(uintptr_t)&bcct_test_bss_q7[511], buf, sizeof(buf));
	CHECK(s && !strcmp(s, "bcct_test_bss_q7+0xff8"), "a .bss variable: got %s", s ? s : "(null)");
	CHECK(!sys_pid_object_symbol(getpid(), (uint64_t)(uintptr_t)&on_stack, buf, sizeof(buf)),
	      "the stack is no variable");
	CHECK(!sys_pid_object_symbol(getpid(), (uint64_t)(uintptr_t)heap, buf, sizeof(buf)),
	      "the heap is no variable");
	free(heap);
}

/* sys_elf_read_object: the file's bytes of a constant (as CPython's Py_Version is read), bounded
 * by the caller's buffer and the symbol's size; absent symbols, .bss and non-ELF files refused. */
const unsigned long bcct_test_version_q7 = 0x030b02f0ul;

static void test_read_object(void)
{
	unsigned long v = 0;
	unsigned char two[2] = { 0 }, big[64];
	int n = sys_elf_read_object("/proc/self/exe", "bcct_test_version_q7", &v, sizeof(v));

	CHECK(n == (int)sizeof(v) && v == bcct_test_version_q7, "a .rodata constant: %d bytes, %#lx", n, v);
	n = sys_elf_read_object("/proc/self/exe", "bcct_test_version_q7", two, sizeof(two));
	CHECK(n == 2 && two[0] == 0xf0 && two[1] == 0x02, "bounded by the buffer: %d bytes", n);
	n = sys_elf_read_object("/proc/self/exe", "bcct_test_version_q7", big, sizeof(big));
	CHECK(n == (int)sizeof(bcct_test_version_q7), "bounded by the symbol's size: %d bytes", n);
	CHECK(sys_elf_read_object("/proc/self/exe", "bcct_test_bss_q7", big, sizeof(big)) == -ENOENT,
	      "a .bss variable has no file bytes: -ENOENT");
	CHECK(sys_elf_read_object("/proc/self/exe", "no_such_object_q7", big, sizeof(big)) == -ENOENT,
	      "no such symbol: -ENOENT");
	CHECK(sys_elf_read_object("/proc/self/exe", "main", big, sizeof(big)) == -ENOENT,
	      "a function is no data symbol: -ENOENT");
	CHECK(sys_elf_read_object("/proc/self/status", "x", big, sizeof(big)) == -ENOEXEC,
	      "not an ELF file: -ENOEXEC");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_maps();
	test_read_file();
	test_open_untrusted();
	test_elf();
	test_names();
	test_find();
	test_collect();
	test_object_symbol();
	test_read_object();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("sys: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
