#!/bin/sh
# iotap-http and iotap-extract on the synthetic home against its ground
# truth (truth/http.csv: every request, body sizes and sha256s, including a
# chunked, a gzip, a reordered + retransmitted download, an upload on port
# 8080, HEAD and 304), the same capture cut into many files (streams cross
# file boundaries), the filters, and tshark --export-objects http.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reports-lib.inc"
for p in iotap-synth iotap-http iotap-extract; do
    command -v $p >/dev/null || skip "$p not built"
done
D=$(synth_home) || { fail "iotap-synth failed"; done_testing; }
P=$D/home.pcap
TR=$D/truth/http.csv
[ -f "$TR" ] || skip "synth has no truth/http.csv"

# ---- the request log ----
iotap-http -q "$P" > "$T/http.csv" 2> "$T/http.err"
check "iotap-http exit status" 0 $?
check "iotap-http: no messages" "" "$(cat "$T/http.err")"
check "header" "time,mac,label,local_addr,local_port,remote_addr,remote_port,host,method,uri,status,content_type,user_agent,referer,request_body_bytes,response_body_bytes,request_body_sha256,response_body_sha256,complete,content_range" "$(head -n 1 "$T/http.csv")"
# truth: ts,mac,host,method,uri,status,req_bytes,req_sha,resp_bytes,resp_sha,content_type,ce,te,complete
psv "$TR" | awk -F'|' 'NR > 1 { print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $14 }' | sort > "$T/want"
psv "$T/http.csv" | awk -F'|' 'NR > 1 { print $1, $2, $8, $9, $10, $11, $15, $17, $16, $18, $19 }' | sort > "$T/got"
check "every request = truth (time, mac, host, method, uri, status, body sizes and sha256s, complete)" "" "$(diff "$T/want" "$T/got")"
check "rows = truth rows" "$(($(wc -l < "$TR") - 1))" "$(($(wc -l < "$T/http.csv") - 1))"

# ---- the same capture in many small files ----
if command -v editcap >/dev/null; then
    mkdir -p "$T/split"
    editcap -c 97 "$P" "$T/split/part.pcap" >/dev/null 2>&1
    n=$(ls "$T/split" | wc -l)
    [ "$n" -gt 10 ] && ok "split into $n files" || fail "editcap split gave $n files"
    iotap-http -q "$T/split" > "$T/split.csv" 2>&1
    check "split capture: same request log" "" "$(diff "$T/http.csv" "$T/split.csv")"
fi

# ---- extraction ----
iotap-extract -q -o "$T/x" "$P" > "$T/man.csv" 2> "$T/x.err"
check "iotap-extract exit status" 0 $?
check "iotap-extract: no messages" "" "$(cat "$T/x.err")"
# every non-empty body of the truth, both directions, with its sha256 and size
psv "$TR" | awk -F'|' 'NR > 1 { if ($7 > 0) print $4, $5, "out", $7, $8; if ($9 > 0) print $4, $5, "in", $9, $10 }' |
    awk '{ print $2, $3, $4, $5 }' | sort > "$T/xwant"
psv "$T/man.csv" | awk -F'|' 'NR > 1 { print $4, $5, $7, $8 }' | sort > "$T/xgot"
check "manifest: one row per body (uri, direction, size, sha256) = truth" "" "$(diff "$T/xwant" "$T/xgot")"
check "nothing for HEAD" "" "$(grep ',HEAD,' "$TR" | cut -d, -f5 | while read -r u; do grep -F ",$u," "$T/man.csv"; done)"
check "all complete" "$(($(wc -l < "$T/man.csv") - 1))" "$(psv "$T/man.csv" | awk -F'|' '$10 == "yes"' | wc -l)"
bad=0
psv "$T/man.csv" | awk -F'|' 'NR > 1 { print $8, $9 }' > "$T/paths"
while read -r h p; do
    [ "$(sha256sum "$p" | cut -c1-64)" = "$h" ] || { bad=$((bad + 1)); echo "wrong content: $p"; }
done < "$T/paths"
check "every file holds the bytes its sha256 says" 0 "$bad"
check "one file per distinct body" "$(awk '{ print $1 }' "$T/paths" | sort -u | wc -l)" "$(ls "$T/x" | wc -l)"

# ---- filters ----
iotap-extract -q -o "$T/xi" --type 'image/*' "$P" > "$T/img.csv"
check "--type image/*: only images" "$(psv "$T/man.csv" | awk -F'|' '$6 ~ /^image\// { n++ } END { print n + 0 }')" \
    "$(($(wc -l < "$T/img.csv") - 1))"
check "--type image/*: no other type" "" "$(psv "$T/img.csv" | awk -F'|' 'NR > 1 && $6 !~ /^image\// { print }')"
iotap-extract -q -o "$T/xs" --min-size 1000 "$P" > "$T/big.csv"
check "--min-size 1000" "$(psv "$T/man.csv" | awk -F'|' 'NR > 1 && $7 >= 1000 { n++ } END { print n + 0 }')" \
    "$(($(wc -l < "$T/big.csv") - 1))"
host=$(psv "$TR" | awk -F'|' 'NR == 2 { print $3 }')
iotap-extract -q -o "$T/xh" --host "$host" "$P" > "$T/host.csv"
check "--host $host" "$(psv "$TR" | awk -F'|' -v h="$host" 'NR > 1 && $3 == h { n += ($7 > 0) + ($9 > 0) } END { print n + 0 }')" \
    "$(($(wc -l < "$T/host.csv") - 1))"
mac=$(psv "$TR" | awk -F'|' '$4 == "POST" { print $2; exit }')
iotap-extract -q -o "$T/xd" --device "$mac" "$P" > "$T/dev.csv"
check "--device $mac" "$(psv "$TR" | awk -F'|' -v m="$mac" 'NR > 1 && $2 == m { n += ($7 > 0) + ($9 > 0) } END { print n + 0 }')" \
    "$(($(wc -l < "$T/dev.csv") - 1))"
check "--device: only that device" "" "$(psv "$T/dev.csv" | awk -F'|' -v m="$mac" 'NR > 1 && $2 != m')"

# ---- tshark's export of the same capture: the same set of bodies ----
if command -v tshark >/dev/null; then
    tshark -n -o tcp.reassemble_out_of_order:TRUE -r "$P" -q --export-objects "http,$T/tshark" >/dev/null 2>&1
    (cd "$T/tshark" && find . -type f -size +0 -exec sha256sum {} + | cut -c1-64 | sort -u) > "$T/ts.sha"
    awk '{ print $1 }' "$T/paths" | sort -u > "$T/io.sha"
    check "bodies by sha256 = tshark --export-objects http" "" "$(diff "$T/ts.sha" "$T/io.sha")"
fi
done_testing
