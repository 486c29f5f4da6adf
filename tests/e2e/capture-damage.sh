#!/bin/sh
# capture-damage.sh - damaged inputs made with the real tools (zstd, gzip,
# dd) from a well-formed capture: the first 3000 packets of the synthetic
# home (always) and, with the corpus, bro.org.pcap. For each: the reader
# says what and where on stderr (one line), delivers exactly the packets
# that libpcap (tcpdump --count) finds in what zstd -dc / gzip -dc could
# recover, counts the damage, and still reads the next input in full.
. "$(dirname "$0")/lib.sh"
TC=$IOTAP_BUILD/tests/test-capture
[ -x "$TC" ] || skip "test-capture not built"
for tool in tshark tcpdump zstd gzip dd; do
    command -v $tool >/dev/null 2>&1 || skip "$tool not installed"
done
command -v iotap-synth >/dev/null 2>&1 || skip "iotap-synth not built"
S=$(synth_home --bytes 2M) || { echo "iotap-synth failed"; exit 1; }
tcpdump -r "$S/home.pcap" -c 3000 -w "$T/synth-3000.pcap" 2>/dev/null
set -- "$T/synth-3000.pcap"
if [ -n "${IOTAP_CORPUS:-}" ]; then
    f=$IOTAP_CORPUS/zeek/testing/btest/Traces/http/bro.org.pcap
    if [ -f "$f" ]; then set -- "$@" "$f"; else fail "bro.org.pcap missing from the corpus"; fi
else
    echo "no corpus (../shared/corpus): the synthetic home only"
fi

i=0
for GOOD in "$@"; do
    i=$((i + 1)); W=$T/$i; mkdir -p "$W"; TAG=$(basename "$GOOD")
    NGOOD=$(tcpdump --count -r "$GOOD" 2>/dev/null | sed -n 's/ packets*$//p')
    [ "$NGOOD" -gt 100 ] || fail "tcpdump counted $NGOOD packets in $TAG"
    SIZE=$(wc -c < "$GOOD")

    tcount() {  # packets libpcap reads from a (possibly cut) pcap
        tcpdump --count -r "$1" 2>/dev/null | sed -n 's/ packets*$//p'
    }
    # damaged NAME FILE WANT_PACKETS FRAGMENT: FILE then GOOD as one stream
    damaged() {
        out=$("$TC" --count "$2" "$GOOD" 2> "$W/$1.err")
        check "$TAG $1: packets (damaged input's readable ones + next input)" "$(($3 + NGOOD)) 1" "$out"
        if grep -qF -- "$4" "$W/$1.err"; then ok "$TAG $1: message"
        else fail "$TAG $1: stderr lacks '$4': $(cat "$W/$1.err")"; fi
        check "$TAG $1: one line on stderr" 1 "$(wc -l < "$W/$1.err")"
        grep -qF "$2" "$W/$1.err" || fail "$TAG $1: message does not name the file"
    }

    # 1. zstd cut short mid-frame
    zstd -q -c "$GOOD" > "$W/full.zst"
    zs=$(wc -c < "$W/full.zst")
    cut=$((zs * 3 / 5))
    head -c $cut "$W/full.zst" > "$W/cut.pcap.zst"
    zstd -dc "$W/cut.pcap.zst" > "$W/cut.prefix" 2>/dev/null
    want=$(tcount "$W/cut.prefix")
    [ "$want" -gt 0 ] && [ "$want" -lt "$NGOOD" ] || fail "$TAG: cut zstd: libpcap finds $want packets"
    damaged "truncated zstd" "$W/cut.pcap.zst" "$want" "truncated zstd frame at byte $cut (after packet $want)"

    # 2. one byte changed inside the zstd data (the zstd CLI adds a checksum)
    cp "$W/full.zst" "$W/bad.pcap.zst"
    printf '\377' | dd of="$W/bad.pcap.zst" bs=1 seek=$((zs / 2)) conv=notrunc 2>/dev/null
    cmp -s "$W/full.zst" "$W/bad.pcap.zst" && printf '\000' | dd of="$W/bad.pcap.zst" bs=1 seek=$((zs / 2)) conv=notrunc 2>/dev/null
    zstd -dc "$W/bad.pcap.zst" > "$W/bad.prefix" 2>/dev/null
    want=$(tcount "$W/bad.prefix")
    damaged "corrupt zstd" "$W/bad.pcap.zst" "$want" "corrupt zstd data at byte"

    # 3. gzip cut short
    gzip -c "$GOOD" > "$W/full.gz"
    gs=$(wc -c < "$W/full.gz")
    head -c $((gs / 2)) "$W/full.gz" > "$W/cut.pcap.gz"
    gzip -dc "$W/cut.pcap.gz" > "$W/gcut.prefix" 2>/dev/null
    want=$(tcount "$W/gcut.prefix")
    [ "$want" -gt 0 ] && [ "$want" -lt "$NGOOD" ] || fail "$TAG: cut gzip: libpcap finds $want packets"
    damaged "truncated gzip" "$W/cut.pcap.gz" "$want" "truncated gzip data at byte $((gs / 2)) (after packet $want)"

    # 4. bad record length in packet K (offset from tshark's caplens)
    K=200
    off=$(tshark -r "$GOOD" -T fields -e frame.cap_len 2>/dev/null |
          awk -v k=$K 'BEGIN { o = 24 } NR < k { o += 16 + $1 } END { print o }')
    cp "$GOOD" "$W/badlen.pcap"
    printf '\377\377\377\377' | dd of="$W/badlen.pcap" bs=1 seek=$((off + 8)) conv=notrunc 2>/dev/null
    check "$TAG: libpcap agrees packet $K is bad" $((K - 1)) "$(tcount "$W/badlen.pcap")"
    damaged "bad record length" "$W/badlen.pcap" $((K - 1)) \
        "bad record length 4294967295 at byte $off (packet $K)"
    # the same inside zstd: offsets are in the decompressed stream
    zstd -q -c "$W/badlen.pcap" > "$W/badlen.pcap.zst"
    damaged "bad record length (zstd)" "$W/badlen.pcap.zst" $((K - 1)) \
        "bad record length 4294967295 at byte $off (packet $K)"

    # 5. garbage after the last record
    { cat "$GOOD"; printf 'JUNK!'; } > "$W/junk.pcap"
    damaged "garbage at end" "$W/junk.pcap" "$NGOOD" "5 bytes of garbage at end (byte $SIZE"

    # 6. the last record cut short
    head -c $((SIZE - 10)) "$GOOD" > "$W/short.pcap"
    want=$(tcount "$W/short.pcap")
    check "$TAG: libpcap loses the last packet" $((NGOOD - 1)) "$want"
    damaged "truncated record" "$W/short.pcap" "$want" "bytes of truncated record at end"

    # 7. not there, not a capture
    damaged "nonexistent" "$W/nope.pcap" 0 "nope.pcap: cannot open: No such file or directory"
    printf 'just some text\n' > "$W/text.pcap"
    damaged "not a capture" "$W/text.pcap" 0 "not a capture file (unknown magic 6a757374)"

    # 8. a damaged segment in the middle of a directory: the rest is read
    mkdir -p "$W/root/s/2026/11/01"
    cp "$W/full.zst" "$W/root/s/2026/11/01/s-20261101T000000Z-000001.pcap.zst"
    cp "$W/cut.pcap.zst" "$W/root/s/2026/11/01/s-20261101T010000Z-000002.pcap.zst"
    cp "$W/full.zst" "$W/root/s/2026/11/01/s-20261101T020000Z-000003.pcap.zst"
    want=$(tcount "$W/cut.prefix")
    out=$("$TC" --count "$W/root" 2> "$W/dir.err")
    check "$TAG: directory with a damaged segment" "$((NGOOD * 2 + want)) 1" "$out"
    grep -q "000002.pcap.zst: truncated zstd frame" "$W/dir.err" || fail "$TAG: directory: $(cat "$W/dir.err")"
done
done_testing
