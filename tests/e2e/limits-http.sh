#!/bin/sh
# HTTP body limits (test-limits-gen bomb / chunked / hole):
#  - a gzip bomb: Content-Encoding: gzip of 10 GiB of zeros (~10 MB on the
#    wire; a valid member, CRC and size included) against a 1 GiB one.
#    --max-body 1M must cut the body at 1 MiB of zeros, mark it incomplete,
#    keep peak RSS flat (inflating or holding 9 GiB more would show) and
#    leave 1 MiB on disk;
#  - a chunked body of 100,000 chunks (1 to 37 bytes, an extension now and
#    then): complete, with the sha256 of the body rebuilt here in perl from
#    the same rule, independently of the generator;
#  - a response whose first body segment is lost, followed by 10 MiB
#    (small) or 100 MiB (large) that the client never ACKs: reassembly
#    capped by --stream-buffer 1M, peak RSS flat and far below 100 MiB, the
#    body marked incomplete, never padded, cut at --max-body 16M on disk;
#    the same when the lost first segment held the response headers (the
#    request is logged without a response, no body is written); and 80
#    such connections at once (2 MiB each, 160 MiB out of order) held
#    within --total-buffer 8M;
#  - 40 requests at once whose header lines never end (1 MiB each): the
#    header block cap holds and each is reported.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
sha() { sha256sum "$1" | cut -c1-64; }
# manifest columns: size 7, sha256 8, path 9, complete 10;
# iotap-http: status 11, response_body_bytes 16, response_body_sha256 18, complete 19
mcol() { awk -F, -v c="$2" 'NR > 1 && $4 == "'"$1"'" && $5 == "in" { print $c }' "$3"; }
hcol() { awk -F, -v c="$2" 'NR > 1 && $10 == "'"$1"'" { print $c }' "$3"; }

# ---- gzip bomb ----
gen bomb 1 "$T/bomb1.pcap"
gen bomb 10 "$T/bomb10.pcap"
head -c 1048576 /dev/zero > "$T/zeros"
measure bomb1-x iotap-extract -q --max-body 1M -o "$T/xb1" "$T/bomb1.pcap"; s=$RSS
measure bomb10-x iotap-extract -q --max-body 1M -o "$T/xb10" "$T/bomb10.pcap"; b=$RSS
check "bomb: extract exit status" 0 "$RC"
flat "bomb: extract, 10 GiB vs 1 GiB decoded" "$s" "$b"
below "bomb: extract" "$b" 262144 "10 GiB decoded, 1 MiB kept"
m=$T/bomb10-x.out
check "bomb: size cut at --max-body" 1048576 "$(mcol /bomb.json 7 "$m")"
check "bomb: marked incomplete" no "$(mcol /bomb.json 10 "$m")"
check "bomb: the kept bytes are the first MiB of zeros" "$(sha "$T/zeros")" "$(mcol /bomb.json 8 "$m")"
p=$(mcol /bomb.json 9 "$m")
check "bomb: file on disk" "$(sha "$T/zeros")" "$(sha "$p")"
du=$(du -sk "$T/xb10" | cut -f1)
[ "$du" -le 2048 ] && ok "bomb: disk use ${du} KiB" || fail "bomb: disk use ${du} KiB for a 1 MiB cap"
# the default cap (64M, man iotap-extract) holds too
measure bomb10-d iotap-extract -q -o "$T/xbd" "$T/bomb10.pcap"
check "bomb: default cap 64 MiB, incomplete" "67108864,no" \
    "$(mcol /bomb.json 7 "$T/bomb10-d.out"),$(mcol /bomb.json 10 "$T/bomb10-d.out")"
check "bomb: default cap, 64 MiB of zeros on disk" "67108864 0" \
    "$(stat -c %s "$T"/xbd/* | tr '\n' ' ')$(tr -d '\0' < "$(mcol /bomb.json 9 "$T/bomb10-d.out")" | wc -c)"
below "bomb: extract with the default cap" "$RSS" 262144 "64 MiB written, not held"
rm -rf "$T/xbd"
measure bomb1-h iotap-http -q --max-body 1M "$T/bomb1.pcap"; s=$RSS
measure bomb10-h iotap-http -q --max-body 1M "$T/bomb10.pcap"; b=$RSS
check "bomb: http exit status" 0 "$RC"
flat "bomb: http, 10 GiB vs 1 GiB decoded" "$s" "$b"
check "bomb: http row status, bytes, sha256, complete" "200,1048576,$(sha "$T/zeros"),no" \
    "$(hcol /bomb.json 11 "$T/bomb10-h.out"),$(hcol /bomb.json 16 "$T/bomb10-h.out"),$(hcol /bomb.json 18 "$T/bomb10-h.out"),$(hcol /bomb.json 19 "$T/bomb10-h.out")"

# ---- 100,000 chunks ----
gen chunked 100000 "$T/chunks.pcap" "$T/chunks.gen"
perl -e 'for my $i (0 .. 99999) { print map { chr(97 + ($i + $_) % 26) } 0 .. $i % 37 }' > "$T/chunks.want"
want=$(sha "$T/chunks.want")
check "chunks: generator and perl agree on the body" "$want" "$(sha "$T/chunks.gen")"
measure chunks-x iotap-extract -q -o "$T/xc" "$T/chunks.pcap"
check "chunks: extract exit status" 0 "$RC"
m=$T/chunks-x.out
check "chunks: size" "$(wc -c < "$T/chunks.want")" "$(mcol /chunks.txt 7 "$m")"
check "chunks: sha256" "$want" "$(mcol /chunks.txt 8 "$m")"
check "chunks: complete" yes "$(mcol /chunks.txt 10 "$m")"
check "chunks: file on disk" "$want" "$(sha "$(mcol /chunks.txt 9 "$m")")"
measure chunks-h iotap-http -q "$T/chunks.pcap"
check "chunks: http sha256, complete" "$want,yes" \
    "$(hcol /chunks.txt 18 "$T/chunks-h.out"),$(hcol /chunks.txt 19 "$T/chunks-h.out")"

# ---- a hole, then 100 MiB never acknowledged ----
gen hole 10 "$T/hole10.pcap"
gen hole 100 "$T/hole100.pcap"
for n in 10 100; do
    measure hole$n-x iotap-extract -q --stream-buffer 1M --max-body 16M -o "$T/xh$n" "$T/hole$n.pcap"
    eval "rx$n=\$RSS"
    check "hole $n MiB: extract exit status" 0 "$RC"
    measure hole$n-h iotap-http -q --stream-buffer 1M --max-body 16M "$T/hole$n.pcap"
    eval "rh$n=\$RSS"
    check "hole $n MiB: http exit status" 0 "$RC"
done
# shellcheck disable=SC2154
flat "hole: extract, 100 MiB vs 10 MiB after the hole" "$rx10" "$rx100"
# shellcheck disable=SC2154
flat "hole: http, 100 MiB vs 10 MiB after the hole" "$rh10" "$rh100"
below "hole: extract" "$rx100" 102400 "the 100 MiB after the hole are not held"
for n in 10 100; do
    m=$T/hole$n-x.out
    check "hole $n MiB: body marked incomplete" no "$(mcol /hole.bin 10 "$m")"
    size=$(mcol /hole.bin 7 "$m")
    p=$(mcol /hole.bin 9 "$m")
    [ -n "$size" ] && [ "$size" -le 16777216 ] && ok "hole $n MiB: $size bytes kept, within --max-body" ||
        fail "hole $n MiB: body size '$size' over --max-body 16M"
    check "hole $n MiB: file size = manifest size" "$size" "$(stat -c %s "$p" 2>/dev/null)"
    check "hole $n MiB: never padded (only bytes that were sent)" 0 "$(tr -d h < "$p" | wc -c)"
    check "hole $n MiB: http row 200, incomplete" "200,no" \
        "$(hcol /hole.bin 11 "$T/hole$n-h.out"),$(hcol /hole.bin 19 "$T/hole$n-h.out")"
done
du=$(du -sk "$T/xh100" | cut -f1)
[ "$du" -le 17408 ] && ok "hole: disk use ${du} KiB" || fail "hole: disk use ${du} KiB for a 16 MiB cap"

# ---- 8 vs 80 such connections at once, 2 MiB each: --total-buffer ----
# Each stream alone stays under --stream-buffer (4M default), so only the
# total cap stands between the 80 streams and 160 MiB held out of order.
gen manyholes 8 2 "$T/mh8.pcap"
gen manyholes 80 2 "$T/mh80.pcap"
for n in 8 80; do
    measure mh$n-h iotap-http -q --total-buffer 8M "$T/mh$n.pcap"
    eval "rh$n=\$RSS"
    check "$n holes: http exit status" 0 "$RC"
    check "$n holes: every response 200, 2 MiB after the hole, incomplete" "$n 200 2097152 no" \
        "$(awk -F, 'NR > 1 { print $11, $16, $19 }' "$T/mh$n-h.out" | sort | uniq -c | awk '{ $1 = $1; print }')"
done
flat "80 holes: http, 160 MiB vs 16 MiB out of order" "$rh8" "$rh80"
below "80 holes: http" "$rh80" 98304 "--total-buffer 8M, far from the 160 MiB sent"
measure mh80-x iotap-extract -q --total-buffer 8M -o "$T/xm" "$T/mh80.pcap"
check "80 holes: extract exit status" 0 "$RC"
below "80 holes: extract" "$RSS" 98304 "--total-buffer 8M, far from the 160 MiB sent"
check "80 holes: 80 incomplete bodies" 80 "$(awk -F, 'NR > 1 && $10 == "no"' "$T/mh80-x.out" | wc -l)"
rm -rf "$T/xm" "$T/mh80.pcap"
# Control, for the log only: the default 256M total cap lets this attack
# hold what it sends (16 MiB for 8 holes), which shows the test above really stresses the buffer.
measure mh8-default iotap-http -q "$T/mh8.pcap"
echo "info: 8 holes with the default --total-buffer: peak RSS $RSS KiB"

# ---- 4 vs 40 requests at once whose header block runs on for 1 MiB ----
gen bigheaders 4 1 "$T/bh4.pcap"
gen bigheaders 40 1 "$T/bh40.pcap"
measure bh4 iotap-http -q "$T/bh4.pcap"; s=$RSS
measure bh40 iotap-http -q "$T/bh40.pcap"; b=$RSS
check "endless headers: http exit status" 0 "$RC"
flat "endless headers: 40 MiB vs 4 MiB of header lines" "$s" "$b"
check "endless headers: each connection reported, naming the file" 40 \
    "$(grep -F "$T/bh40.pcap" "$T/bh40.err" | grep -c 'header block longer than')"
rm -f "$T/bh40.pcap"

# ---- the same, but the lost segment held the response headers too ----
gen holestart 10 "$T/hs10.pcap"
gen holestart 100 "$T/hs100.pcap"
for n in 10 100; do
    measure hs$n-x iotap-extract -q --stream-buffer 1M -o "$T/xs$n" "$T/hs$n.pcap"
    eval "rx$n=\$RSS"
    check "hole at start, $n MiB: extract exit status" 0 "$RC"
    check "hole at start, $n MiB: no body without its headers" "0 0" \
        "$(($(wc -l < "$T/hs$n-x.out") - 1)) $(ls -A "$T/xs$n" 2>/dev/null | wc -l)"
    measure hs$n-h iotap-http -q --stream-buffer 1M "$T/hs$n.pcap"
    eval "rh$n=\$RSS"
    check "hole at start, $n MiB: http exit status" 0 "$RC"
    # the request is logged; its response is unknown and incomplete
    check "hole at start, $n MiB: request row, no status, incomplete" ",no" \
        "$(hcol /hole.bin 11 "$T/hs$n-h.out"),$(hcol /hole.bin 19 "$T/hs$n-h.out")"
done
flat "hole at start: extract, 100 MiB vs 10 MiB" "$rx10" "$rx100"
flat "hole at start: http, 100 MiB vs 10 MiB" "$rh10" "$rh100"
below "hole at start: http" "$rh100" 102400 "the 100 MiB after the hole are not held"
done_testing
