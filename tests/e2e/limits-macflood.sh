#!/bin/sh
# MAC flood: 150,000 (small) and 600,000 (large) frames, each from its own
# LAN MAC (02:00:xx:xx:xx:xx, 10.x.x.x) to the router, a UDP datagram to
# 198.51.100.53:9999. Both floods exceed the reports' MAC cap (100,000,
# lib/report/report.h max_macs), so what is held is capped in both and the
# large run must need no more memory than the small one (450,000 more MACs
# at >= 32 bytes each would be over the 8 MiB slack). Checked here, where
# it holds: iotap-flows (memory flat, one row per frame), iotap-devices
# (at most 100,000 devices listed, the MAC cap reported) and
# iotap-timeline (memory flat). What fails today is in
# limits-macflood-bugs.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
CAPS="--max-flows 10000 --max-names 10000 --max-rows 10000"
gen macflood 150000 "$T/small.pcap"
gen macflood 600000 "$T/big.pcap"
for prog in iotap-flows iotap-timeline; do
    # shellcheck disable=SC2086
    measure small-$prog $prog -q $CAPS "$T/small.pcap"; s=$RSS
    # shellcheck disable=SC2086
    measure big-$prog $prog -q $CAPS "$T/big.pcap"; b=$RSS
    check "$prog: exit status" 0 "$RC"
    flat "$prog: 600,000 MACs" "$s" "$b"
done
check "flows: one row per frame, each from its own MAC" "600000 600000" \
    "$(tail -n +2 "$T/big-iotap-flows.out" | wc -l) $(tail -n +2 "$T/big-iotap-flows.out" | cut -d, -f3 | sort -u | wc -l)"
# shellcheck disable=SC2086
measure big-devices iotap-devices -q $CAPS "$T/big.pcap"
check "devices: exit status" 0 "$RC"
rows=$(($(wc -l < "$T/big-devices.out") - 1))
[ "$rows" -le 100000 ] && [ "$rows" -ge 99000 ] && ok "devices: $rows devices listed, within the MAC cap" ||
    fail "devices: $rows devices listed with a cap of 100,000 MACs"
grep -q 'more than 100000 MAC addresses' "$T/big-devices.err" && ok "devices: MAC cap reported" ||
    fail "devices: MAC cap not reported"
done_testing
