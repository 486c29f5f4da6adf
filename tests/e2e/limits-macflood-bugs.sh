#!/bin/sh
# MAC flood (as in limits-macflood.sh, 150,000 vs 600,000 LAN MACs, caps
# --max-flows/--max-names/--max-rows 10000): what the hardening report
# (issue #6) found broken in lib/report/, fixed, and checked here:
#  1. iotap-domains and iotap-devices: peak RSS flat although the number of
#     MACs grows past the 100,000-MAC cap; iotap-domains writes at most
#     twice --max-rows rows plus the one "(other devices)" row.
#  2. Nothing lost, nothing miscounted: for each program, packets in its
#     output plus the frames it reports as "not counted" equal the frames
#     sent (devices used to report 1,800,002 for 1,000,000 MACs; domains and
#     flows reported 900,000 not counted yet counted all of them).
#  3. iotap-timeline --max-rows 10000: frames past the row cap land in the
#     bucket's "(other devices)" row instead of being lost.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
CAPS="--max-flows 10000 --max-names 10000 --max-rows 10000"
N=600000
gen macflood 150000 "$T/small.pcap"
gen macflood $N "$T/big.pcap"
for prog in iotap-domains iotap-devices; do
    # shellcheck disable=SC2086
    measure small-$prog $prog -q $CAPS "$T/small.pcap"; s=$RSS
    # shellcheck disable=SC2086
    measure big-$prog $prog -q $CAPS "$T/big.pcap"; b=$RSS
    flat "$prog: 600,000 MACs" "$s" "$b"
done
rows=$(($(wc -l < "$T/big-iotap-domains.out") - 1))
[ "$rows" -le 20001 ] && ok "domains: $rows rows" || fail "domains: $rows rows with --max-rows 10000 (at most 20,001)"
grep -q '^,(other devices),' "$T/big-iotap-domains.out" && ok 'domains: "(other devices)" row' ||
    fail 'domains: no "(other devices)" row'
# counted + reported as not counted = sent
notcounted() { sed -n 's/.*MAC addresses: \([0-9]*\) frames of later ones not counted.*/\1/p' "$1" | head -n 1; }
# shellcheck disable=SC2086
measure big-iotap-flows iotap-flows -q $CAPS "$T/big.pcap"
# shellcheck disable=SC2086
measure big-iotap-timeline iotap-timeline -q $CAPS "$T/big.pcap"
for prog in iotap-domains:12 iotap-devices:10 iotap-flows:13 iotap-timeline:4; do
    p=${prog%:*} c=${prog#*:}
    got=$(awk -F, -v c="$c" 'NR > 1 { s += $c } END { print s + 0 }' "$T/big-$p.out")
    nc=$(notcounted "$T/big-$p.err")
    check "$p: frames counted ($got) + reported not counted (${nc:-0}) = frames sent" $N $((got + ${nc:-0}))
done
# iotap-flows and iotap-domains keep every flow: they must not claim frames lost.
for p in iotap-flows iotap-domains; do
    nc=$(notcounted "$T/big-$p.err")
    [ -z "$nc" ] && ok "$p: no frames reported lost" || fail "$p: reports $nc frames not counted"
done
done_testing
