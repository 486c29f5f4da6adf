#!/bin/sh
# capture-damage.sh - damaged inputs made with the real tools (zstd, gzip,
# dd) from a well-formed corpus capture. For each: the reader says what and
# where on stderr (one line), delivers exactly the packets that libpcap
# (tcpdump --count) finds in what zstd -dc / gzip -dc could recover, counts
# the damage, and still reads the next input in full.
. "$(dirname "$0")/lib.sh"
[ -n "${IOTAP_CORPUS:-}" ] || skip "no corpus (../shared/corpus)"
TC=$IOTAP_BUILD/tests/test-capture
[ -x "$TC" ] || skip "test-capture not built"
for tool in tshark tcpdump zstd gzip dd; do
    command -v $tool >/dev/null 2>&1 || skip "$tool not installed"
done
GOOD=$IOTAP_CORPUS/zeek/testing/btest/Traces/http/bro.org.pcap
[ -f "$GOOD" ] || skip "bro.org.pcap missing from the corpus"
NGOOD=$(tcpdump --count -r "$GOOD" 2>/dev/null | sed -n 's/ packets*$//p')
[ "$NGOOD" -gt 100 ] || fail "tcpdump counted $NGOOD packets in bro.org.pcap"
SIZE=$(wc -c < "$GOOD")

tcount() {  # packets libpcap reads from a (possibly cut) pcap
    tcpdump --count -r "$1" 2>/dev/null | sed -n 's/ packets*$//p'
}
# damaged NAME FILE WANT_PACKETS FRAGMENT: FILE then GOOD as one stream
damaged() {
    out=$("$TC" --count "$2" "$GOOD" 2> "$T/$1.err")
    check "$1: packets (damaged input's readable ones + next input)" "$(($3 + NGOOD)) 1" "$out"
    if grep -qF -- "$4" "$T/$1.err"; then ok "$1: message"
    else fail "$1: stderr lacks '$4': $(cat "$T/$1.err")"; fi
    check "$1: one line on stderr" 1 "$(wc -l < "$T/$1.err")"
    grep -qF "$2" "$T/$1.err" || fail "$1: message does not name the file"
}

# 1. zstd cut short mid-frame
zstd -q -c "$GOOD" > "$T/full.zst"
zs=$(wc -c < "$T/full.zst")
cut=$((zs * 3 / 5))
head -c $cut "$T/full.zst" > "$T/cut.pcap.zst"
zstd -dc "$T/cut.pcap.zst" > "$T/cut.prefix" 2>/dev/null
want=$(tcount "$T/cut.prefix")
[ "$want" -gt 0 ] && [ "$want" -lt "$NGOOD" ] || fail "cut zstd: libpcap finds $want packets"
damaged "truncated zstd" "$T/cut.pcap.zst" "$want" "truncated zstd frame at byte $cut (after packet $want)"

# 2. one byte changed inside the zstd data (the zstd CLI adds a checksum)
cp "$T/full.zst" "$T/bad.pcap.zst"
printf '\377' | dd of="$T/bad.pcap.zst" bs=1 seek=$((zs / 2)) conv=notrunc 2>/dev/null
cmp -s "$T/full.zst" "$T/bad.pcap.zst" && printf '\000' | dd of="$T/bad.pcap.zst" bs=1 seek=$((zs / 2)) conv=notrunc 2>/dev/null
zstd -dc "$T/bad.pcap.zst" > "$T/bad.prefix" 2>/dev/null
want=$(tcount "$T/bad.prefix")
damaged "corrupt zstd" "$T/bad.pcap.zst" "$want" "corrupt zstd data at byte"

# 3. gzip cut short
gzip -c "$GOOD" > "$T/full.gz"
gs=$(wc -c < "$T/full.gz")
head -c $((gs / 2)) "$T/full.gz" > "$T/cut.pcap.gz"
gzip -dc "$T/cut.pcap.gz" > "$T/gcut.prefix" 2>/dev/null
want=$(tcount "$T/gcut.prefix")
[ "$want" -gt 0 ] && [ "$want" -lt "$NGOOD" ] || fail "cut gzip: libpcap finds $want packets"
damaged "truncated gzip" "$T/cut.pcap.gz" "$want" "truncated gzip data at byte $((gs / 2)) (after packet $want)"

# 4. bad record length in packet K (offset from tshark's caplens)
K=200
off=$(tshark -r "$GOOD" -T fields -e frame.cap_len 2>/dev/null |
      awk -v k=$K 'BEGIN { o = 24 } NR < k { o += 16 + $1 } END { print o }')
cp "$GOOD" "$T/badlen.pcap"
printf '\377\377\377\377' | dd of="$T/badlen.pcap" bs=1 seek=$((off + 8)) conv=notrunc 2>/dev/null
check "libpcap agrees packet $K is bad" $((K - 1)) "$(tcount "$T/badlen.pcap")"
damaged "bad record length" "$T/badlen.pcap" $((K - 1)) \
    "bad record length 4294967295 at byte $off (packet $K)"
# the same inside zstd: offsets are in the decompressed stream
zstd -q -c "$T/badlen.pcap" > "$T/badlen.pcap.zst"
damaged "bad record length (zstd)" "$T/badlen.pcap.zst" $((K - 1)) \
    "bad record length 4294967295 at byte $off (packet $K)"

# 5. garbage after the last record
{ cat "$GOOD"; printf 'JUNK!'; } > "$T/junk.pcap"
damaged "garbage at end" "$T/junk.pcap" "$NGOOD" "5 bytes of garbage at end (byte $SIZE"

# 6. the last record cut short
head -c $((SIZE - 10)) "$GOOD" > "$T/short.pcap"
want=$(tcount "$T/short.pcap")
check "libpcap loses the last packet" $((NGOOD - 1)) "$want"
damaged "truncated record" "$T/short.pcap" "$want" "bytes of truncated record at end"

# 7. not there, not a capture
damaged "nonexistent" "$T/nope.pcap" 0 "nope.pcap: cannot open: No such file or directory"
printf 'just some text\n' > "$T/text.pcap"
damaged "not a capture" "$T/text.pcap" 0 "not a capture file (unknown magic 6a757374)"

# 8. a damaged segment in the middle of a directory: the rest is read
mkdir -p "$T/root/s/2026/11/01"
cp "$T/full.zst" "$T/root/s/2026/11/01/s-20261101T000000Z-000001.pcap.zst"
cp "$T/cut.pcap.zst" "$T/root/s/2026/11/01/s-20261101T010000Z-000002.pcap.zst"
cp "$T/full.zst" "$T/root/s/2026/11/01/s-20261101T020000Z-000003.pcap.zst"
want=$(tcount "$T/cut.prefix")
out=$("$TC" --count "$T/root" 2> "$T/dir.err")
check "directory with a damaged segment" "$((NGOOD * 2 + want)) 1" "$out"
grep -q "000002.pcap.zst: truncated zstd frame" "$T/dir.err" || fail "directory: $(cat "$T/dir.err")"
done_testing
