#!/bin/sh
# A wall-clock step of an hour (as NTP does after boot on a Pi without RTC)
# closes the segment, the sidecar records the jump, and the names stay in
# capture order through the sequence number. The clock is moved through the
# test-only hook IOTAP_TEST_CLOCK_OFFSET_FILE (no root needed).
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
gen 100 200 1790000000 0.01 0 > "$T/in.pcap"
REC=258
echo 0 > "$T/offset"
mkfifo "$T/fifo"
IOTAP_TEST_CLOCK_OFFSET_FILE=$T/offset \
    iotap-record -r "$T/fifo" -w "$T/out" --sensor s --flush 0.3 -G 0 -C 0 2>"$T/log" &
pid=$!
exec 3>"$T/fifo"
pcap_part "$T/in.pcap" 0 40 $REC 1 >&3
wait_until 20 partial_is "$T/out" 40 || fail "first part not flushed"
echo -3600 > "$T/offset"            # the clock steps back an hour
wait_until 20 nsegs_is "$T/out" 1 || fail "clock jump did not close the segment"
s1=$(segs "$T/out" | head -1)
check "close reason" clock-jump "$(yget "$(sidecar_of "$s1")" close_reason)"
j=$(yget "$(sidecar_of "$s1")" clock_jump_seconds)
check "jump recorded (whole seconds)" -3600 "$(printf '%.0f' "$j")"
check "packets before the jump" 40 "$(npk "$s1")"
pcap_part "$T/in.pcap" 40 60 $REC 0 >&3
exec 3>&-
wait $pid
check "exit status" 0 "$?"
check "two segments" 2 "$(segs "$T/out" | wc -l)"
check "all packets" 100 "$(sum_key "$T/out" packets)"
# The sequence numbers give capture order whatever the clock said.
check "sequence order" "0 1" "$(for s in $(segs "$T/out"); do yget "$(sidecar_of "$s")" sequence; done | sort -n | tr '\n' ' ' | sed 's/ $//')"
o1=$(yget "$(sidecar_of "$s1")" opened); o2=$(yget "$(sidecar_of "$(segs "$T/out" | grep -- -000001)")" opened)
[ "$(date -u -d "$o2" +%s)" -lt "$(date -u -d "$o1" +%s)" ] && ok "second segment opened on the stepped-back clock" \
    || fail "opened times $o1 $o2"
out=$(chain_ok "$T/out") || fail "$out"
grep -q 'clock jumped' "$T/log" && ok "jump logged" || fail "jump not logged"
done_testing
