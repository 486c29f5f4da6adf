#!/bin/sh
# kill -9 while recording, then restart: the .partial/ leftover becomes a
# finished segment marked recovered, holding every packet flushed before the
# kill, readable by tcpdump and tshark; nothing stays in .partial/; the hash
# chain goes on through it. A leftover from before the first flush (no
# complete data) is removed with a message.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
gen 200 200 1790000000 0.01 0 > "$T/in.pcap"
REC=258
mkfifo "$T/fifo"
iotap-record -r "$T/fifo" -w "$T/out" --sensor s --flush 0.3 -G 0 -C 0 2>"$T/log1" &
pid=$!
exec 3>"$T/fifo"
pcap_part "$T/in.pcap" 0 150 $REC 1 >&3
wait_until 20 partial_is "$T/out" 150 || fail "not flushed before the kill"
kill -9 $pid
wait $pid 2>/dev/null
exec 3>&-
check "one leftover in .partial" 1 "$(ls "$T/out/s/.partial" | grep -c 'pcap.zst$')"
zstd -t "$T/out/s/.partial/"*.pcap.zst >/dev/null 2>&1 && fail "leftover should be a truncated frame"

# An empty leftover as if killed right after creating the file.
: > "$T/out/s/.partial/s-20260101T000000Z-000099.pcap.zst"
# Restart on another small input: recovery runs first.
pcap_part "$T/in.pcap" 150 50 $REC 1 > "$T/rest.pcap"
iotap-record -r "$T/rest.pcap" -w "$T/out" --sensor s -G 0 -C 0 2>"$T/log2"
check "restart exit status" 0 "$?"
cat "$T/log2"
check "nothing left in .partial" "" "$(ls -A "$T/out/s/.partial")"
check "two finished segments" 2 "$(segs "$T/out" | wc -l)"
r=$(segs "$T/out" | head -1)
y=$(sidecar_of "$r")
check "recovered flag" true "$(yget "$y" recovered)"
check "recovered close reason" recovered "$(yget "$y" close_reason)"
check "recovered packets (tcpdump)" 150 "$(npk "$r")"
check "recovered packets (sidecar)" 150 "$(yget "$y" packets)"
tsh_ok "$r" && ok "tshark reads the recovered segment" || fail "tshark on recovered segment"
zstd -t "$r" >/dev/null 2>&1 && ok "recovered segment is a complete zstd frame" || fail "zstd -t recovered"
check "recovered bytes are the first 150 packets" \
    "$(pcap_part "$T/in.pcap" 0 150 $REC 1 | tcpdump -tt -nn -x -r - 2>/dev/null | sha256sum)" \
    "$(zstdcat "$r" | tcpdump -tt -nn -x -r - 2>/dev/null | sha256sum)"
check "the restart's own segment" 50 "$(npk "$(segs "$T/out" | tail -1)")"
out=$(chain_ok "$T/out") || fail "$out"
grep -q 'no complete data' "$T/log2" && ok "empty leftover reported" || fail "empty leftover not reported"
# The sequence number of the empty leftover is never reused.
check "next sequence above the leftover's" 000100 "$(segs "$T/out" | tail -1 | sed 's/.*-\([0-9]*\)\.pcap\.zst/\1/')"
done_testing
