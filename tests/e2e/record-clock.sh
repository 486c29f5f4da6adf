#!/bin/sh
# A wall-clock step of an hour back or ahead (as NTP does after boot on a Pi
# without RTC) closes the segment, the sidecar records the jump, and the names stay in
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

# Forward: the clock steps an hour ahead (a Pi booted with a stale clock).
echo 0 > "$T/offset"
mkfifo "$T/fifo2"
IOTAP_TEST_CLOCK_OFFSET_FILE=$T/offset \
    iotap-record -r "$T/fifo2" -w "$T/fwd" --sensor s --flush 0.3 -G 0 -C 0 2>"$T/log2" &
pid=$!
exec 3>"$T/fifo2"
pcap_part "$T/in.pcap" 0 30 $REC 1 >&3
wait_until 20 partial_is "$T/fwd" 30 || fail "forward: first part not flushed"
echo 3600 > "$T/offset"
wait_until 20 nsegs_is "$T/fwd" 1 || fail "forward jump did not close the segment"
f1=$(segs "$T/fwd" | head -1)
check "forward: close reason" clock-jump "$(yget "$(sidecar_of "$f1")" close_reason)"
j=$(yget "$(sidecar_of "$f1")" clock_jump_seconds)
check "forward: jump recorded" 3600 "$(printf '%.0f' "$j")"
pcap_part "$T/in.pcap" 30 70 $REC 0 >&3
exec 3>&-
wait $pid
check "forward: exit status" 0 "$?"
check "forward: two segments" 2 "$(segs "$T/fwd" | wc -l)"
check "forward: all packets" 100 "$(sum_key "$T/fwd" packets)"
f2=$(segs "$T/fwd" | tail -1)
o1=$(yget "$(sidecar_of "$f1")" opened); o2=$(yget "$(sidecar_of "$f2")" opened)
d=$(( $(date -u -d "$o2" +%s) - $(date -u -d "$o1" +%s) ))
[ $d -ge 3590 ] && ok "second segment opened on the stepped-ahead clock" || fail "opened times $o1 $o2"
out=$(chain_ok "$T/fwd") || fail "$out"
done_testing
