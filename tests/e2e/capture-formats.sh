#!/bin/sh
# capture-formats.sh - the capture reader (lib/capture.c) against Wireshark
# and libpcap:
#  1. a handful of well-formed files (the synthetic home as pcap, pcapng,
#     nanosecond pcap and raw IP, always; with the corpus also pcap, pcapng,
#     SLL, SLL2 and a .gz from it) give tshark's packet list (time to the
#     nanosecond, caplen, len) read directly, after zstd (one frame, and many
#     frames cut at arbitrary bytes) and gzip compression, and through
#     stdin; the bytes written back as pcap print the same under tcpdump -xx
#     as the original;
#  2. (corpus only) EVERY capture in the corpus is read without a crash or
#     sanitizer report, and its packet count equals capinfos' (Wireshark)
#     where capinfos reads the file without error, else tcpdump's (libpcap),
#     and where tcpdump reports damage, we report damage too.
. "$(dirname "$0")/lib.sh"
TC=$IOTAP_BUILD/tests/test-capture
[ -x "$TC" ] || skip "test-capture not built"
for tool in tshark capinfos tcpdump zstd gzip editcap; do
    command -v $tool >/dev/null 2>&1 || skip "$tool not installed"
done
command -v iotap-synth >/dev/null 2>&1 || skip "iotap-synth not built"
C=${IOTAP_CORPUS:-}

# The synthetic home (small) in the formats editcap writes: usec pcap,
# pcapng, nsec pcap, and raw IP (the Ethernet header chopped off, link type
# 101 = DLT_RAW 12/14 elsewhere, the historical mismatch).
S=$(synth_home --bytes 2M) || { echo "iotap-synth failed"; exit 1; }
cp "$S/home.pcap" "$T/synth.pcap"
editcap -F pcapng "$T/synth.pcap" "$T/synth.pcapng" || fail "editcap pcapng"
editcap -F nsecpcap "$T/synth.pcap" "$T/synth-ns.pcap" || fail "editcap nsecpcap"
editcap -F pcap -C 14 -T rawip "$T/synth.pcap" "$T/synth-rawip.pcap" || fail "editcap rawip"
set -- "$T/synth.pcap" "$T/synth.pcapng" "$T/synth-ns.pcap" "$T/synth-rawip.pcap"
if [ -n "$C" ]; then
    for rel in zeek/testing/btest/Traces/http/get.pcap \
               zeek/testing/btest/Traces/http/zeek-image-1080-80-x.pcapng \
               zeek/testing/btest/Traces/linuxsll-arp.pcap \
               zeek/testing/btest/Traces/linux_dlt_sll2.pcap \
               zeek/testing/btest/Traces/http/bro.org.pcap \
               zeek/testing/btest/Traces/tls/tls-fragmented-handshake.pcap.gz; do
        if [ -f "$C/$rel" ]; then set -- "$@" "$C/$rel"; else fail "$rel missing from the corpus"; fi
    done
else
    echo "no corpus (../shared/corpus): part 1 on the synthetic home only, part 2 not run"
fi

# --- 1. a handful of files, every way in ---
tshark_list() {  # tshark's view: epoch.ns caplen len per packet
    tshark -r "$1" -T fields -e frame.time_epoch -e frame.cap_len -e frame.len 2>/dev/null
}
for f in "$@"; do
    b=$(basename "$f")
    tshark_list "$f" > "$T/$b.want"
    n=$(wc -l < "$T/$b.want")
    [ "$n" -gt 0 ] || fail "$b: tshark read no packets"
    check "$b: count = tshark" "$n 0" "$("$TC" --count "$f")"
    "$TC" --list "$f" > "$T/$b.got"
    if cmp -s "$T/$b.want" "$T/$b.got"; then ok "$b: times and lengths = tshark"
    else fail "$b: packet list differs from tshark"; diff "$T/$b.want" "$T/$b.got" | head -5; fi

    # a compressed corpus file: check it as it is (above), then use its
    # content for the rest (tcpdump cannot read .gz, and compressing a
    # compressed file twice is not a capture format)
    case $f in *.gz) gzip -dc "$f" > "$T/$b.raw"; f=$T/$b.raw ;; esac
    zstd -q -c "$f" > "$T/$b.zst"
    gzip -c "$f" > "$T/$b.gz"
    # many zstd frames, cut at odd byte positions (not record boundaries)
    sz=$(wc -c < "$f")
    : > "$T/$b.multi.zst"
    off=0
    for len in 1 23 77 1000 4099 65537; do
        [ $off -lt "$sz" ] || break
        tail -c +$((off + 1)) "$f" | head -c $len | zstd -q -c >> "$T/$b.multi.zst"
        off=$((off + len))
    done
    [ $off -lt "$sz" ] && tail -c +$((off + 1)) "$f" | zstd -q -c >> "$T/$b.multi.zst"
    for v in zst gz multi.zst; do
        "$TC" --list "$T/$b.$v" > "$T/$b.got"
        if cmp -s "$T/$b.want" "$T/$b.got"; then ok "$b.$v = tshark"
        else fail "$b.$v: packet list differs from tshark"; fi
    done
    check "$b via stdin" "$n 0" "$("$TC" --count - < "$f")"
    check "$b.zst via stdin (pipe)" "$n 0" "$(cat "$T/$b.zst" | "$TC" --count -)"
    check "$b.multi.zst via stdin" "$n 0" "$("$TC" --count - < "$T/$b.multi.zst")"

    # the bytes: written back as pcap, tcpdump prints the same hex dump
    "$TC" --write "$T/$b.multi.zst" > "$T/$b.rewritten.pcap"
    tcpdump -r "$f" -n -xx -tt --nano 2>/dev/null > "$T/$b.tcpdump.want"
    tcpdump -r "$T/$b.rewritten.pcap" -n -xx -tt --nano 2>/dev/null > "$T/$b.tcpdump.got"
    [ -s "$T/$b.tcpdump.want" ] || fail "$b: tcpdump printed nothing"
    if cmp -s "$T/$b.tcpdump.want" "$T/$b.tcpdump.got"; then ok "$b: bytes = tcpdump -xx"
    else fail "$b: bytes differ under tcpdump -xx"; fi
done
# several inputs as one stream: the counts add up
want=$(( $(wc -l < "$T/synth.pcap.want") * 2 + $(wc -l < "$T/synth.pcapng.want") ))
check "three inputs, one stream" "$want 0" \
    "$("$TC" --count "$T/synth.pcap" "$T/synth.pcap.multi.zst" "$T/synth.pcapng")"
[ -n "$C" ] || done_testing

# --- 2. every capture in the corpus ---
find "$C" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \
    -o -name '*.pcap.gz' -o -name '*.pcap.zst' -o -name '*.trace' \) | sort > "$T/all"
nall=$(wc -l < "$T/all")
[ "$nall" -gt 100 ] || fail "only $nall corpus captures found"
# ours: batches of 50 files, each batch under a timeout (a hang fails)
: > "$T/ours"
rc_all=0
split -l 50 "$T/all" "$T/batch."
for bf in "$T"/batch.*; do
    tr '\n' '\0' < "$bf" | timeout 120 xargs -0 "$TC" --count-each >> "$T/ours" 2>> "$T/ours.err"
    rc=$?
    [ $rc = 0 ] || { rc_all=$rc; fail "reader exited $rc on batch $(head -n 1 "$bf") ..."; }
done
check "no crash, hang or sanitizer report (exit status)" 0 "$rc_all"
grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$T/ours.err" && fail "sanitizer report"
check "every corpus capture read" "$nall" "$(wc -l < "$T/ours")"

# Wireshark's counts, one capinfos run for all files; files it complains
# about (damage or link types it cannot handle) go to tcpdump instead.
tr '\n' '\0' < "$T/all" | xargs -0 capinfos -c -M -T -r -B > "$T/ci" 2> "$T/ci.err"
grep -o '"[^"]*"' "$T/ci.err" | tr -d '"' | sort -u > "$T/ci.bad"
nmis=0 nchk=0 ntcp=0
while read -r ours_n ours_d file; do
    if grep -qxF "$file" "$T/ci.bad"; then
        # libpcap's view: tcpdump --count; "tcpdump: ..." on stderr is damage
        out=$(tcpdump --count -r "$file" 2>&1)
        want_n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) packets*$/\1/p' | tail -n 1)
        tcp_err=$(printf '%s\n' "$out" | grep -c '^tcpdump: ')
        ntcp=$((ntcp + 1))
        if [ "$tcp_err" -gt 0 ]; then
            [ "$ours_d" -gt 0 ] || { fail "$file: tcpdump reports damage, we do not"; nmis=$((nmis + 1)); }
        else
            [ "$ours_d" = 0 ] || { fail "$file: we report damage, tcpdump does not"; nmis=$((nmis + 1)); }
        fi
        [ "$ours_n" = "$want_n" ] || { fail "$file: $ours_n packets, tcpdump $want_n"; nmis=$((nmis + 1)); }
    else
        want_n=$(awk -F'\t' -v f="$file" '$1 == f { print $2 }' "$T/ci")
        if [ "$ours_n" != "$want_n" ] || [ "$ours_d" != 0 ]; then
            fail "$file: $ours_n packets (damage $ours_d), capinfos $want_n"; nmis=$((nmis + 1))
        fi
    fi
    nchk=$((nchk + 1))
done < "$T/ours"
echo "compared $nchk files ($ntcp against tcpdump), $nmis mismatches"
check "corpus counts agree with Wireshark/libpcap" 0 "$nmis"
done_testing
