#!/bin/sh
# kill -9 while recording, then restart: the .partial/ leftover becomes a
# finished segment marked recovered, holding every packet flushed before the
# kill, readable by tcpdump and tshark; nothing stays in .partial/; the hash
# chain goes on through it. An empty leftover (killed right after creating
# it) is removed with a message. A leftover with no decodable data (power
# loss can leave blocks that never reached the disk) is never deleted: it is
# moved to SENSORDIR/.damaged/; one damaged in the middle is recovered up to
# the damage and kept whole in .damaged/ as well; both exit 1.
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

# Damaged leftovers (named 14:14:00, between the segments above and the
# next run's): garbage from the first byte, and a good frame with zeros over
# its middle.
printf 'power cut: these blocks never reached the disk ............' > "$T/out/s/.partial/s-20260921T141400Z-000200.pcap.zst"
g=$(sha256sum < "$T/out/s/.partial/s-20260921T141400Z-000200.pcap.zst")
gen 1000 1000 1790001000 0.01 1 > "$T/big.pcap"       # ~1 MB: several zstd blocks
iotap-record -r "$T/big.pcap" -w "$T/big" --sensor s -G 0 -C 0 2>/dev/null || fail "big segment"
b=$(segs "$T/big")
cp "$b" "$T/out/s/.partial/s-20260921T141400Z-000201.pcap.zst"
sz=$(stat -c %s "$b")
dd if=/dev/zero of="$T/out/s/.partial/s-20260921T141400Z-000201.pcap.zst" bs=1 seek=$((sz / 2)) count=64 conv=notrunc 2>/dev/null
d=$(sha256sum < "$T/out/s/.partial/s-20260921T141400Z-000201.pcap.zst")
gen 10 100 1790000100 0.01 0 > "$T/late.pcap"     # named after the leftovers
iotap-record -r "$T/late.pcap" -w "$T/out" --sensor s -G 0 -C 0 2>"$T/log3"
check "restart with damaged leftovers: exit status" 1 "$?"
cat "$T/log3"
check "nothing left in .partial (damaged)" "" "$(ls -A "$T/out/s/.partial")"
check "undecodable leftover kept in .damaged, unchanged" "$g" \
    "$(sha256sum < "$T/out/s/.damaged/s-20260921T141400Z-000200.pcap.zst" 2>/dev/null)"
check "damaged-in-the-middle original kept in .damaged, unchanged" "$d" \
    "$(sha256sum < "$T/out/s/.damaged/s-20260921T141400Z-000201.pcap.zst" 2>/dev/null)"
grep -q 'moved to .*/.damaged/' "$T/log3" && ok "move aside logged" || fail "move aside not logged"
grep -q 'removed' "$T/log3" && fail "a damaged leftover was removed"
s201=$(segs "$T/out" | grep -- '-000201\.pcap\.zst$')
[ -n "$s201" ] && ok "the middle-damaged leftover was recovered as far as it goes" || fail "000201 not recovered"
n201=$(yget "$(sidecar_of "$s201")" packets)
[ "${n201:-0}" -gt 0 ] && [ "${n201:-0}" -lt 1000 ] && ok "recovered $n201 packets before the damage" || fail "000201 packets: $n201"
check "recovered prefix readable" "$n201" "$(npk "$s201")"
segs "$T/out" | grep -q -- '-000200\.pcap\.zst$' && fail "undecodable leftover published as a segment"
out=$(chain_ok "$T/out") || fail "$out"
# iotap-segments lists .damaged/ files as problems, never as segments.
iotap-segments "$T/out" >"$T/segs.csv" 2>"$T/segs.err"
check "iotap-segments: exit 1 for the damaged leftovers" 1 "$?"
check "iotap-segments: each damaged leftover reported" 2 "$(grep -c '/.damaged/.*could not fully recover' "$T/segs.err")"
check "iotap-segments: no row from .damaged/" 0 "$(grep -c '/.damaged/' "$T/segs.csv")"
done_testing
