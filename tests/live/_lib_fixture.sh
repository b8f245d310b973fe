# The language-runtime fixture (tests/workloads/rt_fixture) for the u* and db tests; source it
# after lib.sh, it is not a test itself.
#   go_fixture LANG N APPLET ARGS...   the fixture (as $FPID) fires LANG's probes N times once
#                                      APPLET ARGS... FPID has attached, then the applet is stopped
need_workload rt_fixture
go_fixture() {
	lang=$1 n=$2; shift 2
	rm -f "$TMPD/go"
	"$WORKLOADS/rt_fixture" "$lang" "$TMPD/go" "m_$MARKER" "$n" & FPID=$!
	start "$@" "$FPID"
	wait_ready
	touch "$TMPD/go"; wait "$FPID"
	stop
}
