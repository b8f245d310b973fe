# tests/vm/common.sh: helpers shared by the host-side VM scripts (sourced by bash, not run).

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$VM_DIR/../.." && pwd)
CACHE=${BCCT_VM_CACHE:-/var/cache/bcct-vm}
VM_BUILD=${BCCT_VM_BUILD:-$ROOT/build/vm}
SERIES_ALL="5.10 6.1 6.12"

# ensure_cmd COMMAND PACKAGE: install PACKAGE (no recommends) when COMMAND is missing.
ensure_cmd() {
	local cmd=$1 pkg=$2
	if command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ]; then
		return 0
	fi
	echo "vm: installing $pkg (for $cmd)" >&2
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$pkg" >&2; then
		apt-get update -q >&2 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$pkg" >&2
	fi
	command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || { echo "vm: $cmd still missing" >&2; exit 1; }
}

# is_static FILE: true for an ELF with no program interpreter (or a script).
is_static() {
	local f=$1
	if ! head -c 4 "$f" | grep -q 'ELF'; then
		return 0
	fi
	! readelf -l "$f" 2>/dev/null | grep -q 'Requesting program interpreter'
}
