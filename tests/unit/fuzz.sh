#!/bin/sh
# Short fuzz runs of every libFuzzer target in tests/fuzz/ (clang, ASan + UBSan): the symbolizer
# parsers through tests/fuzz/run (ELF symbols, DWARF lines, kallsyms, perf maps, demangling) and
# the probe compiler (fuzz_probe.c on corpus_probe/), $BCCT_FUZZ_SECONDS (default 5) each.
# Fails on any crash, sanitizer report, leak, timeout or out-of-memory (the input and the log are
# kept; their paths are printed). Without clang or its libFuzzer runtime it prints why and exits
# 77, which tests/run counts as skipped. The long runs are tests/fuzz/run --seconds 600 (tests/fuzz/README.md).
# (Building the ASan targets takes most of it: on a busy machine more than the default 120 s.)
# timeout: 400
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${BCCT_FUZZ_SECONDS:-5}

CLANG=
for c in clang clang-14 clang-15 clang-16 clang-17 clang-18; do
	command -v "$c" >/dev/null 2>&1 && { CLANG=$c; break; }
done
[ -n "$CLANG" ] || { echo "fuzz: skipped: clang not found (scripts/deps installs clang and libclang-rt-14-dev)"; exit 77; }
command -v bash >/dev/null 2>&1 || { echo "fuzz: skipped: bash not found (tests/fuzz/run needs it)"; exit 77; }

T=$(mktemp -d /tmp/bcct-unit-fuzz.XXXXXX)
trap 'rm -rf "$T"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$T/probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address "$T/probe.c" -o "$T/probe" 2>"$T/err"; then
	echo "fuzz: skipped: $CLANG cannot link -fsanitize=fuzzer,address, the libFuzzer runtime is absent" \
		"(Debian: apt-get install libclang-rt-14-dev): $(grep -m 1 -i error "$T/err")"
	exit 77
fi

failed=0
ntargets=0

# The symbolizer targets: tests/fuzz/run builds them, makes seeds and prints one line each.
bash "$ROOT/tests/fuzz/run" --seconds "$SECS" >"$T/run.log" 2>&1
rc=$?
cat "$T/run.log"
n=$(grep -c -E '^[a-z_]+ +(ok|FOUND|BUILD) ' "$T/run.log")
ntargets=$((ntargets + n))
if [ "$rc" -ne 0 ] || [ "$n" -eq 0 ]; then
	echo "FAIL fuzz: tests/fuzz/run exited with status $rc"
	failed=1
fi

# The probe compiler target, as tests/fuzz/README.md builds it (libbpf and libelf static): the
# compiler's sources, not the pattern expansion and attach beside it (probespec, probeset), which
# need the runtime.
compiler=$(cd "$ROOT" && ls core/probe/*.c | grep -v -e /probespec.c -e /probeset.c)
libdir=
for d in /usr/lib/"$(gcc -print-multiarch 2>/dev/null)" /usr/lib64 /usr/lib /usr/local/lib; do
	[ -f "$d/libbpf.a" ] && [ -f "$d/libelf.a" ] && { libdir=$d; break; }
done
if [ -z "$libdir" ]; then
	echo "probe        skipped: libbpf.a/libelf.a not found"
elif ! (cd "$ROOT" && "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-D_GNU_SOURCE -I. -Ibpf tests/fuzz/fuzz_probe.c $compiler core/disasm.c core/features.c core/log.c \
	core/btf.c core/bootcache.c core/pmc.c core/sys/file.c core/sys/kfuncs.c symbolize/elf_section.c \
	"$libdir/libbpf.a" "$libdir/libelf.a" core/libelf_compat.c -lz -lzstd \
	-o "$T/fuzz_probe") >"$T/probe_build.log" 2>&1; then
	echo "probe        BUILD"
	tail -n 5 "$T/probe_build.log"
	failed=1
	ntargets=$((ntargets + 1))
else
	ntargets=$((ntargets + 1))
	mkdir -p "$T/probe_corpus" "$T/probe_artifacts"
	cp "$ROOT"/tests/fuzz/corpus_probe/* "$T/probe_corpus/" 2>/dev/null
	"$T/fuzz_probe" "$T/probe_corpus" -max_total_time="$SECS" -max_len=512 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$T/probe_artifacts/" \
		>"$T/probe_run.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/probe_run.log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$T/probe_artifacts")" ]; then
		echo "probe        ok       ${execs:-?} executions"
	else
		keep=/tmp/bcct-fuzz-probe.$$
		rm -rf "$keep"
		mkdir -p "$keep"
		cp -r "$T/probe_artifacts" "$T/probe_run.log" "$T/fuzz_probe" "$keep/"
		echo "probe        FOUND    $(grep -m 1 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error:|ALARM|out-of-memory' "$T/probe_run.log")"
		echo "    kept in $keep (the input under probe_artifacts/, replay: $keep/fuzz_probe INPUT)"
		failed=1
	fi
fi

if [ "$failed" -ne 0 ]; then
	echo "fuzz: FAILED (see above)"
	exit 1
fi
echo "fuzz: $ntargets targets, ${SECS}s each, no findings"
