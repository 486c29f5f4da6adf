#!/bin/sh
# iotap-extract and iotap-http on hand-made hostile conversations
# (tests/e2e/http-gen.pl): path traversal and control characters in URLs,
# a symlink planted in the output directory, a gzip bomb, lying lengths,
# an endless chunked body, 10,000 pipelined requests, a lost segment, and
# out-of-order + retransmitted segments across a sequence wrap. Expected
# bodies are the bytes the generator sent, hashed with sha256sum.
. "$IOTAP_SRC/tests/e2e/lib.sh"
command -v perl >/dev/null || skip "perl not installed"
GEN=$IOTAP_SRC/tests/e2e/http-gen.pl
sha() { sha256sum "$1" | cut -c1-64; }
# field N of manifest rows matching PATTERN (fields here hold no commas)
col() { grep -- "$2" "$3" | cut -d, -f"$1"; }

# ---- traversal: every file lands inside DIR with a safe name ----
mkdir -p "$T/b-trav"
perl "$GEN" traversal "$T/trav.pcap" "$T/b-trav"
mkdir -p "$T/outside"
umask 022
iotap-extract -q -o "$T/x-trav" "$T/trav.pcap" > "$T/trav.csv" 2> "$T/trav.err" || fail "traversal run"
check "one row per body" 10 "$(($(wc -l < "$T/trav.csv") - 1))"
check "one file per body" 10 "$(ls -A "$T/x-trav" | wc -l)"
check "nothing written outside DIR" 0 "$(find "$T" -newer "$T/trav.pcap" -type f ! -path "$T/x-trav/*" ! -path "$T/b-trav/*" ! -name 'trav.*' | wc -l)"
bad=$(ls -A "$T/x-trav" | LC_ALL=C grep -c -E '^\.|\.\.|[^A-Za-z0-9._~-]')
check "no unsafe file names" 0 "$bad"
long=$(ls -A "$T/x-trav" | awk 'length($0) > 255' | wc -l)
check "names at most 255 bytes" 0 "$long"
tail -n +2 "$T/trav.csv" | while IFS= read -r line; do
    p=$(printf '%s\n' "$line" | awk -F, '{print $(NF-2)}')
    case $p in "$T/x-trav/"*/*) echo "nested: $p" ;; "$T/x-trav/"*) ;; *) echo "outside: $p" ;; esac
done > "$T/trav.paths"
check "manifest paths directly beneath DIR" "" "$(cat "$T/trav.paths")"
for f in "$T"/b-trav/*; do
    h=$(sha "$f")
    n=$(grep -c "$h" "$T/trav.csv")
    [ "$n" = 1 ] || fail "body $(basename "$f") not in the manifest once ($n)"
    p=$(grep "$h" "$T/trav.csv" | awk -F, '{print $(NF-2)}')
    [ -f "$p" ] && [ "$(sha "$p")" = "$h" ] || fail "file for $(basename "$f") missing or wrong"
done
# Mode 0640 under umask 022 (set above); under umask 077 never more open.
check "files are mode 0640 (umask 022)" "640" "$(stat -c %a "$T"/x-trav/* | sort -u)"
(umask 077 && iotap-extract -q -o "$T/x-u77" "$T/trav.pcap" > /dev/null 2>&1) || fail "umask 077 run"
check "umask 077: files 0600, not more open than 0640" "600" "$(stat -c %a "$T"/x-u77/* | sort -u)"

# ---- a second run into the same DIR: existing identical files reused ----
iotap-extract -q -o "$T/x-trav" "$T/trav.pcap" > "$T/trav2.csv" 2> "$T/trav2.err" || fail "second run"
check "second run: the same file count" 10 "$(ls -A "$T/x-trav" | wc -l)"
check "second run: no ~N copies" "" "$(ls -A "$T/x-trav" | grep '~')"
check "second run: the same manifest paths" "$(tail -n +2 "$T/trav.csv" | awk -F, '{print $(NF-2)}')" \
    "$(tail -n +2 "$T/trav2.csv" | awk -F, '{print $(NF-2)}')"

# ---- symlink planted where the first body's file would go ----
mkdir -p "$T/x-link"
h=$(sha "$T/b-trav/00-resp")
planted="passwd-$(printf %.12s "$h").txt"
echo "precious" > "$T/outside/precious"
ln -s "$T/outside/precious" "$T/x-link/$planted"
iotap-extract -q -o "$T/x-link" "$T/trav.pcap" > "$T/link.csv" 2>&1 || fail "symlink run"
check "planted link target untouched" precious "$(cat "$T/outside/precious")"
check "link still a link" yes "$([ -L "$T/x-link/$planted" ] && echo yes)"
p=$(grep "$h" "$T/link.csv" | awk -F, '{print $(NF-2)}')
[ "$p" != "$T/x-link/$planted" ] && [ -f "$p" ] && [ ! -L "$p" ] && [ "$(sha "$p")" = "$h" ] \
    && ok "body stored beside the link" || fail "body went through the link: $p"

# ---- gzip bomb: 256 MiB of zeros cut at --max-body, marked incomplete ----
perl "$GEN" bomb "$T/bomb.pcap"
iotap-extract -q --max-body 1M -o "$T/x-bomb" "$T/bomb.pcap" > "$T/bomb.csv" || fail "bomb run"
check "bomb: size capped" 1048576 "$(col 7 bomb.json "$T/bomb.csv")"
check "bomb: incomplete" no "$(col 10 bomb.json "$T/bomb.csv")"
head -c 1048576 /dev/zero > "$T/zeros"
check "bomb: the capped bytes are the first MiB" "$(sha "$T/zeros")" "$(col 8 bomb.json "$T/bomb.csv")"
check "bomb: file size on disk" 1048576 "$(stat -c %s "$T"/x-bomb/bomb-*)"
iotap-http -q --max-body 1M "$T/bomb.pcap" > "$T/bomb-http.csv" || fail "bomb http run"
check "bomb: http row incomplete" no "$(tail -n 1 "$T/bomb-http.csv" | awk -F, '{print $(NF-1)}')"

# ---- lying lengths: reported, never a hang, the honest one still right ----
mkdir -p "$T/b-lie"
perl "$GEN" lying "$T/lie.pcap" "$T/b-lie"
iotap-extract -q -o "$T/x-lie" "$T/lie.pcap" > "$T/lie.csv" 2> "$T/lie.err" || fail "lying run"
check "short body kept as sent" "$(sha "$T/b-lie/00-resp")" "$(col 8 /short "$T/lie.csv")"
check "short body incomplete" no "$(col 10 /short "$T/lie.csv")"
check "honest body right" "$(sha "$T/b-lie/01-resp")" "$(col 8 /fine.txt "$T/lie.csv")"
check "honest body complete" yes "$(col 10 /fine.txt "$T/lie.csv")"
grep -q "chunk size too large" "$T/lie.err" && ok "2^64 chunk size reported" || fail "2^64 chunk size not reported"
grep -q "bad Content-Length: -3" "$T/lie.err" && ok "negative length reported" || fail "negative length not reported"
grep -q "packet [0-9]" "$T/lie.err" && ok "reports name the packet" || fail "reports lack the packet number"

# ---- endless chunked body ----
perl "$GEN" endless "$T/endless.pcap"
iotap-extract -q --max-body 1M -o "$T/x-end" "$T/endless.pcap" > "$T/end.csv" || fail "endless run"
check "endless: capped" 1048576 "$(col 7 /stream "$T/end.csv")"
check "endless: incomplete" no "$(col 10 /stream "$T/end.csv")"
head -c 1048576 /dev/zero | tr '\0' x > "$T/xs"
check "endless: chunk framing not in the file" "$(sha "$T/xs")" "$(col 8 /stream "$T/end.csv")"

# ---- 10,000 pipelined requests on one connection ----
perl "$GEN" pipelined "$T/pipe.pcap"
iotap-http -q "$T/pipe.pcap" > "$T/pipe.csv" || fail "pipelined run"
check "pipelined: one row per request" 10000 "$(($(wc -l < "$T/pipe.csv") - 1))"
# uri, response sha256, complete; /item/N carries the body "item N\n"
tail -n +2 "$T/pipe.csv" | cut -d, -f10,18,19 > "$T/pipe.cols"
for n in 0 1 9999; do
    printf 'item %s\n' "$n" > "$T/item"
    h=$(sha "$T/item")
    got=$(grep "^/item/$n," "$T/pipe.cols" | cut -d, -f2)
    check "pipelined: body of /item/$n" "$h" "$got"
done
check "pipelined: all complete" 10000 "$(grep -c ',yes$' "$T/pipe.cols")"
check "pipelined: in order" "$(seq 0 9999 | sed 's|^|/item/|')" "$(cut -d, -f1 "$T/pipe.cols")"
iotap-extract -q -o "$T/x-pipe" "$T/pipe.pcap" > "$T/pipe-x.csv" || fail "pipelined extract"
check "pipelined: 10,000 distinct files" 10000 "$(ls "$T/x-pipe" | wc -l)"

# ---- gaps, out of order, retransmissions, sequence wrap ----
mkdir -p "$T/b-gap"
perl "$GEN" gaps "$T/gap.pcap" "$T/b-gap"
iotap-extract -q -o "$T/x-gap" "$T/gap.pcap" > "$T/gap.csv" || fail "gaps run"
check "gap: body incomplete" no "$(col 10 /big.txt "$T/gap.csv")"
check "gap: never padded" 6600 "$(col 7 /big.txt "$T/gap.csv")"
check "gap: next response complete" yes "$(col 10 /small.txt "$T/gap.csv")"
check "gap: next response right" "$(sha "$T/b-gap/00-resp")" "$(col 8 /small.txt "$T/gap.csv")"
check "ooo upload right" "$(sha "$T/b-gap/01-req")" "$(grep /upload.bin "$T/gap.csv" | grep ',out,' | cut -d, -f8)"
check "ooo gzip download right" "$(sha "$T/b-gap/02-resp")" "$(grep /upload.bin "$T/gap.csv" | grep ',in,' | cut -d, -f8)"
check "ooo both complete" "yes yes" "$(grep /upload.bin "$T/gap.csv" | cut -d, -f10 | tr '\n' ' ' | sed 's/ $//')"

# ---- overlapping segments that differ: first copy kept, said, marked ----
mkdir -p "$T/b-over"
perl "$GEN" overlap "$T/over.pcap" "$T/b-over"
iotap-extract -q -o "$T/x-over" "$T/over.pcap" > "$T/over.csv" 2> "$T/over.err" || fail "overlap run"
check "overlap: the first copy kept" "$(sha "$T/b-over/00-resp")" "$(col 8 /over.txt "$T/over.csv")"
check "overlap: that body incomplete" no "$(col 10 /over.txt "$T/over.csv")"
check "overlap: the next body complete" yes "$(col 10 /clean.txt "$T/over.csv")"
check "overlap: said once at the end" "iotap-extract: 1 overlapping TCP segments differed from data already received (first copy kept); the messages they fell in are marked incomplete" "$(cat "$T/over.err")"
iotap-http -q "$T/over.pcap" > "$T/over-http.csv" 2> "$T/over-http.err"
check "overlap: iotap-http row incomplete" "no yes" "$(tail -n +2 "$T/over-http.csv" | cut -d, -f19 | tr '\n' ' ' | sed 's/ $//')"
grep -q '^iotap-http: 1 overlapping TCP segments differed' "$T/over-http.err" && ok "overlap: iotap-http says it" || fail "overlap: iotap-http silent"
done_testing
