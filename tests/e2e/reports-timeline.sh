#!/bin/sh
# iotap-timeline on flows longer than a flow's bucket buffer
# (R_MAX_FLOW_BUCKETS, 4096): with --bucket 1s, one UDP flow and one TCP
# flow whose client never sends data (still being inspected when its
# buffer fills) each span 5000 buckets (reports-longflow.pl). Per device
# and per domain, every bucket holds exactly its own packets: the
# --by-domain buckets add up to the per-device buckets bucket by bucket,
# each flow has one row per second, and the flows' rows add up to
# iotap-flows' counts. And --by-domain past --max-rows folds each flow once.
. "$(dirname "$0")/lib.sh"
for p in iotap-timeline iotap-flows iotap-devices; do
    command -v $p >/dev/null || skip "$p not built"
done
command -v perl >/dev/null || skip "perl not installed"
perl "$IOTAP_SRC/tests/e2e/reports-longflow.pl" 5000 >"$T/long.pcap" || { fail "generator"; done_testing; }
DEV=00:11:22:33:44:55

iotap-timeline --bucket 1s "$T/long.pcap" >"$T/dev.csv" 2>"$T/dev.err"
check "per device: exit status" 0 $?
iotap-timeline --bucket 1s --by-domain "$T/long.pcap" >"$T/dom.csv" 2>"$T/dom.err"
check "by domain: exit status" 0 $?
check "by domain: no messages" "" "$(cat "$T/dom.err")"
awk -F, 'NR > 1 { print $1, $2, $4, $5, $6, $7 }' "$T/dev.csv" | sort >"$T/dev.b"
awk -F, 'NR > 1 { k = $1 " " $2; p[k] += $6; q[k] += $7; b[k] += $8; c[k] += $9 }
    END { for (k in p) print k, p[k], q[k], b[k], c[k] }' "$T/dom.csv" | sort >"$T/dom.b"
check "5001 one-second buckets of the device" 5001 "$(wc -l <"$T/dev.b")"
check "by-domain buckets = per-device buckets, bucket by bucket" "" "$(diff "$T/dev.b" "$T/dom.b" | head -5)"
check "the UDP flow: one row per second, one packet each way in each" "5000 0" \
    "$(awk -F, '$4 == "long.example.com" { n++; if ($6 != 1 || $7 != 1) bad++ } END { print n, bad + 0 }' "$T/dom.csv")"
check "the UDP flow's last bucket holds only its last second" "2025-11-01T01:23:19.000000Z,1,1" \
    "$(awk -F, '$4 == "long.example.com" { l = $1 "," $6 "," $7 } END { print l }' "$T/dom.csv")"
check "the TCP flow (still inspected at 4096 buckets): one row per second" 5001 \
    "$(awk -F, '$5 == "100.64.0.2"' "$T/dom.csv" | wc -l)"
iotap-flows "$T/long.pcap" | awk -F, 'NR > 1 && $3 != "" { print ($9 != "" ? $9 : $7), $13, $14, $15, $16 }' | sort >"$T/fl.want"
awk -F, 'NR > 1 { k = ($4 != "" ? $4 : $5); p[k] += $6; q[k] += $7; b[k] += $8; c[k] += $9 }
    END { for (k in p) print k, p[k], q[k], b[k], c[k] }' "$T/dom.csv" | sort >"$T/fl.got"
check "each flow's buckets add up to its iotap-flows row (same name)" "" "$(diff "$T/fl.want" "$T/fl.got")"
check "--device: the same rows" "$(awk 'NR > 1' "$T/dom.csv")" \
    "$(iotap-timeline --bucket 1s --by-domain --device "$DEV" "$T/long.pcap" | awk 'NR > 1')"
check "--device of another MAC: no rows" "" \
    "$(iotap-timeline --bucket 1s --by-domain --device 00:11:22:33:44:66 "$T/long.pcap" | awk 'NR > 1')"
# With 1m buckets nothing reaches the cap: the same totals per minute.
iotap-timeline --bucket 1m "$T/long.pcap" | awk -F, 'NR > 1 { print $1, $4, $5, $6, $7 }' >"$T/m.dev"
iotap-timeline --bucket 1m --by-domain "$T/long.pcap" |
    awk -F, 'NR > 1 { k = $1; p[k] += $6; q[k] += $7; b[k] += $8; c[k] += $9 }
        END { for (k in p) print k, p[k], q[k], b[k], c[k] }' | sort >"$T/m.dom"
check "1m buckets: by domain = per device" "" "$(diff "$T/m.dev" "$T/m.dom")"

# --by-domain keeps only the timeline's own rows: past --max-rows each flow
# is folded (and counted) once, not a second time in a domains table it
# never writes. 1000 one-packet flows in one bucket, 100 rows: 900 folds.
perl "$IOTAP_SRC/tests/e2e/reports-manyflows.pl" 1000 >"$T/many.pcap" || fail "generator"
nflows=$(iotap-devices "$T/many.pcap" | awk -F, '$1 == "00:11:22:33:44:55" { print $14 }')
iotap-timeline --by-domain --max-rows 100 "$T/many.pcap" 2>"$T/many.err" >"$T/many.csv"
check "--max-rows: each flow past the cap folded once" "$((nflows - 100))" \
    "$(sed -n 's/.*row table full (100 rows): \([0-9]*\) flows folded.*/\1/p' "$T/many.err")"
check "--max-rows: totals stay exact" "$nflows" "$(awk -F, 'NR > 1 { p += $6 } END { print p }' "$T/many.csv")"
# The folded flows land in the device's own fold row for the bucket
# (domain and address empty), not in "(other devices)": one device only.
check "--max-rows: the device's fold row holds the folded flows" "$((nflows - 100))" \
    "$(awk -F, -v d=$DEV '$2 == d && $4 == "" && $5 == "" { p += $6 } END { print p + 0 }' "$T/many.csv")"
check "--max-rows: no \"(other devices)\" row for a single device" 0 "$(grep -c '(other devices)' "$T/many.csv")"
done_testing
