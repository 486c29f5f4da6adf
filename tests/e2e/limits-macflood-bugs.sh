#!/bin/sh
# MAC flood (as in limits-macflood.sh, 150,000 vs 600,000 LAN MACs, caps
# --max-flows/--max-names/--max-rows 10000), the checks that fail today:
#  1. iotap-domains and iotap-devices: peak RSS grows with the number of
#     MACs although both floods exceed the 100,000-MAC cap (measured
#     200,000 -> 1,000,000 MACs: domains 77 -> 235 MB, devices 79 -> 229
#     MB); iotap-domains writes one row per MAC (1,000,000 rows with
#     --max-rows 10000): the per-device fold rows are not capped.
#  2. Nothing lost, nothing miscounted: for each program, packets in its
#     output plus the frames it reports as "not counted" must equal the
#     frames sent. iotap-devices reports 1,800,002 not counted for
#     1,000,000 MACs (900,001 were not); iotap-domains and iotap-flows
#     report 900,000 not counted yet count all 1,000,000.
#  3. iotap-timeline --max-rows 10000 writes 9,999 rows (9,999 packets) and
#     says "990001 flows folded into one row per device", but those frames
#     are in no row: lost.
# KNOWN BUGS (issue #6 hardening report; lib/report/): skipped unless
# IOTAP_TEST_KNOWN_BUGS=1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
[ "${IOTAP_TEST_KNOWN_BUGS:-0}" = 1 ] ||
    skip "known bugs: MAC flood grows iotap-domains/-devices memory, miscounts dropped frames, iotap-timeline loses folded flows (IOTAP_TEST_KNOWN_BUGS=1 runs it)"
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
[ "$rows" -le 110000 ] && ok "domains: $rows rows" || fail "domains: $rows rows with --max-rows 10000"
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
done_testing
