#!/bin/sh
# profile_fixtures: every kind of user code the symbolizer claims to name, proven through
# `profile -p PID -U -f`. Fixtures are compiled here (gcc, and g++/rustc when present); each spins
# in a uniquely named function called from another uniquely named one (frame pointers on), and
# its folded stacks must show both names instead of [unknown]:
#   (a) non-PIE  (b) PIE  (c) stripped + .gnu_debuglink  (d) stripped + build-id debug file under
#   $BCCT_DEBUG_ROOT  (e) MiniDebugInfo (.gnu_debugdata)  (f) dlopen'ed library  (g) JIT code named
#   by /tmp/perf-PID.map  (h) binary only visible in its own mount namespace  (i) C++ namespaces and
#   templates  (j) Rust  (k) binary deleted after start (map_files).
# One line per fixture: "ok", "skip" (could not be built here, with the reason) or "FAIL".
. "$(dirname "$0")/lib.sh"
has_cmd gcc || skip "gcc not found: the fixtures are compiled at test time"

FX=$TMPD/fx
mkdir -p "$FX"
LIFE=60          # seconds a fixture lives at most (alarm), should the test die
SECS=3           # profile duration per fixture
FPID=
JITMAP=
trap '[ -n "$FPID" ] && kill -9 "$FPID" 2>/dev/null; [ -n "$JITMAP" ] && rm -f "$JITMAP"; cleanup' EXIT

# Even with -fno-omit-frame-pointer gcc sets no frame up in a leaf function (its caller would
# vanish from frame-pointer stacks): the spinning functions call out now and then.
CFLAGS="-O1 -fno-omit-frame-pointer -fno-optimize-sibling-calls"

nfail=0 nok=0 nskip=0
line() { printf '  %-4s %-24s %s\n' "$1" "$2" "$3"; }
skipfx() { line skip "$1" "$2"; nskip=$((nskip + 1)); }

# gen_c TAG: $FX/TAG.c, spinning in bcct_TAG_spin (static) under bcct_TAG_outer (global).
# usage of the program: PROG [SECONDS [READY-FILE]]
gen_c() {
	cat >"$FX/$1.c" <<EOF
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
volatile int bcct_stop;
volatile unsigned long bcct_n;
/* A call now and then: gcc sets no frame pointer up in a leaf function, whose caller would
 * then be missing from frame-pointer stacks. */
__attribute__((noinline)) void bcct_lap(void)
{
	__asm__ volatile("" ::: "memory");
}
__attribute__((noinline)) static unsigned long bcct_$1_spin(void)
{
	while (!bcct_stop)
		if ((++bcct_n & 0xfffff) == 0)
			bcct_lap();
	return bcct_n;
}
__attribute__((noinline)) unsigned long bcct_$1_outer(void)
{
	return bcct_$1_spin() + 1;
}
int main(int argc, char **argv)
{
	alarm(argc > 1 ? atoi(argv[1]) : 60);
	if (argc > 2) {
		FILE *f = fopen(argv[2], "w");
		if (f)
			fclose(f);
	}
	return (int)bcct_$1_outer();
}
EOF
}

# Waits for a fixture's ready file; false if the fixture died first.
wait_file() {
	n=100
	while [ ! -e "$1" ] && [ "$n" -gt 0 ]; do
		kill -0 "$FPID" 2>/dev/null || return 1
		sleep 0.1
		n=$((n - 1))
	done
	[ -e "$1" ]
}

# The folded line with the largest count (the last field: frames may hold spaces).
hottest() { awk '{ print $NF " " $0 }' | sort -n -r | head -n 1 | cut -d' ' -f2-; }

# profile_fx LABEL REGEX [DEMANGLED-REGEX]: profiles $FPID (started, ready), then kills it.
# The hottest folded stack matching REGEX must be there. With DEMANGLED-REGEX, the result says
# whether names were printed demangled.
profile_fx() {
	label=$1 re=$2 dre=${3:-}
	timeout -s INT $((SECS + 30)) "$BCCT" profile -p "$FPID" -U -f -F 99 "$SECS" >"$OUT" 2>"$ERR"
	rc=$?
	kill -9 "$FPID" 2>/dev/null
	wait "$FPID" 2>/dev/null
	FPID=
	if [ "$rc" -ne 0 ]; then
		line FAIL "$label" "profile exited with status $rc: $(head -n 1 "$ERR")"
		nfail=$((nfail + 1))
		return
	fi
	# Hottest first; the tail of the stack (3 innermost frames) and its count.
	hit=$(grep -E -- "$re" "$OUT" | hottest)
	if [ -n "$hit" ]; then
		note=
		if [ -n "$dre" ]; then
			if echo "$hit" | grep -Eq -- "$dre"; then note=" (demangled)"; else note=" (mangled: stack printing does not demangle)"; fi
		fi
		line ok "$label" "$(echo "$hit" | awk -F';' '{n = NF; s = $n; for (i = n - 1; i > 0 && i > n - 3; i--) s = $i ";" s; print s}')$note"
		nok=$((nok + 1))
	else
		top=$(hottest <"$OUT" | awk -F';' '{n = NF; s = $n; for (i = n - 1; i > 0 && i > n - 4; i--) s = $i ";" s; print s}')
		line FAIL "$label" "no stack matching $re; hottest: ${top:-none}"
		nfail=$((nfail + 1))
	fi
}

# run_fx LABEL REGEX [DEMANGLED-REGEX] -- PROG ARGS...: starts PROG ARGS $LIFE READY, profiles.
run_fx() {
	label=$1 re=$2 dre=
	shift 2
	[ "$1" != -- ] && { dre=$1; shift; }
	shift
	ready=$FX/ready.$$.$nok.$nfail.$nskip
	rm -f "$ready"
	"$@" "$LIFE" "$ready" &
	FPID=$!
	if ! wait_file "$ready"; then
		line FAIL "$label" "fixture did not start: $*"
		nfail=$((nfail + 1))
		kill -9 "$FPID" 2>/dev/null
		FPID=
		return
	fi
	profile_fx "$label" "$re" "$dre"
}

stack_re() { echo "(^|;)bcct_$1_outer;bcct_$1_spin [0-9]+\$"; }
cc() { # cc TAG OUT EXTRA-FLAGS...: builds $FX/TAG.c; errors in $FX/TAG.log
	tag=$1 out=$2
	shift 2
	gen_c "$tag"
	# shellcheck disable=SC2086
	gcc $CFLAGS "$@" "$FX/$tag.c" -o "$out" >"$FX/$tag.log" 2>&1
}
# run_stripped LABEL TAG: run_fx on $FX/TAG, once sure its own tables lack the names.
run_stripped() {
	if nm "$FX/$2" 2>/dev/null | grep -q "bcct_$2_spin"; then
		skipfx "$1" "strip left bcct_$2_spin in $FX/$2's .symtab"
	else
		run_fx "$1" "$(stack_re "$2")" -- "$FX/$2"
	fi
}
why() { echo "$1: $(grep -m 1 . "$FX/$2.log" 2>/dev/null)"; }

echo "profile_fixtures: profile -p PID -U -f -F 99 $SECS per fixture"

# (a) non-PIE
if cc nopie "$FX/nopie" -no-pie; then
	run_fx "(a) non-PIE" "$(stack_re nopie)" -- "$FX/nopie"
else skipfx "(a) non-PIE" "$(why "gcc -no-pie failed" nopie)"; fi

# (b) PIE
if cc pie "$FX/pie" -fPIE -pie; then
	run_fx "(b) PIE" "$(stack_re pie)" -- "$FX/pie"
else skipfx "(b) PIE" "$(why "gcc -pie failed" pie)"; fi

# (c) stripped, names in a debug file found by .gnu_debuglink next to it
if ! has_cmd objcopy || ! has_cmd strip; then
	skipfx "(c) debuglink" "objcopy/strip not found"
elif cc dbglink "$FX/dbglink" -g && objcopy --only-keep-debug "$FX/dbglink" "$FX/dbglink.debug" &&
	strip --strip-all "$FX/dbglink" && objcopy --add-gnu-debuglink="$FX/dbglink.debug" "$FX/dbglink" 2>>"$FX/dbglink.log"; then
	run_stripped "(c) debuglink" dbglink
else skipfx "(c) debuglink" "$(why "build failed" dbglink)"; fi

# (d) stripped, debug file at DEBUGROOT/.build-id/xx/rest.debug, DEBUGROOT=$BCCT_DEBUG_ROOT
if ! has_cmd objcopy || ! has_cmd strip || ! has_cmd readelf; then
	skipfx "(d) build-id" "objcopy/strip/readelf not found"
elif cc buildid "$FX/buildid" -g -Wl,--build-id && objcopy --only-keep-debug "$FX/buildid" "$FX/buildid.debug" &&
	strip --strip-all "$FX/buildid"; then
	bid=$(readelf -n "$FX/buildid" | sed -n 's/^ *Build ID: *\([0-9a-f]*\).*/\1/p' | head -n 1)
	if [ ${#bid} -lt 4 ]; then
		skipfx "(d) build-id" "the linker wrote no build-id note"
	else
		rest=${bid#??}
		mkdir -p "$TMPD/debugroot/.build-id/${bid%"$rest"}"
		mv "$FX/buildid.debug" "$TMPD/debugroot/.build-id/${bid%"$rest"}/$rest.debug"
		BCCT_DEBUG_ROOT=$TMPD/debugroot
		export BCCT_DEBUG_ROOT
		run_stripped "(d) build-id" buildid
		unset BCCT_DEBUG_ROOT
	fi
else skipfx "(d) build-id" "$(why "build failed" buildid)"; fi

# (e) MiniDebugInfo, Fedora's recipe: the function symbols .dynsym lacks, xz-compressed into
# .gnu_debugdata of the stripped file.
# An xz that compresses (busybox sh runs its own decompress-only applet for a bare "xz").
XZ=
for x in "$(command -v xz)" /usr/bin/xz /bin/xz /usr/local/bin/xz; do
	case $x in /*) echo x | "$x" -c >/dev/null 2>&1 && { XZ=$x; break; } ;; esac
done
if ! has_cmd objcopy || ! has_cmd strip || ! has_cmd nm || [ -z "$XZ" ]; then
	skipfx "(e) MiniDebugInfo" "nm/objcopy/strip or an xz that compresses not found"
elif cc minidbg "$FX/minidbg" && (
	cd "$FX" || exit 1
	nm -D minidbg --format=posix --defined-only | awk '{ print $1 }' | sort >dynsyms
	nm minidbg --format=posix --defined-only | awk '$2 == "T" || $2 == "t" || $2 == "D" { print $1 }' | sort >funcsyms
	awk 'FILENAME == ARGV[1] { d[$1] = 1; next } !($1 in d)' dynsyms funcsyms >keep_symbols
	objcopy --only-keep-debug minidbg minidbg.full &&
	objcopy -S --remove-section .gdb_index --remove-section .comment --keep-symbols=keep_symbols \
		minidbg.full mini_debuginfo &&
	"$XZ" -f mini_debuginfo &&
	strip --strip-all minidbg &&
	objcopy --add-section .gnu_debugdata=mini_debuginfo.xz minidbg
) >>"$FX/minidbg.log" 2>&1; then
	run_stripped "(e) MiniDebugInfo" minidbg
else skipfx "(e) MiniDebugInfo" "$(why "build failed" minidbg)"; fi

# (f) a shared library loaded with dlopen, spinning in its own (static) function
cat >"$FX/dl_lib.c" <<'EOF'
volatile int bcct_dl_stop;
volatile unsigned long bcct_dl_n;
__attribute__((noinline)) static void bcct_dl_lap(void)
{
	__asm__ volatile("" ::: "memory");
}
__attribute__((noinline)) static unsigned long bcct_dl_spin(void)
{
	while (!bcct_dl_stop)
		if ((++bcct_dl_n & 0xfffff) == 0)
			bcct_dl_lap();
	return bcct_dl_n;
}
__attribute__((noinline)) unsigned long bcct_dl_outer(void)
{
	return bcct_dl_spin() + 1;
}
EOF
cat >"$FX/dl_main.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	alarm(argc > 2 ? atoi(argv[2]) : 60);
	void *h = dlopen(argv[1], RTLD_NOW);
	unsigned long (*outer)(void) = h ? (unsigned long (*)(void))dlsym(h, "bcct_dl_outer") : NULL;
	if (!outer)
		return 1;
	if (argc > 3) {
		FILE *f = fopen(argv[3], "w");
		if (f)
			fclose(f);
	}
	return (int)outer();
}
EOF
# shellcheck disable=SC2086
if gcc $CFLAGS -fPIC -shared "$FX/dl_lib.c" -o "$FX/libbcct_dl.so" >"$FX/dl.log" 2>&1 &&
	gcc $CFLAGS "$FX/dl_main.c" -o "$FX/dl_main" -ldl >>"$FX/dl.log" 2>&1; then
	run_fx "(f) dlopen library" "(^|;)bcct_dl_outer;bcct_dl_spin [0-9]+\$" -- "$FX/dl_main" "$FX/libbcct_dl.so"
else skipfx "(f) dlopen library" "$(why "build failed" dl)"; fi

# (g) code generated at run time (a spin loop with a frame-pointer prologue copied into
# PROT_EXEC memory), named by /tmp/perf-PID.map
cat >"$FX/jit.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
static const unsigned char code[] = {
#if defined(__x86_64__)
	0x55, 0x48, 0x89, 0xe5, 0xeb, 0xfe,                   /* push %rbp; mov %rsp,%rbp; jmp . */
#elif defined(__aarch64__)
	0xfd, 0x7b, 0xbf, 0xa9, 0xfd, 0x03, 0x00, 0x91, 0x00, 0x00, 0x00, 0x14, /* stp; mov x29; b . */
#else
#error "no spin loop for this architecture"
#endif
};
__attribute__((noinline)) int bcct_jit_caller(void (*fn)(void))
{
	fn();
	return 1;
}
int main(int argc, char **argv)
{
	alarm(argc > 1 ? atoi(argv[1]) : 60);
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	memcpy(p + 64, code, sizeof(code));
	__builtin___clear_cache((char *)p, (char *)p + 4096);
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		return 1;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	FILE *m = fopen(path, "w");
	if (!m)
		return 1;
	fprintf(m, "%lx %zx bcct_jit_spin\n", (unsigned long)(p + 64), sizeof(code));
	fclose(m);
	if (argc > 2) {
		FILE *f = fopen(argv[2], "w");
		if (f)
			fclose(f);
	}
	return bcct_jit_caller((void (*)(void))(p + 64));
}
EOF
# shellcheck disable=SC2086
if gcc $CFLAGS "$FX/jit.c" -o "$FX/jit" >"$FX/jit.log" 2>&1; then
	# The map is named after the fixture's pid: removed by the trap as well.
	JITMAP=
	ready=$FX/jit.ready
	"$FX/jit" "$LIFE" "$ready" &
	FPID=$!
	JITMAP=/tmp/perf-$FPID.map
	if wait_file "$ready"; then
		profile_fx "(g) JIT + perf map" "(^|;)bcct_jit_caller;bcct_jit_spin [0-9]+\$"
	else
		line FAIL "(g) JIT + perf map" "fixture did not start"
		nfail=$((nfail + 1))
	fi
	rm -f "$JITMAP"
	JITMAP=
else skipfx "(g) JIT + perf map" "$(why "build failed" jit)"; fi

# (h) started in a new mount namespace from a tmpfs mounted over a directory: its path does not
# exist outside (we see an empty directory there), only through /proc/PID/root.
if ! has_cmd unshare; then
	skipfx "(h) mount namespace" "unshare not found"
elif ! cc mntns "$FX/mntns"; then
	skipfx "(h) mount namespace" "$(why "build failed" mntns)"
elif ! unshare -m true 2>"$FX/unshare.log"; then
	skipfx "(h) mount namespace" "unshare -m fails here: $(head -n 1 "$FX/unshare.log")"
else
	mkdir -p "$FX/nsdir"
	ready=$FX/mntns.ready
	unshare -m sh -c 'mount --make-rprivate / 2>/dev/null; mount -t tmpfs bcctfx "$1" && cp "$2" "$1/mntns_hidden" && exec "$1/mntns_hidden" "$3" "$4"' \
		sh "$FX/nsdir" "$FX/mntns" "$LIFE" "$ready" &
	FPID=$!
	if ! wait_file "$ready"; then
		line FAIL "(h) mount namespace" "fixture did not start"
		nfail=$((nfail + 1))
	elif [ -e "$FX/nsdir/mntns_hidden" ]; then
		kill -9 "$FPID" 2>/dev/null
		FPID=
		skipfx "(h) mount namespace" "the tmpfs mount leaked into our namespace"
	else
		profile_fx "(h) mount namespace" "$(stack_re mntns)"
	fi
fi

# (i) C++: a template member function in nested namespaces
if ! has_cmd g++; then
	skipfx "(i) C++" "g++ not found"
else
	cat >"$FX/cxx.cpp" <<'EOF'
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
namespace bcctfx {
namespace cxx {
volatile int stop;
volatile unsigned long n;
__attribute__((noinline)) void lap()
{
	__asm__ volatile("" ::: "memory");
}
template <typename T> struct Spinner {
	__attribute__((noinline)) static T spin(T x)
	{
		while (!stop)
			if ((++n & 0xfffff) == 0)
				lap();
		return x + (T)n;
	}
};
__attribute__((noinline)) int outer(int x)
{
	return Spinner<int>::spin(x) + 1;
}
} // namespace cxx
} // namespace bcctfx
int main(int argc, char **argv)
{
	alarm(argc > 1 ? atoi(argv[1]) : 60);
	if (argc > 2)
		if (FILE *f = std::fopen(argv[2], "w"))
			std::fclose(f);
	return bcctfx::cxx::outer(argc);
}
EOF
	# shellcheck disable=SC2086
	if g++ $CFLAGS "$FX/cxx.cpp" -o "$FX/cxx" >"$FX/cxx.log" 2>&1; then
		run_fx "(i) C++" \
			"(^|;)(_ZN6bcctfx3cxx5outerEi|bcctfx::cxx::outer(\\(int\\))?);(_ZN6bcctfx3cxx7SpinnerIiE4spinEi|bcctfx::cxx::Spinner<int>::spin(\\(int\\))?) [0-9]+\$" \
			"bcctfx::cxx::Spinner<int>::spin" -- "$FX/cxx"
	else skipfx "(i) C++" "$(why "g++ failed" cxx)"; fi
fi

# (j) Rust
if ! has_cmd rustc; then
	skipfx "(j) Rust" "rustc not found"
else
	# Rust 1.63 (Debian 12) and later. STOP is never set: rustc proves bcct_rs_spin never
	# returns, and the call is the last instruction of bcct_rs_outer (its return address lies
	# past the function's end).
	cat >"$FX/rsfx.rs" <<'EOF'
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
static STOP: AtomicBool = AtomicBool::new(false);
static N: AtomicU64 = AtomicU64::new(0);
extern "C" {
    fn alarm(seconds: u32) -> u32;
}
mod bcctfx {
    use super::*;
    #[inline(never)]
    pub fn bcct_rs_spin(x: u64) -> u64 {
        while !STOP.load(Ordering::Relaxed) {
            N.fetch_add(1, Ordering::Relaxed);
        }
        x.wrapping_add(N.load(Ordering::Relaxed))
    }
    #[inline(never)]
    pub fn bcct_rs_outer(x: u64) -> u64 {
        bcct_rs_spin(x).wrapping_add(N.load(Ordering::Relaxed))
    }
}
fn main() {
    let a: Vec<String> = std::env::args().collect();
    unsafe {
        alarm(a.get(1).and_then(|s| s.parse().ok()).unwrap_or(60));
    }
    if let Some(p) = a.get(2) {
        let _ = std::fs::write(p, b"");
    }
    std::process::exit(bcctfx::bcct_rs_outer(a.len() as u64) as i32);
}
EOF
	if rustc -O -C force-frame-pointers=yes -o "$FX/rsfx" "$FX/rsfx.rs" >"$FX/rs.log" 2>&1; then
		run_fx "(j) Rust" "(^|;)[^;]*bcct_rs_outer[^;]*;[^;]*bcct_rs_spin[^;]* [0-9]+\$" \
			"(^|;)rsfx::bcctfx::bcct_rs_spin [0-9]+\$" -- "$FX/rsfx"
	else skipfx "(j) Rust" "$(why "rustc failed" rs)"; fi
fi

# (k) the binary deleted after start: maps shows "path (deleted)", read through map_files
if cc deleted "$FX/deleted"; then
	ready=$FX/deleted.ready
	"$FX/deleted" "$LIFE" "$ready" &
	FPID=$!
	if wait_file "$ready"; then
		rm -f "$FX/deleted" "$FX/deleted.c"
		profile_fx "(k) deleted binary" "$(stack_re deleted)"
	else
		line FAIL "(k) deleted binary" "fixture did not start"
		nfail=$((nfail + 1))
	fi
else skipfx "(k) deleted binary" "$(why "build failed" deleted)"; fi

[ "$nfail" -eq 0 ] || { echo "FAIL $TEST_NAME: $nfail fixture(s) not named ($nok named, $nskip skipped)"; exit 1; }
[ "$nok" -gt 0 ] || skip "no fixture could be built"
pass "$nok fixtures named, $nskip skipped"
