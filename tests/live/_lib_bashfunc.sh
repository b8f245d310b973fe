# The bash script of bashfunc.sh and bashfunclat.sh, in $TMPD/f.sh (source after lib.sh): it
# defines f_MARKER (called 5 times) and outer_MARKER, which calls inner_MARKER, which runs a
# 40 ms sleep.
[ -x /bin/bash ] || skip "no /bin/bash"
cat >"$TMPD/f.sh" <<SEOF
f_$MARKER() { :; }
inner_$MARKER() { sleep 0.04; }
outer_$MARKER() { inner_$MARKER; }
for i in 1 2 3 4 5; do f_$MARKER; done
outer_$MARKER
SEOF
