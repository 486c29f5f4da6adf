#!/bin/sh
# iotap-record -r: time rotation driven by packet times (aligned to the
# minute), size rotation, every packet stored byte for byte, tshark and
# tcpdump read each segment, sidecars agree with the files, the hash chain
# links, the sequence number survives a restart, modes 0640/0750.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
command -v tshark >/dev/null || skip "tshark not installed"

# 3000 packets, one every 0.1 s from an instant 20 s past a minute.
gen 3000 200 1790000000 0.1 0 > "$T/in.pcap"
iotap-record -r "$T/in.pcap" -w "$T/a" --sensor home -G 60 -C 0 || fail "exit status"
want_segs=$(tcpdump -tt -r "$T/in.pcap" 2>/dev/null | awk '{ print int($1 / 60) }' | uniq | wc -l)
check "one segment per minute of packet time" "$want_segs" "$(segs "$T/a" | wc -l)"
check "every packet stored, in order, byte for byte" \
    "$(tcpdump -tt -nn -x -r "$T/in.pcap" 2>/dev/null | sha256sum)" "$(dump_all "$T/a" | sha256sum)"
check "sidecar packet counts add up" 3000 "$(sum_key "$T/a" packets)"
bad=0
for s in $(segs "$T/a"); do
    y=$(sidecar_of "$s")
    tsh_ok "$s" || bad=$((bad + 1))
    [ "$(npk "$s")" = "$(yget "$y" packets)" ] || { echo "count mismatch $s"; bad=$((bad + 1)); }
    # All packets of a segment fall in one minute, and the name carries the first one's time.
    f=$(zstdcat "$s" | tcpdump -tt -r - 2>/dev/null | awk 'NR == 1 { f = int($1) } { m[int($1 / 60)] = 1 } END { n = 0; for (k in m) n++; print n, f }')
    [ "${f% *}" = 1 ] || { echo "segment $s spans ${f% *} minutes"; bad=$((bad + 1)); }
    nm=$(date -u -d "@${f#* }" +%Y%m%dT%H%M%SZ)
    case $s in *"/home-$nm-"*) ;; *) echo "name $s does not carry $nm"; bad=$((bad + 1)) ;; esac
    case $s in */$(date -u -d "@${f#* }" +%Y/%m/%d)/*) ;; *) echo "not in dated dir: $s"; bad=$((bad + 1)) ;; esac
    [ "$(stat -c %a "$s")" = 640 ] && [ "$(stat -c %a "$y")" = 640 ] || { echo "mode of $s"; bad=$((bad + 1)); }
    [ "$(yget "$y" close_reason)" = time ] || [ "$(yget "$y" close_reason)" = end-of-input ] || bad=$((bad + 1))
done
check "segments readable by tshark/tcpdump, named, counted" 0 "$bad"
check "directories 0750" 0750 "$(stat -c %04a "$T/a/home" "$T/a/home/.partial" "$(dirname "$(segs "$T/a" | head -1)")" | sort -u)"
out=$(chain_ok "$T/a") || fail "$out"
ok "hash chain"
check "nothing left in .partial" "" "$(ls -A "$T/a/home/.partial")"
check "sequence numbers 0..5" "0 1 2 3 4 5" "$(segs "$T/a" | sed 's/.*-0*\([0-9][0-9]*\)\.pcap\.zst/\1/' | sort -n | tr '\n' ' ' | sed 's/ $//')"

# A second run into the same tree: same times, new sequence numbers, nothing overwritten.
first=$(segs "$T/a" | head -1 | xargs sha256sum | cut -d' ' -f1)
iotap-record -r "$T/in.pcap" -w "$T/a" --sensor home -G 60 -C 0 || fail "exit status (2nd run)"
check "second run adds segments" 12 "$(segs "$T/a" | wc -l)"
check "sequence continues after restart" "6 7 8 9 10 11" \
    "$(segs "$T/a" | sed 's/.*-0*\([0-9][0-9]*\)\.pcap\.zst/\1/' | sort -n | tail -6 | tr '\n' ' ' | sed 's/ $//')"
check "first segment untouched" "$first" "$(segs "$T/a" | head -1 | xargs sha256sum | cut -d' ' -f1)"
# .seq lost: the names on disk still keep numbers unique.
rm -f "$T/a/home/.seq"
iotap-record -r "$T/in.pcap" -w "$T/a" --sensor home -G 0 -C 0 || fail "exit status (3rd run)"
check "sequence recovered from names when .seq is lost" 12 "$(segs "$T/a" | sed -n 's/.*-0*\([0-9][0-9]*\)\.pcap\.zst/\1/p' | sort -n | tail -1)"

# Size rotation on incompressible data: each segment near the limit.
gen 2000 1000 1790000000 0.001 1 > "$T/rand.pcap"
iotap-record -r "$T/rand.pcap" -w "$T/b" --sensor s -C 64K -G 0 || fail "exit status (size)"
n=$(segs "$T/b" | wc -l)
[ "$n" -ge 20 ] && ok "size rotation made $n segments" || fail "size rotation made only $n segments"
big=0
for s in $(segs "$T/b"); do
    sz=$(stat -c %s "$s")
    [ "$sz" -le $((64 * 1024 + 140 * 1024)) ] || big=$((big + 1))
    [ "$(yget "$(sidecar_of "$s")" compressed_bytes)" = "$sz" ] || big=$((big + 1))
done
check "segments stop near -C and sidecars give their size" 0 "$big"
check "every random packet stored" \
    "$(tcpdump -tt -nn -x -r "$T/rand.pcap" 2>/dev/null | sha256sum)" "$(dump_all "$T/b" | sha256sum)"
out=$(chain_ok "$T/b") || fail "$out"
done_testing
