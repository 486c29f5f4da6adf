#!/bin/sh
# iotap-segments: one CSV row per finished segment in sequence order; a
# deleted segment shows as missing_before and an unverifiable chain; a
# tampered file as sha256_ok=false and a broken chain at its successor
# (exit status 1); a recovered segment is flagged.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
gen 600 300 1790000000 0.5 0 > "$T/in.pcap"
iotap-record -r "$T/in.pcap" -w "$T/out" --sensor s -G 60 -C 0 || fail "record"
n=$(segs "$T/out" | wc -l)
iotap-segments "$T/out" > "$T/clean.csv"
check "clean tree exit status" 0 "$?"
check "one row per segment + header" $((n + 1)) "$(wc -l < "$T/clean.csv")"
col() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } { print $h[c] }' "$1"; }
check "packets column adds up" 600 "$(col "$T/clean.csv" packets | awk "{ t += \$1 } END { print t }")"
check "all hashes verified" "true" "$(col "$T/clean.csv" sha256_ok | sort -u)"
check "chain start then ok" "start$(printf ' ok%.0s' $(seq 2 $n))" "$(col "$T/clean.csv" chain | tr '\n' ' ' | sed 's/ $//')"
check "sequence order" "$(seq 0 $((n - 1)) | tr '\n' ' ')" "$(col "$T/clean.csv" sequence | tr '\n' ' ')"

# Delete the third segment, tamper with the fifth.
rm "$(segs "$T/out" | sed -n 3p)"
five=$(segs "$T/out" | sed -n 4p)        # sequence 4 now that 2 is gone
printf 'x' >> "$five"
iotap-segments "$T/out" > "$T/bad.csv" 2>"$T/err"
check "exit status with a tampered file" 1 "$?"
check "missing segment reported" 1 "$(awk -F, 'NR > 1 && $3 == 3' "$T/bad.csv" | cut -d, -f17)"
check "chain unknown across the hole" unknown "$(awk -F, 'NR > 1 && $3 == 3' "$T/bad.csv" | cut -d, -f24)"
check "tampered file hash" false "$(awk -F, 'NR > 1 && $3 == 4' "$T/bad.csv" | cut -d, -f23)"
check "chain broken after the tampered file" broken "$(awk -F, 'NR > 1 && $3 == 5' "$T/bad.csv" | cut -d, -f24)"

# A recovered segment.
REC=$((16 + 14 + 20 + 8 + 300))
mkfifo "$T/fifo"
iotap-record -r "$T/fifo" -w "$T/r" --sensor s --flush 0.3 -G 0 -C 0 2>/dev/null &
pid=$!
exec 3>"$T/fifo"
pcap_part "$T/in.pcap" 0 20 $REC 1 >&3
wait_until 20 partial_is "$T/r" 20 || fail "not flushed"
kill -9 $pid; wait $pid 2>/dev/null; exec 3>&-
pcap_part "$T/in.pcap" 20 5 $REC 1 > "$T/five.pcap"
iotap-record -r "$T/five.pcap" -w "$T/r" --sensor s -G 0 -C 0 2>/dev/null
iotap-segments "$T/r" > "$T/rec.csv"
check "recovered flag in the listing" "true false" "$(col "$T/rec.csv" recovered | tr '\n' ' ' | sed 's/ $//')"
check "chain through the recovered segment" "start ok" "$(col "$T/rec.csv" chain | tr '\n' ' ' | sed 's/ $//')"
done_testing
