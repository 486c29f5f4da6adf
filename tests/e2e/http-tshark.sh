#!/bin/sh
# iotap-extract against `tshark -o tcp.reassemble_out_of_order:TRUE
# --export-objects http` on the public HTTP captures of ../shared/corpus:
# the sets of extracted bodies (by sha256) must be equal, and where they are
# not, the difference is checked here to be one of tshark's known mistakes:
#   - it exports the head of a request it cannot parse as an "object";
#   - it loses every later body of a connection after a lost segment;
#   - it only tries HTTP on its port list (8000 is not on it);
#   - it stops de-chunking at a chunk size line with a trailing blank;
#   - it does not unfold an obs-folded Transfer-Encoding (RFC 9112 5.2);
#   - it drops bodies with holes, stacked codings, or 0.9 responses;
#   - it drops an upload labelled gzip that is not gzip (its decompression
#     fails) where browsers, servers and iotap take the bytes as sent.
# test: slow
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null || skip "tshark not installed"
command -v iotap-extract >/dev/null || skip "iotap-extract not built"
[ -n "${IOTAP_CORPUS:-}" ] || skip "no corpus (../shared/corpus)"
Z=$IOTAP_CORPUS/zeek/testing/btest/Traces
S=$IOTAP_CORPUS/suricata-verify/tests
[ -d "$Z/http" ] || skip "corpus has no zeek HTTP traces"

# run NAME FILE: T/NAME.{ts,io} = sha256 sets, T/NAME.csv manifest, T/NAME.t/ tshark files
run() {
    name=$1 f=$2
    rm -rf "$T/$name.t" "$T/$name.i"
    tshark -n -o tcp.reassemble_out_of_order:TRUE -r "$f" -q --export-objects "http,$T/$name.t" >/dev/null 2>&1
    mkdir -p "$T/$name.t"
    iotap-extract -q -o "$T/$name.i" "$f" > "$T/$name.csv" 2>> "$T/messages"
    rc=$?
    [ $rc -le 1 ] || fail "$name: iotap-extract exit status $rc"
    (cd "$T/$name.t" && find . -type f -size +0 -exec sha256sum {} + | cut -c1-64 | sort -u) > "$T/$name.ts"
    (cd "$T/$name.i" && find . -type f -exec sha256sum {} + | cut -c1-64 | sort -u) > "$T/$name.io"
    comm -23 "$T/$name.ts" "$T/$name.io" > "$T/$name.tonly"
    comm -13 "$T/$name.ts" "$T/$name.io" > "$T/$name.ionly"
}
# tshark's file holding a sha256
tfile() { (cd "$T/$1.t" && sha256sum * | awk -v h="$2" '$1 == h { print $2; exit }'); }
# manifest field N (1-based, simple fields only) of the row with sha256 H
mfield() { grep "$3" "$T/$1.csv" | head -n 1 | awk -F, -v n="$2" '{ print $n }'; }

same=0
for f in http/get.pcap http/get-gzip.pcap http/x-gzip.pcap http/missing-zlib-header.pcap \
         http/pipelined-requests.pcap http/http-body-match.pcap http/multipart.pcap \
         http/byteranges.pcap http/206_example_a.pcap http/100-continue.pcap http/flash-version.pcap \
         http/zeek-image-1080-80-x.pcapng http/fake-content-length.pcap \
         http/content-length-overflow.pcap http/interleaved-http-entity.pcap http/get_nosyn.pcap \
         http/get-without-fins.pcap http/http-large-gap.pcap http/http-non-printable-characters.pcap \
         http/no-version.pcap http/261/variant-08-leading_zeros.pcap http-vlan-0.pcap \
         http-qinq-0.pcap tcp-http-with-padding.pcap nflog-http.pcap; do
    [ -f "$Z/$f" ] || continue
    n=$(echo "$f" | tr '/.' '__')
    run "$n" "$Z/$f"
    if [ -s "$T/$n.tonly" ] || [ -s "$T/$n.ionly" ]; then
        fail "$f: tshark-only $(wc -l < "$T/$n.tonly"), iotap-only $(wc -l < "$T/$n.ionly")"
    else
        same=$((same + 1))
    fi
done
for f in filestore-filecontainer-http/filecontainer-http.pcap http-range-file/input.pcap \
         filestore-issue-5868/bidi-logo.pcap http-mime-truncated/input.pcap \
         http-brotli-ce/input.pcap; do
    [ -f "$S/$f" ] || continue
    n=$(echo "$f" | tr '/.' '__')
    run "$n" "$S/$f"
    if [ -s "$T/$n.tonly" ] || [ -s "$T/$n.ionly" ]; then
        fail "$f: tshark-only $(wc -l < "$T/$n.tonly"), iotap-only $(wc -l < "$T/$n.ionly")"
    else
        same=$((same + 1))
    fi
done
# ARCnet (Linux header, RFC 1051 and RFC 1201 framing): decoded like tshark.
D=$IOTAP_CORPUS/tcpdump/tests
for f in arcnet-rfc1051-arp-icmp-http.pcap arcnet-rfc1201-arp-icmp-http.pcap; do
    [ -f "$D/$f" ] || continue
    n=$(echo "$f" | tr '/.' '__')
    run "$n" "$D/$f"
    if [ -s "$T/$n.ts" ] && [ ! -s "$T/$n.tonly" ] && [ ! -s "$T/$n.ionly" ]; then
        same=$((same + 1))
    else
        fail "$f: tshark $(wc -l < "$T/$n.ts"), tshark-only $(wc -l < "$T/$n.tonly"), iotap-only $(wc -l < "$T/$n.ionly")"
    fi
done
# A link type iotap cannot decode is said, once per input, and is damage.
if [ -f "$D/unsupported-link-type-160.pcap" ]; then
    iotap-http -q "$D/unsupported-link-type-160.pcap" "$D/unsupported-link-type-160.pcap" > /dev/null 2> "$T/ul.err"
    check "unsupported link type: exit status 1" 1 $?
    check "... said once per input, naming file, type and packets" 2 \
        "$(grep -c "^iotap-http: $D/unsupported-link-type-160.pcap: link type 160 (.*) not supported: [1-9][0-9]* packets* not analyzed$" "$T/ul.err")"
    iotap-extract -q -o "$T/ul.x" "$D/unsupported-link-type-160.pcap" > /dev/null 2> "$T/ul.err"
    check "... iotap-extract too: exit status 1" 1 $?
    grep -q 'link type 160 .* not supported' "$T/ul.err" && ok "... and the message" || fail "iotap-extract: no link type message"
fi
[ $same -ge 20 ] && ok "$same captures: the same bodies as tshark" || fail "only $same captures compared equal"
# Content-Encoding br is decoded (as tshark does), whole and complete.
if [ -f "$S/http-brotli-ce/input.pcap" ]; then
    check "br: both bodies decoded" 2 "$(grep -c ',yes,$' "$T/http-brotli-ce_input_pcap.csv")"
    grep -q 'not decoded' "$T/messages" && fail "br: a coding reported as not decoded" || ok "br: no coding left undecoded"
fi
# 206 responses are separate bodies, never merged: 15 ranges of one image.
check "range requests kept apart" 15 "$(wc -l < "$T/http-range-file_input_pcap.io" 2>/dev/null)"
# ... each recorded with its Content-Range: the manifest's last column, and
# the range in the file name (NAME.bytes-FIRST-LAST.EXT); iotap-http too.
if [ -f "$Z/http/206_example_a.pcap" ]; then
    check "206: manifest content_range column" "bytes 0-32767/555523
bytes 32768-555522/555523" "$(tail -n +2 "$T/http_206_example_a_pcap.csv" | awk -F, '{ print $NF }')"
    check "206: range in the file names" ".bytes-0-32767.pdf .bytes-32768-555522.pdf" \
        "$(tail -n +2 "$T/http_206_example_a_pcap.csv" | awk -F, '{ print $(NF-2) }' | sed 's/.*-[0-9a-f]\{12\}//' | tr '\n' ' ' | sed 's/ $//')"
    iotap-http -q "$Z/http/206_example_a.pcap" > "$T/206.http"
    check "206: iotap-http header ends in content_range" complete,content_range "$(head -n 1 "$T/206.http" | awk -F, '{ print $(NF-1) "," $NF }')"
    check "206: iotap-http rows carry the range" "206 bytes 0-32767/555523
206 bytes 32768-555522/555523" "$(tail -n +2 "$T/206.http" | awk -F, '{ print $11, $NF }')"
fi
if [ -s "$T/http-range-file_input_pcap.csv" ]; then
    r=$(awk -F, 'NR > 1 && $NF != "" { n++ } END { print n + 0 }' "$T/http-range-file_input_pcap.csv")
    check "http-range-file: 15 ranges with their Content-Range" 15 "$r"
    bad=$(tail -n +2 "$T/http-range-file_input_pcap.csv" | awk -F, '$NF != "" { split($NF, a, /[ \/-]/); want = ".bytes-" a[2] "-" a[3] "."; if (index($(NF-2), want) == 0) print $(NF-2) }')
    check "http-range-file: each range named by its bytes" "" "$bad"
fi

# ---- known tshark mistakes, each checked ----
# 1. Request heads exported as objects (methods.pcap: malformed request lines).
if [ -f "$Z/http/methods.pcap" ]; then
    run methods "$Z/http/methods.pcap"
    check "methods: no body tshark lacks" "" "$(cat "$T/methods.ionly")"
    heads=0
    while read -r h; do
        f=$(tfile methods "$h")
        if head -c 20 "$T/methods.t/$f" | LC_ALL=C grep -q -E '^[A-Z_]+(/| ?HTTP/1\.1)' &&
           grep -q '^Host: ' "$T/methods.t/$f"; then heads=$((heads + 1)); fi
    done < "$T/methods.tonly"
    check "methods: every tshark-only object is a request head, not a body" "$(wc -l < "$T/methods.tonly")" "$heads"
fi
if [ -f "$Z/http/http_09.pcap" ]; then
    run http09 "$Z/http/http_09.pcap"
    check "http_09: no body tshark lacks" "" "$(cat "$T/http09.ionly")"
    heads=0
    while read -r h; do
        f=$(tfile http09 "$h")
        head -n 1 "$T/http09.t/$f" | LC_ALL=C grep -q -E '^[A-Za-z]+ ' && heads=$((heads + 1))
    done < "$T/http09.tonly"
    check "http_09: every tshark-only object is a request line" "$(wc -l < "$T/http09.tonly")" "$heads"
fi
# 2. A lost segment: tshark drops the rest of the connection; iotap keeps
#    the later bodies (complete) and marks the damaged one.
if [ -f "$Z/http/bro.org.pcap" ]; then
    run broorg "$Z/http/bro.org.pcap"
    check "bro.org: no body only tshark has" "" "$(cat "$T/broorg.tonly")"
    tshark -n -r "$Z/http/bro.org.pcap" -Y 'tcp.stream == 2 && http.request' -T fields -e http.request.uri 2>/dev/null | sort > "$T/s2.uris"
    bad=0 incomplete=0
    while read -r h; do
        u=$(mfield broorg 4 "$h")
        grep -qx -- "$u" "$T/s2.uris" || bad=$((bad + 1))
        [ "$(mfield broorg 10 "$h")" = no ] && incomplete=$((incomplete + 1))
    done < "$T/broorg.ionly"
    check "bro.org: iotap-only bodies all from the connection with the lost segment" 0 "$bad"
    check "bro.org: exactly the damaged body marked incomplete" 1 "$incomplete"
fi
# 3. Port-based: tshark does not look at port 8000.
if [ -f "$Z/http/zeek-image-post-1080-8000-x.pcap" ]; then
    run post8000 "$Z/http/zeek-image-post-1080-8000-x.pcap"
    check "port 8000: tshark sees no HTTP" 0 "$(tshark -n -r "$Z/http/zeek-image-post-1080-8000-x.pcap" -Y http 2>/dev/null | wc -l)"
    p=$(grep ',out,' "$T/post8000.csv" | awk -F, '{ print $(NF-2) }' | head -n 1)
    check "port 8000: the uploaded body is the PNG" "89504e47" "$(head -c 4 "$p" 2>/dev/null | od -An -tx1 | tr -d ' \n')"
fi
# 4. Chunk size lines "8 " with a trailing blank: both chunks are the body.
if [ -f "$S/http-event-chunk/input.pcap" ]; then
    run evchunk "$S/http-event-chunk/input.pcap"
    check "chunk lines with blanks: the whole request body" "$(printf tototatatiti | sha256sum | cut -c1-64)" \
        "$(grep ',out,' "$T/evchunk.csv" | awk -F, '{ print $8 }')"
    check "... where tshark stops after the first chunk" "$(printf tototata | sha256sum | cut -c1-64)" "$(cat "$T/evchunk.tonly")"
fi
# 5. obs-fold: "Transfer-Encoding:\r\n chunked" is chunked (an empty body);
#    tshark takes the smuggled request after it as the body.
if [ -f "$Z/http/261/variant-09-te_obs_fold.pcap" ]; then
    run obsfold "$Z/http/261/variant-09-te_obs_fold.pcap"
    f=$(tfile obsfold "$(head -n 1 "$T/obsfold.tonly")")
    grep -q 'GET /smuggled-obsfold' "$T/obsfold.t/$f" && ok "obs-fold: tshark's object is the smuggled request" \
        || fail "obs-fold: unexpected tshark object"
    check "obs-fold: iotap finds no body (an empty chunked one)" "0" "$(($(wc -l < "$T/obsfold.csv") - 1))"
fi
# 6. Bodies tshark drops: holes (marked incomplete here), stacked codings.
for f in http/entity_gap.pcap http/content-range-gap.pcap; do
    [ -f "$Z/$f" ] || continue
    n=$(echo "$f" | tr '/.' '__')
    run "$n" "$Z/$f"
    check "$f: tshark exports nothing" "" "$(cat "$T/$n.ts")"
    check "$f: iotap's body is marked incomplete" no "$(tail -n 1 "$T/$n.csv" | awk -F, '{ print $(NF-1) }')"
done
if [ -f "$S/bug-2511/response_identity_identity_gzip_identity_gzip_gzip.pcap" ]; then
    run stacked "$S/bug-2511/response_identity_identity_gzip_identity_gzip_gzip.pcap"
    check "stacked codings: tshark exports nothing" "" "$(cat "$T/stacked.ts")"
    p=$(tail -n 1 "$T/stacked.csv" | awk -F, '{ print $(NF-2) }')
    [ -f "$p" ] && ! head -c 2 "$p" | od -An -tx1 | grep -q '1f 8b' && ok "stacked codings: fully decoded" \
        || fail "stacked codings: still compressed"
fi
# 7. "Content-Encoding: gzip" on an upload that is plain JSON: tshark's
#    decompression fails and it exports nothing; iotap's one extra body is
#    exactly the bytes the device sent after the request headers.
if [ -f "$S/http-encoding-gzip-uncompressed/input.pcap" ]; then
    f=$S/http-encoding-gzip-uncompressed/input.pcap
    run gzunc "$f"
    check "gzip label on plain upload: no body only tshark has" "" "$(cat "$T/gzunc.tonly")"
    check "... one body only iotap has" 1 "$(wc -l < "$T/gzunc.ionly")"
    raw=$(tshark -n -r "$f" -Y 'http.request' -T fields -e tcp.payload 2>/dev/null |
          perl -ne 'chomp; my $b = pack("H*", $_); $b =~ s/\A.*?\r\n\r\n//s; print $b' | sha256sum | cut -c1-64)
    check "... it is the upload's raw bytes" "$raw" "$(cat "$T/gzunc.ionly")"
    check "... an upload (direction out), complete" "out yes" \
        "$(grep "$raw" "$T/gzunc.csv" | awk -F, '{ print $5, $(NF-1) }')"
    tshark -n -r "$f" -Y 'http.request && _ws.expert.message == "Decompression failed"' 2>/dev/null | grep -q . &&
        ok "... which tshark drops after its failed decompression" || fail "tshark did not fail to decompress it"
fi
done_testing
