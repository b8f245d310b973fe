#!/bin/sh
# The bash completion bcct generates from its option tables (bcct --completion bash,
# cli/completion.c), driven as bash drives it: COMP_WORDS/COMP_CWORD set, the completion
# function called, COMPREPLY read. Through `bcct` and through links named after applets; a
# program of the same name that is not bcct (libbpf-tools' runqslower) keeps its own completion.
set -u
export LC_ALL=C   # one sort order for the lists compared
BCCT=$(readlink -f "${BCCT:?}")
command -v bash >/dev/null || { echo "bash is not installed"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$BCCT" --completion bash >"$t/bcct.bash" || { echo "FAIL bcct --completion bash: status $?"; exit 1; }
mkdir "$t/bin"
ln -s "$BCCT" "$t/bin/bcct"
ln -s bcct "$t/bin/runqlat"
ln -s bcct "$t/bin/runqlat-bpfcc"
printf '#!/bin/sh\n' >"$t/bin/runqslower"; chmod +x "$t/bin/runqslower"   # not bcct
"$BCCT" --list | awk '/^  [^ ]/ { print $1 }' | sort >"$t/names"
# runqlat's long options as its --help lists them.
"$BCCT" runqlat --help | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$t/runqlat-long"

PATH="$t/bin:$PATH" T="$t" bash --norc --noprofile <<'SCRIPT'
pass=0 fail=0
. "$T/bcct.bash" || { echo "FAIL sourcing the script"; exit 1; }
complete_words() { # complete_words WORD... : completes the last word, COMPREPLY sorted on stdout
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
	local spec=$(complete -p "${1##*/}" 2>/dev/null) fn
	[[ $spec =~ -F\ ([^ ]+) ]] || { echo "<no completion for $1>"; return; }
	"${BASH_REMATCH[1]}" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
check() { # check DESC EXPECTED WORD...
	local desc=$1 want=$2 got; shift 2
	got=$(complete_words "$@" | tr '\n' ' ')
	if [[ $got == "$want" ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $desc: '$*' gave '$got', want '$want'"; fi
}
check "applet names" "runqlat runqlen runqslower " bcct runq
check "long option" "--milliseconds " bcct runqlat --mi
check "through a link" "--milliseconds " runqlat --mi
check "through a -bpfcc link" "--milliseconds " runqlat-bpfcc --mi
check "after other words" "--pid --pidnss --pids " bcct runqlat -m 1 --pi
check "all options" "--cgroup --comm --ebpf --help --json --milliseconds --pid --pidnss --pids --tids --timestamp --verbose -L -P -T -h -m -p -v " bcct runqlat -
check "an alias's own options" "--csv " bcct ext4slower --cs
check "help's applet" "ext4dist ext4slower " bcct --help ext4
check "bcct's commands" "--help --install --list --version " bcct --
check "not bcct's runqslower" "<no completion for runqslower> " runqslower --mi
# Every name of bcct --list, and every long option runqlat's --help shows.
got=$(complete_words bcct "" | grep -v '^-' | grep -vx features)
if [[ $got == "$(cat "$T/names")" ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL names differ from bcct --list:"; diff <(echo "$got") "$T/names"; fi
got=$(complete_words bcct runqlat -- | grep -- '^--')
if [[ $got == "$(cat "$T/runqlat-long")" ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL runqlat's options differ from its --help:"; diff <(echo "$got") "$T/runqlat-long"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
SCRIPT
