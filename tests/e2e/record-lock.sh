#!/bin/sh
# One recorder per sensor directory. A second iotap-record on the same root
# and sensor while the first runs must refuse to start (exit 2, a clear
# message) instead of "recovering" the first one's open .partial/ segment;
# the first one's data stays intact (every packet, sidecar SHA-256 and hash
# chain right). Another sensor name under the same root is fine, including a
# name with dots.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
gen 200 200 1790000000 0.01 0 > "$T/in.pcap"
gen 20 100 1790000100 0.01 0 7 > "$T/other.pcap"
REC=258
mkfifo "$T/fifo"
iotap-record -r "$T/fifo" -w "$T/out" --sensor s --flush 0.3 -G 0 -C 0 2>"$T/log1" &
pid=$!
exec 3>"$T/fifo"
pcap_part "$T/in.pcap" 0 100 $REC 1 >&3
wait_until 20 partial_is "$T/out" 100 || fail "first part not flushed"
part=$(ls "$T/out/s/.partial/"*.pcap.zst)

iotap-record -r "$T/other.pcap" -w "$T/out" --sensor s -G 0 -C 0 2>"$T/log2"
check "second recorder on the same sensor: exit status" 2 "$?"
cat "$T/log2"
grep -q 'already recording' "$T/log2" && ok "second recorder says why" || fail "no clear message"
check "live segment still in .partial" "$part" "$(ls "$T/out/s/.partial/"*.pcap.zst 2>/dev/null)"
check "nothing published by the second recorder" 0 "$(segs "$T/out" | wc -l)"
kill -0 $pid 2>/dev/null && ok "first recorder still running" || fail "first recorder died"

# Other sensors under the same root are independent (and dots are fine).
iotap-record -r "$T/other.pcap" -w "$T/out" --sensor pi.lan -G 0 -C 0 2>"$T/log3"
check "other sensor (pi.lan) exit status" 0 "$?"
cat "$T/log3"
check "pi.lan published its segment" 1 "$(segs "$T/out/pi.lan" | wc -l)"
check "pi.lan packets" 20 "$(sum_key "$T/out/pi.lan" packets)"
check "nothing left in pi.lan/.partial" "" "$(ls "$T/out/pi.lan/.partial")"

pcap_part "$T/in.pcap" 100 100 $REC 0 >&3
exec 3>&-
wait $pid
check "first recorder exit status" 0 "$?"
check "one segment of the first recorder" 1 "$(segs "$T/out/s" | wc -l)"
check "first recorder's data intact" \
    "$(tcpdump -tt -nn -x -r "$T/in.pcap" 2>/dev/null | sha256sum)" "$(dump_all "$T/out/s" | sha256sum)"
out=$(chain_ok "$T/out/s") || fail "$out"
grep -q recovered "$T/log1" "$T/log2" && fail "something was 'recovered'"
check "not marked recovered" false "$(yget "$(sidecar_of "$(segs "$T/out/s")")" recovered)"
# After the first one exits, the directory is free again.
iotap-record -r "$T/other.pcap" -w "$T/out" --sensor s -G 0 -C 0 2>"$T/log4"
check "after the first exits: exit status" 0 "$?"
check "two segments now" 2 "$(segs "$T/out/s" | wc -l)"
out=$(chain_ok "$T/out/s") || fail "$out"
# Bad sensor names are refused up front.
for bad in .hidden a/b ..; do
    iotap-record -r "$T/other.pcap" -w "$T/out" --sensor "$bad" 2>/dev/null
    check "sensor '$bad' refused" 2 "$?"
done
done_testing
