#!/bin/sh
# iotap-synth: the synthetic home and its ground truth, checked against
# tcpdump and tshark (independent readers of the same capture), so that
# every analyzer test built on the truth files stands on checked ground.
. "$(dirname "$0")/lib.sh"
command -v iotap-synth >/dev/null || skip "iotap-synth not built"
command -v tshark >/dev/null || skip "tshark not installed"
command -v tcpdump >/dev/null || skip "tcpdump not installed"

TS="tshark -n"
D=$T/a
iotap-synth -o "$D" || fail "iotap-synth exited non-zero"
P=$D/home.pcap
TR=$D/truth
[ -s "$P" ] || { fail "no home.pcap"; done_testing; }
for f in devices flows domains http dns summary; do
    [ -s "$TR/$f.csv" ] || fail "truth/$f.csv missing"
done

iotap-synth -o "$T/x" --bytes 12Q 2>"$T/err"; rc=$?
[ $rc != 0 ] && grep -q "^iotap-synth: " "$T/err" && ok "bad --bytes refused ($rc)" || fail "bad --bytes accepted"
iotap-synth 2>/dev/null && fail "missing -o accepted" || ok "missing -o refused"

# --- determinism -----------------------------------------------------------
iotap-synth -o "$T/b"
iotap-synth -o "$T/c" --seed 2
h() { (cd "$1" && cat home.pcap truth/*.csv | sha256sum | cut -d' ' -f1); }
check "same seed, same bytes" "$(h "$D")" "$(h "$T/b")"
[ "$(h "$D")" != "$(h "$T/c")" ] && ok "another seed differs" || fail "--seed 2 gave the same output"
rm -rf "$T/b" "$T/c"

# --- the capture reads cleanly ----------------------------------------------
tcpdump -nn -r "$P" >"$T/td.out" 2>"$T/td.err"
check "tcpdump exit status" 0 $?
grep -qi "truncated\|bogus\|invalid" "$T/td.out" "$T/td.err" && fail "tcpdump complains: $(grep -i 'truncated\|bogus\|invalid' "$T/td.out" "$T/td.err" | head -3)"
npk=$(wc -l <"$T/td.out")
check "tcpdump frame count = summary packets" "$(awk -F, 'NR==2{print $1}' "$TR/summary.csv")" "$npk"
check "no malformed packets" "" "$($TS -r "$P" -Y _ws.malformed 2>/dev/null | head -3)"
if command -v capinfos >/dev/null; then
    check "frames in strict time order" "True" "$(capinfos -o "$P" | awk -F: '/Strict time order/ { gsub(/ /, "", $2); print $2 }')"
fi
check "first frame at --start (default 2026-11-01)" "2026-11-01T00:00:00.500000Z" "$(awk -F, 'NR==2{print $3}' "$TR/summary.csv")"
iotap-synth -o "$T/s" --start 2027-03-05T10:00:00Z
check "--start moves the day" "2027-03-05T10:00:00.500000Z" "$(awk -F, 'NR==2{print $3}' "$T/s/truth/summary.csv")"
first=$(tcpdump -tt -nn -c 1 -r "$T/s/home.pcap" 2>/dev/null | cut -d' ' -f1)
check "pcap time of the first frame = summary first_ts" "1804240800.500000" "$first"
rm -rf "$T/s"
bad=$($TS -r "$P" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
    -o icmpv6.check_checksum:TRUE \
    -Y 'ip.checksum.status==0 || tcp.checksum.status==0 || udp.checksum.status==0 || icmp.checksum.status==0 || icmpv6.checksum.status==0' \
    2>/dev/null | head -3)
check "no bad checksums" "" "$bad"
good=$($TS -r "$P" -o tcp.check_checksum:TRUE -Y 'tcp.checksum.status==1' 2>/dev/null | wc -l)
[ "$good" -gt 1000 ] && ok "tcp checksums verified good ($good)" || fail "tcp checksum validation did not run ($good)"

# --- devices.csv against tshark's Ethernet endpoints -------------------------
# devices.csv counts at Layer 2 exactly as Wireshark's endpoint table does.
# devices.csv columns are read from the end: the vendor owner may hold a
# quoted comma ("Samsung Electronics Co.,LTD").
endpoints_match() {  # pcap truthdir label
    $TS -r "$1" -q -z endpoints,eth 2>/dev/null |
        awk '$1 ~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])+$/ && NF >= 7 { print $1, $4, $5, $6, $7 }' >"$T/ep.tshark"
    n=$(awk 'END{print NR-1}' "$2/devices.csv")
    res=$(awk -F, -v E="$T/ep.tshark" '
        BEGIN { while ((getline l < E) > 0) { split(l, a, " "); ep[a[1]] = a[2] " " a[3] " " a[4] " " a[5] } }
        NR > 1 {
            want = $(NF-4) " " $(NF-2) " " $(NF-3) " " $(NF-1)
            if (!($1 in ep)) print $1 " missing from tshark endpoints"
            else if (ep[$1] != want) print $1 ": truth " want " tshark " ep[$1]
            else ok++
        }
        END { print ok + 0 " match" }' "$2/devices.csv")
    check "$3: per-MAC Tx/Rx packets and bytes of all devices.csv rows equal tshark" "$n match" "$res"
}
endpoints_match "$P" "$TR" "one day"
check "7 rows (router + 6 devices)" 7 "$(awk 'END{print NR-1}' "$TR/devices.csv")"
check "exactly one router row" 1 "$(awk -F, '$NF=="yes"' "$TR/devices.csv" | wc -l)"

# Vendor prefixes are real IEEE assignments; the phone's MAC is random.
if [ -r /usr/share/ieee-data/oui.csv ]; then
    for mac in $(awk -F, 'NR > 1 { print $1 }' "$TR/devices.csv"); do
        pfx=$(echo "$mac" | cut -c1-8 | tr -d : | tr a-f A-F)
        want=$(grep "^MA-L,$pfx," /usr/share/ieee-data/oui.csv | head -1 | cut -d, -f3- |
               sed -e 's/^"\([^"]*\)".*/\1/; t' -e 's/^\([^",]*\),.*/\1/')
        got=$(grep "^$mac," "$TR/devices.csv" | sed -e 's/^[^,]*,"\([^"]*\)".*/\1/; t' -e 's/^[^,]*,\([^,]*\),.*/\1/')
        case $mac in
        ?[2367abef]:*) check "$mac is random with no owner" "" "$got" ;;
        *) check "$mac owner from oui.csv" "$want" "$got" ;;
        esac
    done
    grep -q "Raspberry Pi" "$TR/devices.csv" && ok "router is a Raspberry Pi" || fail "router OUI"
fi

# DHCP: host name and vendor class as the devices sent them.
$TS -r "$P" -Y 'dhcp.option.dhcp == 1' -T fields -E separator=, \
    -e eth.src -e dhcp.option.hostname -e dhcp.option.vendor_class_id 2>/dev/null | sort -u >"$T/dhcp.tshark"
awk -F, 'NR > 1 && $NF == "no" { print $1 "," $(NF-8) "," $(NF-7) }' "$TR/devices.csv" | sort >"$T/dhcp.truth"
check "DHCP option 12/60 = devices.csv hostname/vendor_class" "" "$(diff "$T/dhcp.truth" "$T/dhcp.tshark")"
ra=$($TS -r "$P" -Y 'icmpv6.type == 134 && icmpv6.opt.prefix == 2001:db8:1::' -T fields -e frame.number 2>/dev/null | head -1)
v6=$($TS -r "$P" -Y 'ipv6.src == 2001:db8:1::/64' -T fields -e frame.number 2>/dev/null | head -1)
[ -n "$ra" ] && [ -n "$v6" ] && [ "$ra" -lt "$v6" ] && ok "RA with 2001:db8:1::/64 before IPv6 traffic" ||
    fail "RA ($ra) must precede the first global IPv6 frame ($v6)"

# --- flows.csv against tshark's per-frame 5-tuples ----------------------------
# For each frame: proto src sport dst dport len. Every flows.csv row must
# get exactly its packets/bytes out (local -> remote) and in.
# The key includes the device's MAC (sender for out, receiver for in): every
# device's DHCP DISCOVER shares 0.0.0.0:68 -> 255.255.255.255:67.
flows_match() {  # pcap truthdir
    $TS -r "$1" -Y 'ip || ipv6' -T fields -E separator=, -E occurrence=f \
        -e frame.len -e ip.proto -e ipv6.nxt -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst \
        -e tcp.srcport -e udp.srcport -e tcp.dstport -e udp.dstport -e eth.src -e eth.dst 2>/dev/null |
    awk -F, '
        FNR == NR {
            p = $2 != "" ? $2 : $3; s = $4 != "" ? $4 : $5; d = $6 != "" ? $6 : $7
            sp = $8 != "" ? $8 : ($9 != "" ? $9 : 0); dp = $10 != "" ? $10 : ($11 != "" ? $11 : 0)
            k = p " " s " " sp " " d " " dp
            fo[k " " $12]++; bo[k " " $12] += $1; fi[k " " $13]++; bi[k " " $13] += $1
            all[k " " $12 " " $13] = 1
            next
        }
        FNR == 1 { next }
        {
            p = $2 == "tcp" ? 6 : $2 == "udp" ? 17 : $2 == "icmp" ? 1 : 58
            ko = p " " $3 " " $4 " " $5 " " $6 " " $1; ki = p " " $5 " " $6 " " $3 " " $4 " " $1
            if (fo[ko] + 0 != $(NF-3) || fi[ki] + 0 != $(NF-2) || bo[ko] + 0 != $(NF-1) || bi[ki] + 0 != $NF)
                printf "%s: truth %s/%s %s/%s tshark %d/%d %d/%d\n", ko, $(NF-3), $(NF-2), $(NF-1), $NF,
                    fo[ko], fi[ki], bo[ko], bi[ki]
            uo[ko] = ui[ki] = 1
        }
        END {
            for (x in all) {
                split(x, a, " "); k = a[1] " " a[2] " " a[3] " " a[4] " " a[5]
                if (!((k " " a[6]) in uo) && !((k " " a[7]) in ui) && a[4] != "ff02::1") print "unlisted: " x
            }
        }' - "$2/flows.csv" | head -5
}
check "one day: flows.csv packets/bytes per direction = tshark" "" "$(flows_match "$P" "$TR")"
sum=$(awk -F, 'NR > 1 { p += $10 + $11; b += $12 + $13 } END { print p, b }' "$TR/flows.csv")
check "summary flow totals = sum over flows.csv" "$sum" "$(awk -F, 'NR==2{print $7, $8}' "$TR/summary.csv")"
check "summary totals = flows + other frames" \
    "$(awk -F, 'NR==2{print $1, $2}' "$TR/summary.csv")" \
    "$(awk -F, 'NR==2{print $7 + $9, $8 + $10}' "$TR/summary.csv")"

# Domain aggregation: domains.csv equals flows.csv grouped by (mac, domain or address).
agg=$(awk -F, 'NR > 1 { k = $1 "," ($7 != "" ? $7 : "@" $5); f[k]++; p[k] += $10 + $11; b[k] += $12 + $13 }
        END { for (k in f) print k, f[k], p[k], b[k] }' "$TR/flows.csv" | sort)
dom=$(awk -F, 'NR > 1 { k = $1 "," ($2 != "" ? $2 : "@" $4); print k, $5, $6 + $7, $8 + $9 }' "$TR/domains.csv" | sort)
check "domains.csv = flows.csv grouped" "$agg" "$dom"

# --- names ---------------------------------------------------------------------
# Every SNI (TLS and QUIC) the truth claims is what tshark reads from that flow,
# including the ClientHellos split over two segments and inside the record header.
$TS -r "$P" -Y 'tls.handshake.type == 1' -T fields -E separator=, \
    -e ip.src -e ipv6.src -e tcp.srcport -e udp.srcport -e tls.handshake.extensions_server_name 2>/dev/null |
    awk -F, '{ print ($1 != "" ? $1 : $2) " " ($3 != "" ? $3 : $4) " " $5 }' | sort -u >"$T/sni.tshark"
awk -F, 'NR > 1 && ($9 == "tls" || $9 == "quic") { print $3 " " $4 " " ($8 == "sni" || $8 == "quic" ? $7 : "") }' \
    "$TR/flows.csv" | sed 's/ $//' | sort -u >"$T/sni.truth"
sed -i 's/ $//' "$T/sni.tshark"
check "SNI of every TLS/QUIC flow = tshark (no-SNI flows have none)" "" "$(diff "$T/sni.truth" "$T/sni.tshark")"
check "split ClientHellos decoded" 2 "$(grep -cE 'api.amazonalexa.com|cloud-upload.hik-connect.com' "$T/sni.tshark")"
q=$($TS -r "$P" -Y quic -T fields -e tls.handshake.extensions_server_name 2>/dev/null | grep . | sort -u)
check "tshark decrypts the QUIC Initial's SNI" "$(awk -F, '$8=="quic"{print $7}' "$TR/flows.csv" | sort -u)" "$q"
check "a TLS flow over IPv6 with SNI" 1 "$(awk -F, '$3 ~ /^2001:db8:1:/ && $8 == "sni"' "$TR/flows.csv" | wc -l)"
check "a TLS flow without SNI named by DNS" 1 "$(awk -F, '$9 == "tls" && $8 == "dns"' "$TR/flows.csv" | wc -l)"

# HTTP Host names the HTTP flows (port stripped).
$TS -r "$P" -Y 'http.request && tcp' -T fields -E separator=, -e ip.src -e tcp.srcport -e http.host 2>/dev/null |
    awk -F, '{ sub(/:[0-9]+$/, "", $3); print $1 " " $2 " " $3 }' | sort -u >"$T/host.tshark"
awk -F, 'NR > 1 && $8 == "http" { print $3 " " $4 " " $7 }' "$TR/flows.csv" | sort -u >"$T/host.truth"
check "HTTP flows named by Host = tshark" "" "$(diff "$T/host.truth" "$T/host.tshark")"

# DNS-named flows: tshark sees a response to this device (dns) or to another
# device (dns-other-device) for that question holding the address, before the flow.
$TS -r "$P" -Y 'dns.flags.response == 1 && udp.srcport == 53' -T fields -E separator=, \
    -E occurrence=a -E aggregator=';' -e frame.time_epoch -e ip.dst -e dns.qry.name -e dns.a -e dns.aaaa \
    2>/dev/null >"$T/dns.tshark"
$TS -r "$P" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 || udp' -T fields -E separator=, \
    -e frame.time_epoch -e ip.src -e ipv6.src -e tcp.srcport -e udp.srcport 2>/dev/null |
    awk -F, '{ k = ($2 != "" ? $2 : $3) " " ($4 != "" ? $4 : $5); if (!(k in s)) { s[k] = $1; print k, $1 } }' \
    >"$T/start.tshark"
bad=$(awk -F, -v S="$T/start.tshark" -v Q="$T/dns.tshark" '
    BEGIN {
        while ((getline l < S) > 0) { split(l, a, " "); st[a[1] " " a[2]] = a[3] }
        while ((getline l < Q) > 0) { n++; split(l, a, ","); qt[n] = a[1]; qd[n] = a[2]; qn[n] = a[3]; qa[n] = ";" a[4] ";" a[5] ";" }
    }
    NR > 1 && ($8 == "dns" || $8 == "dns-other-device") {
        t = st[$3 " " $4]; found = 0
        for (i = 1; i <= n; i++)
            if (qn[i] == $7 && index(qa[i], ";" $5 ";") && qt[i] < t && (($8 == "dns") == (qd[i] == $3))) found = 1
        if (!found) print $3 ":" $4 " -> " $5 " named " $7 " (" $8 ") without a matching earlier answer"
    }' "$TR/flows.csv" | head -3)
check "DNS-named flows backed by earlier answers in the capture" "" "$bad"
for src in dns dns-other-device none; do
    n=$(awk -F, -v s=$src 'NR > 1 && $8 == s && $5 !~ /^(192\.168\.|255\.|224\.|239\.)/' "$TR/flows.csv" | wc -l)
    [ "$n" -ge 1 ] && ok "internet flows named '$src': $n" || fail "no internet flow with name_source $src"
done
# The shared CDN address: two devices, two different names, each its own question.
check "shared address named per device" 2 \
    "$(awk -F, '$8 == "dns" && $6 == 1883 { print $5 }' "$TR/flows.csv" | sort | uniq -c | awk '{print $1}')"
check "shared address: two distinct names" 2 "$(awk -F, '$8 == "dns" && $6 == 1883 { print $7 }' "$TR/flows.csv" | sort -u | wc -l)"
# Time-aware: one address, unnamed before the answer and named after (same device).
ta=$(awk -F, 'NR > 1 && $9 == "other" && $6 == 9999 { print $8 }' "$TR/flows.csv" | tr '\n' ' ')
check "time-aware naming (before, after)" "none dns " "$ta"

# --- dns.csv against tshark -----------------------------------------------------
check "dns.csv rows = DNS responses" "$(wc -l <"$T/dns.tshark")" "$(awk 'END{print NR-1}' "$TR/dns.csv")"
cut -d, -f3 "$T/dns.tshark" | sort >"$T/q.tshark"
awk -F, 'NR > 1 { print $3 }' "$TR/dns.csv" | sort >"$T/q.truth"
check "dns.csv questions = tshark" "" "$(diff "$T/q.truth" "$T/q.tshark")"
check "one NXDOMAIN" "1 1" "$($TS -r "$P" -Y 'dns.flags.rcode == 3' 2>/dev/null | wc -l) $(grep -c NXDOMAIN "$TR/dns.csv")"
grep -q 'api.amazonalexa.com,A,NOERROR,api-amazonalexa.aws.a2z.com;d3p8zr0ffa9t17.cloudfront.net;203.0.113.10,' "$TR/dns.csv" &&
    ok "CNAME chain in dns.csv" || fail "CNAME chain row missing"

# --- HTTP --------------------------------------------------------------------------
check "tshark HTTP requests (TCP) = http.csv rows" \
    "$($TS -r "$P" -o tcp.reassemble_out_of_order:TRUE -Y 'http.request && tcp' 2>/dev/null | wc -l)" \
    "$(awk 'END{print NR-1}' "$TR/http.csv")"
mkdir -p "$T/objs"
$TS -r "$P" -o tcp.reassemble_out_of_order:TRUE --export-objects "http,$T/objs" -q 2>/dev/null
sha256sum "$T"/objs/* 2>/dev/null | cut -d' ' -f1 | sort -u >"$T/objs.sha"
# tshark 4.0 exports the decoded body: it de-chunks and gunzips (http.decompress_body
# and http.dechunk_body default on), so chunked and gzip responses are checked too.
# Request bodies (the camera's JPEG, the plug's JSON) are exported as well.
awk -F, 'NR > 1 { if ($10 != "") print $10; if ($8 != "") print $8 }' "$TR/http.csv" | sort -u >"$T/want.sha"
check "every body sha256 in http.csv is among tshark's exported objects" "" "$(comm -23 "$T/want.sha" "$T/objs.sha")"
check "http kinds: chunked, gzip, HEAD, 304, POST jpeg, POST json, :8080" "1 1 1 1 1 1 1" "$(
    awk -F, 'NR > 1 { c += $13 == "chunked"; g += $12 == "gzip"; h += $4 == "HEAD"; n += $6 == 304;
        j += $4 == "POST" && $7 > 10000; s += $4 == "POST" && $7 < 1000; p += $3 ~ /:8080$/ }
        END { print c, g, h, n, j, s, p }' "$TR/http.csv")"
ooo=$($TS -r "$P" -Y 'tcp.analysis.out_of_order || tcp.analysis.retransmission' 2>/dev/null | wc -l)
[ "$ooo" -ge 3 ] && ok "out-of-order and retransmitted segments present ($ooo)" || fail "no reordering ($ooo)"
[ "$(grep -c www.samsungotn.net "$TR/http.csv")" -ge 4 ] && ok "keep-alive: 4 requests on one connection" || fail "keep-alive"

# --- long flow, teardown ----------------------------------------------------------------
dur=$($TS -r "$P" -q -z conv,tcp 2>/dev/null | awk '$3 ~ /:443$/ && $NF + 0 > 10800 { print $NF }' | head -1)
[ -n "$dur" ] && ok "a TCP flow lasting over 3 hours ($dur s)" || fail "no flow over 3 hours"
check "RST teardown present" 1 "$($TS -r "$P" -Y 'tcp.flags.reset == 1' 2>/dev/null | wc -l)"
[ "$($TS -r "$P" -Y 'tcp.flags.fin == 1' 2>/dev/null | wc -l)" -gt 20 ] && ok "FIN teardowns" || fail "no FINs"
full=$($TS -r "$P" -Y 'frame.len == 1514' 2>/dev/null | wc -l)
[ "$full" -gt 500 ] && ok "bulk of full-size frames ($full)" || fail "few full-size frames ($full)"

# --- --bytes scales the volume -------------------------------------------------------------
B=$T/big
iotap-synth -o "$B" --bytes 20M || fail "--bytes 20M failed"
sz=$(wc -c <"$B/home.pcap")
want=$((20 * 1048576))
[ "$sz" -gt $((want * 95 / 100)) ] && [ "$sz" -lt $((want * 105 / 100)) ] &&
    ok "--bytes 20M gives $sz bytes" || fail "--bytes 20M gave $sz bytes"
check "20M: summary totals = flows + other" \
    "$(awk -F, 'NR==2{print $1, $2}' "$B/truth/summary.csv")" \
    "$(awk -F, 'NR > 1 { p += $10 + $11; b += $12 + $13 } END { print p, b }' "$B/truth/flows.csv" |
       { read -r p b; awk -F, -v p="$p" -v b="$b" 'NR==2{print p + $9, b + $10}' "$B/truth/summary.csv"; })"
check "20M: frames in file = summary packets" "$(awk -F, 'NR==2{print $1}' "$B/truth/summary.csv")" \
    "$(tcpdump -nn -r "$B/home.pcap" 2>/dev/null | wc -l)"
check "20M: pcap size = 24 + 16/frame + bytes" "$sz" \
    "$(awk -F, 'NR==2{print 24 + 16 * $1 + $2}' "$B/truth/summary.csv")"
check "20M spans two days" 2 "$(awk -F, 'NR==2{print $NF}' "$B/truth/summary.csv")"
endpoints_match "$B/home.pcap" "$B/truth" "20M"
check "20M (two days): flows.csv packets/bytes per direction = tshark" "" "$(flows_match "$B/home.pcap" "$B/truth")"
if command -v capinfos >/dev/null; then
    check "20M: frames in strict time order" "True" "$(capinfos -o "$B/home.pcap" | awk -F: '/Strict time order/ { gsub(/ /, "", $2); print $2 }')"
fi
done_testing
