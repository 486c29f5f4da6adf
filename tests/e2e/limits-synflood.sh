#!/bin/sh
# SYN flood: one LAN server (02:11:22:33:44:55, 192.168.1.10:80) gets one SYN
# each from 30,000 (small) and 300,000 (large) distinct outside (address,
# port) pairs, 1,024 ports per address, 10 us apart, nothing answered. With
# --max-flows 10000, iotap-flows, -devices and -domains must keep peak RSS
# flat (the large flood holds 270,000 more half-open flows; each flow
# record is well over 32 bytes, so holding them would add more than the
# 8 MiB slack), report the early closes on stderr, and still count every
# SYN. (A million distinct flows of any kind: tests/e2e/reports-memory.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
DEV=02:11:22:33:44:55
CAPS="--max-flows 10000 --max-names 10000 --max-rows 10000"
gen synflood 30000 "$T/small.pcap"
gen synflood 300000 "$T/big.pcap"
for prog in iotap-flows iotap-devices iotap-domains; do
    # shellcheck disable=SC2086
    measure small-$prog $prog -q $CAPS "$T/small.pcap"; s=$RSS
    # shellcheck disable=SC2086
    measure big-$prog $prog -q $CAPS "$T/big.pcap"; b=$RSS
    check "$prog: exit status" 0 "$RC"
    flat "$prog: 300,000 SYNs" "$s" "$b"
    check "$prog: early closes reported" 1 \
        "$(grep -c 'flow table full (10000 open flows): 290000 flows closed early' "$T/big-$prog.err")"
done
out=$T/big-iotap-flows.out
check "flows: one row per SYN" 300000 "$(awk -F, -v d=$DEV '$3 == d' "$out" | wc -l)"
check "flows: every row a lone inbound SYN (S0, 1 packet, 54 bytes)" 300000 \
    "$(awk -F, -v d=$DEV '$3 == d && $12 == "S0" && $13 == 0 && $14 == 1 && $16 == 54' "$out" | wc -l)"
check "flows: distinct remote (address, port) pairs" 300000 \
    "$(awk -F, -v d=$DEV '$3 == d { print $7 ":" $8 }' "$out" | sort -u | wc -l)"
check "devices: packets in, bytes in, flows" "300000 16200000 300000" \
    "$(awk -F, -v d=$DEV '$1 == d { print $11, $13, $14 }' "$T/big-iotap-devices.out")"
check "domains: packets in summed over rows" 300000 \
    "$(awk -F, -v d=$DEV '$1 == d { p += $13 } END { print p }' "$T/big-iotap-domains.out")"
done_testing
