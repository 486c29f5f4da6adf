#!/bin/sh
# A capture streamed slowly through a FIFO: the open segment is flushed on
# the wall clock (readable from .partial/ while recording), SIGHUP rotates
# at once, SIGTERM and SIGINT finish the segment cleanly and exit 0.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
gen 300 200 1790000000 0.01 0 > "$T/in.pcap"
REC=258     # 16 + 14 + 20 + 8 + 200
mkfifo "$T/fifo"
iotap-record -r "$T/fifo" -w "$T/out" --sensor s --flush 0.5 -G 0 -C 0 2>"$T/log" &
pid=$!
exec 3>"$T/fifo"
pcap_part "$T/in.pcap" 0 100 $REC 1 >&3
if wait_until 20 partial_is "$T/out" 100; then
    ok "100 packets readable from .partial/ after a wall-clock flush"
else
    fail "partial segment holds $(partial_pkts "$T/out") packets, want 100"
fi
check "nothing finished yet" 0 "$(segs "$T/out" | wc -l)"
kill -HUP $pid
wait_until 20 nsegs_is "$T/out" 1 || fail "SIGHUP did not finish a segment"
s1=$(segs "$T/out" | head -1)
check "SIGHUP segment reason" sighup "$(yget "$(sidecar_of "$s1")" close_reason)"
check "SIGHUP segment packets" 100 "$(npk "$s1")"
pcap_part "$T/in.pcap" 100 150 $REC 0 >&3
wait_until 20 partial_is "$T/out" 150 || fail "second part not flushed"
kill -TERM $pid
wait $pid
check "SIGTERM exit status" 0 "$?"
exec 3>&-
check "two segments" 2 "$(segs "$T/out" | wc -l)"
s2=$(segs "$T/out" | tail -1)
check "SIGTERM segment reason" signal "$(yget "$(sidecar_of "$s2")" close_reason)"
check "SIGTERM segment complete" 150 "$(npk "$s2")"
check "stored bytes equal the first 250 packets" \
    "$(pcap_part "$T/in.pcap" 0 250 $REC 1 | tcpdump -tt -nn -x -r - 2>/dev/null | sha256sum)" \
    "$(dump_all "$T/out" | sha256sum)"
for s in $(segs "$T/out"); do tsh_ok "$s" || fail "tshark $s"; done
out=$(chain_ok "$T/out") || fail "$out"
check "nothing left in .partial" "" "$(ls -A "$T/out/s/.partial")"
cat "$T/log"

# SIGINT (Ctrl-C on a terminal) is as clean as SIGTERM.
mkfifo "$T/fifo2"
iotap-record -r "$T/fifo2" -w "$T/int" --sensor s --flush 0.3 -G 0 -C 0 2>"$T/log-int" &
pid=$!
exec 3>"$T/fifo2"
pcap_part "$T/in.pcap" 0 60 $REC 1 >&3
wait_until 20 partial_is "$T/int" 60 || fail "SIGINT part not flushed"
kill -INT $pid
wait $pid
check "SIGINT exit status" 0 "$?"
exec 3>&-
check "SIGINT: one segment" 1 "$(segs "$T/int" | wc -l)"
si=$(segs "$T/int" | head -1)
check "SIGINT segment reason" signal "$(yget "$(sidecar_of "$si")" close_reason)"
check "SIGINT segment complete" 60 "$(npk "$si")"
zstd -qt "$si" 2>/dev/null && ok "SIGINT segment is a complete zstd frame" || fail "SIGINT segment frame"
out=$(chain_ok "$T/int") || fail "$out"
check "nothing left in .partial after SIGINT" "" "$(ls -A "$T/int/s/.partial")"
done_testing
