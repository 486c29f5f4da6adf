#!/bin/sh
# The five report programs on the synthetic home, against its ground truth
# (tests/synth/README.md) and, for Layer-2 counts, against tshark:
# per-device packets/bytes, names (split ClientHello, CNAME chain, shared
# CDN address, SNI-less flow named by DNS, IPv6, QUIC), per device+domain
# counts, the DNS log, timeline sums, labels and the --device filter.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reports-lib.inc"
for p in iotap-synth iotap-devices iotap-domains iotap-flows iotap-dns iotap-timeline; do
    command -v $p >/dev/null || skip "$p not built"
done
D=$(synth_home) || { fail "iotap-synth failed"; done_testing; }
P=$D/home.pcap
TR=$D/truth
ROUTER=$(awk -F, '$NF == "yes" { print $1 }' "$TR/devices.csv")

# --- devices ------------------------------------------------------------------
iotap-devices "$P" >"$T/dev.csv" 2>"$T/dev.err"
check "iotap-devices exit status" 0 $?
check "devices: no messages" "" "$(cat "$T/dev.err")"
check "devices header" "mac,vendor,label,hostname,vendor_class,ipv4,ipv6,first_seen,last_seen,packets_out,packets_in,bytes_out,bytes_in,flows,domains,randomized" "$(head -1 "$T/dev.csv")"
# truth: mac,vendor_prefix_owner,hostname,vendor_class,ipv4,ipv6,packets_out,packets_in,bytes_out,bytes_in,is_router
# (Vendors are written without commas: "Samsung Electronics Co.,LTD" -> "... Co. LTD".)
psv "$TR/devices.csv" | awk -F'|' 'NR > 1 && $11 == "no" { v = $2; gsub(/,/, " ", v); gsub(/  +/, " ", v); sub(/^ /, "", v); sub(/ $/, "", v)
    print $1, v, $3, $4, $5, $6, $7, $8, $9, $10 }' | sort >"$T/dev.want"
psv "$T/dev.csv" | awk -F'|' 'NR > 1 { print $1, $2, $4, $5, $6, $7, $10, $11, $12, $13 }' | sort >"$T/dev.got"
check "devices: vendor, DHCP name/class, addresses, L2 packets/bytes each way = truth" "" "$(diff "$T/dev.want" "$T/dev.got")"
check "the router is not a device" "" "$(grep "^$ROUTER," "$T/dev.csv")"
check "the randomized MAC is marked" "6a:3f:91:c2:5e:07 yes" "$(psv "$T/dev.csv" | awk -F'|' '$16 == "yes" { print $1, $16 }')"
# flows and distinct names per device = what the truth's flows.csv holds.
awk -F, 'NR > 1 { n[$1]++; if ($7 != "") { k = $1 " " $7; if (!(k in s)) { s[k] = 1; d[$1]++ } } }
    END { for (m in n) print m, n[m], d[m] + 0 }' "$TR/flows.csv" | sort >"$T/fd.want"
psv "$T/dev.csv" | awk -F'|' 'NR > 1 { print $1, $14, $15 }' | sort >"$T/fd.got"
# The truth merges a 5-tuple reused on several days into one row; one day has none.
check "devices: flows and distinct domains = truth flows.csv" "" "$(diff "$T/fd.want" "$T/fd.got")"

if command -v tshark >/dev/null; then
    tshark -n -r "$P" -q -z endpoints,eth 2>/dev/null |
        awk -v R="$ROUTER" '$1 ~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])+$/ && NF >= 7 && $1 != R && $1 !~ /^.[13579bdf]:/ { print $1, $4, $6, $5, $7 }' |
        sort >"$T/ep.tshark"
    psv "$T/dev.csv" | awk -F'|' 'NR > 1 { print $1, $10, $11, $12, $13 }' | sort >"$T/ep.got"
    check "devices: Tx/Rx packets and bytes = tshark -z endpoints,eth" "" "$(diff "$T/ep.tshark" "$T/ep.got")"
else
    echo "tshark not installed: endpoints comparison not run"
fi

# --- flows ------------------------------------------------------------------------
iotap-flows "$P" >"$T/flows.csv" 2>"$T/flows.err"
check "iotap-flows exit status" 0 $?
check "flows header" "start,end,mac,proto,local_addr,local_port,remote_addr,remote_port,domain,name_source,app,state,packets_out,packets_in,bytes_out,bytes_in" "$(head -1 "$T/flows.csv")"
# Truth rows are (mac, proto, local, remote) with counts; ICMP ports are 0 there
# (ours are type/code, as in Zeek's conn.log).
awk -F, 'NR > 1 { print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 }' "$TR/flows.csv" | sort >"$T/fl.want"
awk -F, 'NR > 1 && $3 != "" {
        lp = $6; rp = $8; if ($4 == "icmp" || $4 == "icmpv6") lp = rp = 0
        print $3, $4, $5, lp, $7, rp, $9, $10, $11, $13, $14, $15, $16 }' "$T/flows.csv" | sort >"$T/fl.got"
check "flows: every device flow, name, name_source, app and counts = truth" "" "$(diff "$T/fl.want" "$T/fl.got")"
check "flows without a device are the router's RAs only" "icmpv6 icmpv6" \
    "$(awk -F, 'NR > 1 && $3 == "" { print $4 }' "$T/flows.csv" | tr '\n' ' ' | sed 's/ $//')"
check "split ClientHellos named by SNI" 2 "$(grep -cE ',(api.amazonalexa.com|cloud-upload.hik-connect.com),sni,tls,' "$T/flows.csv")"
check "IPv6 TLS flow" "en.wikipedia.org,sni" "$(awk -F, '$5 ~ /^2001:db8:1:/ { print $9 "," $10 }' "$T/flows.csv")"
check "TLS without SNI named by DNS" "dev.hik-connect.com,dns,tls" "$(awk -F, '$11 == "tls" && $10 == "dns" { print $9 "," $10 "," $11 }' "$T/flows.csv")"
check "QUIC flow named from its Initial" "www.youtube.com,quic,quic" "$(awk -F, '$11 == "quic" { print $9 "," $10 "," $11 }' "$T/flows.csv")"
check "shared CDN address: each device its own question" \
    "44:47:cc:2e:61:f0 mqtt.hik-connect.com dns|60:3a:7c:91:03:4d n-devs.tplinkcloud.com dns" \
    "$(awk -F, '$7 == "198.51.100.50" { print $3, $9, $10 }' "$T/flows.csv" | sort | tr '\n' '|' | sed 's/|$//')"
check "time-aware: before the answer unnamed, after it named" "none dns" \
    "$(awk -F, '$8 == 9999 { print $10 }' "$T/flows.csv" | tr '\n' ' ' | sed 's/ $//')"
check "TCP states (Zeek conn_state): one RSTO, the rest SF" "RSTO 1|SF $(awk -F, '$2 == "tcp"' "$TR/flows.csv" | awk 'END { print NR - 1 }')" \
    "$(awk -F, '$4 == "tcp" { print $12 }' "$T/flows.csv" | sort | uniq -c | awk '{ print $2, $1 }' | tr '\n' '|' | sed 's/|$//')"

# UDP (Zeek): SF when both ends sent, S0 when one did (no lone answer from a
# server port in the synthetic home, so no SHR); the truth has the counts.
awk -F, 'NR > 1 && $2 == "udp" { print $1, $3, $4, $5, $6, ($10 > 0 && $11 > 0) ? "SF" : "S0" }' "$TR/flows.csv" | sort >"$T/us.want"
awk -F, 'NR > 1 && $4 == "udp" { print $3, $5, $6, $7, $8, $12 }' "$T/flows.csv" | sort >"$T/us.got"
check "UDP states (Zeek conn_state) = truth's packets each way" "" "$(diff "$T/us.want" "$T/us.got")"
check "UDP flows: both states occur" "S0 SF" "$(awk '{ print $6 }' "$T/us.got" | sort -u | tr '\n' ' ' | sed 's/ $//')"

# --- domains ------------------------------------------------------------------------
iotap-domains "$P" >"$T/dom.csv" 2>"$T/dom.err"
check "iotap-domains exit status" 0 $?
check "domains header" "mac,label,domain,registrable,name_source,remote_addrs,country,asn,as_org,protocols,flows,packets_out,packets_in,bytes_out,bytes_in,cleartext_bytes,first_seen,last_seen" "$(head -1 "$T/dom.csv")"
# truth: mac,domain,name_source,remote_addrs,flows,packets_out,packets_in,bytes_out,bytes_in
awk -F, 'NR > 1 { print $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$TR/domains.csv" | sort >"$T/dm.want"
awk -F, 'NR > 1 { print $1, $3, $5, $6, $11, $12, $13, $14, $15 }' "$T/dom.csv" | sort >"$T/dm.got"
check "domains: rows, names, sources, addresses and counts = truth" "" "$(diff "$T/dm.want" "$T/dm.got")"
check "registrable domain (eTLD+1) of a CNAME'd name" "amazonalexa.com" "$(awk -F, '$3 == "api.amazonalexa.com" { print $4 }' "$T/dom.csv")"
check "registrable domain under a two-label suffix rule" "nflxvideo.net" "$(awk -F, '$3 ~ /nflxvideo/ { print $4 }' "$T/dom.csv")"
check "TLS rows carry no cleartext" "" "$(awk -F, 'NR > 1 && $10 == "tls" && $16 != 0' "$T/dom.csv")"
check "HTTP rows are all cleartext" "" "$(awk -F, 'NR > 1 && $10 == "http" && $16 != $14 + $15' "$T/dom.csv")"
check "one warning without GeoIP databases" 1 "$(grep -c GeoIP "$T/dom.err")"

# --- dns --------------------------------------------------------------------------------
iotap-dns "$P" >"$T/dns.csv" 2>"$T/dns.err"
check "iotap-dns exit status" 0 $?
awk 'NR > 1' "$TR/dns.csv" | sort >"$T/dns.want"
awk 'NR > 1' "$T/dns.csv" | sort >"$T/dns.got"
check "dns: time, device, query, type, rcode, answers in order, ttl = truth" "" "$(diff "$T/dns.want" "$T/dns.got")"

# --- timeline ---------------------------------------------------------------------------
iotap-timeline "$P" >"$T/tl.csv"
check "iotap-timeline exit status" 0 $?
awk -F, 'NR > 1 { k = $2; p[k] += $4; q[k] += $5; b[k] += $6; c[k] += $7 } END { for (k in p) print k, p[k], q[k], b[k], c[k] }' "$T/tl.csv" | sort >"$T/tl.sum"
psv "$T/dev.csv" | awk -F'|' 'NR > 1 { print $1, $10, $11, $12, $13 }' | sort >"$T/tl.want"
check "timeline: a device's hourly buckets add up to its devices row" "" "$(diff "$T/tl.want" "$T/tl.sum")"
check "timeline: hourly buckets start on the hour" "" "$(awk -F, 'NR > 1 && $1 !~ /:00:00.000000Z$/' "$T/tl.csv" | head -2)"
check "timeline: the camera's 09:00-12:10 keep-alive spans 4 buckets" "4" \
    "$(iotap-timeline --by-domain "$P" | awk -F, '$4 == "alarm.hik-connect.com"' | wc -l)"
iotap-timeline --by-domain --bucket 15m "$P" >"$T/tld.csv"
awk -F, 'NR > 1 { k = $2 " " ($4 != "" ? $4 : "@" $5); p[k] += $6; q[k] += $7; b[k] += $8; c[k] += $9 }
        END { for (k in p) print k, p[k], q[k], b[k], c[k] }' "$T/tld.csv" | sort >"$T/tld.sum"
awk -F, 'NR > 1 { print $1, ($3 != "" ? $3 : "@" $6), $12, $13, $14, $15 }' "$T/dom.csv" | sort >"$T/tld.want"
check "timeline --by-domain: buckets add up to the domains rows" "" "$(diff "$T/tld.want" "$T/tld.sum")"
check "--bucket is only for iotap-timeline" "iotap-devices: --bucket: only iotap-timeline takes this option (see -h) 2" \
    "$(echo "$(iotap-devices --bucket 1h "$P" 2>&1 >/dev/null; echo $?)" | tr '\n' ' ' | sed 's/ $//')"
check "--bucket rejects nonsense" 2 "$(iotap-timeline --bucket 5x "$P" >/dev/null 2>&1; echo $?)"

# --- labels and the --device filter ------------------------------------------------------
cat >"$T/iotap.yaml" <<YAML
devices:
  "d0:d0:03:5c:88:02": tv
  "44:47:cc:2e:61:f0": camera
YAML
iotap-devices --config "$T/iotap.yaml" "$P" >"$T/devl.csv"
check "label from the config" "tv" "$(awk -F, '$1 == "d0:d0:03:5c:88:02"' "$T/devl.csv" | psv | cut -d'|' -f3)"
for dev in $(awk -F, 'NR > 1 && $NF == "no" { print $1 }' "$TR/devices.csv"); do
    check "--device $dev: devices row unchanged" "$(grep "^$dev," "$T/dev.csv")" "$(iotap-devices --device "$dev" "$P" | awk 'NR > 1')"
    check "--device $dev: domains rows unchanged" "$(grep "^$dev," "$T/dom.csv")" "$(iotap-domains --device "$dev" "$P" 2>/dev/null | awk 'NR > 1')"
    # (Row order follows when flows close, which depends on which packets are read.)
    check "--device $dev: flows unchanged" "$(awk -F, -v m="$dev" '$3 == m' "$T/flows.csv" | sort)" "$(iotap-flows --device "$dev" "$P" | awk 'NR > 1' | sort)"
    check "--device $dev: dns rows unchanged" "$(awk -F, -v m="$dev" '$2 == m' "$T/dns.csv")" "$(iotap-dns --device "$dev" "$P" | awk 'NR > 1')"
    check "--device $dev: timeline rows unchanged" "$(awk -F, -v m="$dev" '$2 == m' "$T/tl.csv")" "$(iotap-timeline --device "$dev" "$P" | awk 'NR > 1')"
    check "--device $dev: timeline --by-domain rows unchanged" "$(awk -F, -v m="$dev" '$2 == m' "$T/tld.csv")" \
        "$(iotap-timeline --by-domain --bucket 15m --device "$dev" "$P" | awk 'NR > 1')"
done
check "--device LABEL" "$(grep '^d0:d0:03:5c:88:02,' "$T/dom.csv" | sed 's/^\([^,]*\),,/\1,tv,/')" \
    "$(iotap-domains --config "$T/iotap.yaml" --device tv "$P" 2>/dev/null | awk 'NR > 1')"
check "the pipeline from the issue" "$(grep '^d0:d0:03:5c:88:02,' "$T/dom.csv" | sed 's/^\([^,]*\),,/\1,tv,/' | sort -t, -k14 -nr | head -3)" \
    "$(iotap-domains --config "$T/iotap.yaml" --device tv "$P" 2>/dev/null | sort -t, -k14 -nr | head -3)"

# --- --since/--until: Layer-2 counts of a window = tshark on the same window ------------
if command -v tshark >/dev/null; then
    S=2026-11-01T07:00:00Z; U=2026-11-01T16:00:00Z
    s=$(date -u -d "$S" +%s); u=$(date -u -d "$U" +%s)
    tshark -n -r "$P" -q -Y "frame.time_epoch >= $s && frame.time_epoch < $u" -z "endpoints,eth,frame.time_epoch >= $s && frame.time_epoch < $u" 2>/dev/null |
        awk -v R="$ROUTER" '$1 ~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])+$/ && NF >= 7 && $1 != R && $1 !~ /^.[13579bdf]:/ { print $1, $4, $6, $5, $7 }' |
        sort >"$T/win.tshark"
    iotap-devices --since "$S" --until "$U" "$P" | psv | awk -F'|' 'NR > 1 { print $1, $10, $11, $12, $13 }' | sort >"$T/win.got"
    [ -s "$T/win.got" ] && check "--since/--until: L2 counts of the window = tshark" "" "$(diff "$T/win.tshark" "$T/win.got")" ||
        fail "no rows in the window"
    # The same window for the timeline: a device's buckets = tshark's counts.
    iotap-timeline --since "$S" --until "$U" "$P" |
        awk -F, 'NR > 1 { k = $2; p[k] += $4; q[k] += $5; b[k] += $6; c[k] += $7 } END { for (k in p) print k, p[k], q[k], b[k], c[k] }' |
        sort >"$T/win.tl"
    check "--since/--until: timeline buckets of the window = tshark" "" "$(diff "$T/win.tshark" "$T/win.tl")"
fi
# A window that cuts flows (the camera's 09:00-12:10 keep-alive, the TV's
# evening stream): only the packets inside it count, in every report.
S=2026-11-01T07:00:00Z; U=2026-11-01T19:00:00.050000Z
if command -v tshark >/dev/null; then
    s=$(date -u -d "$S" +%s); u=$(date -u -d "$U" +%s.%N)
    # Per device, the IP frames it sent and received in the window.
    tshark -n -r "$P" -Y "(ip || ipv6) && frame.time_epoch >= $s && frame.time_epoch < $u" -T fields -e eth.src -e eth.dst -e frame.len 2>/dev/null |
        awk -v R="$ROUTER" '{ if ($1 != R) { po[$1]++; bo[$1] += $3; d[$1] = 1 } if ($2 != R && $2 !~ /^.[13579bdf]:/) { pi[$2]++; bi[$2] += $3; d[$2] = 1 } }
            END { for (m in d) print m, po[m] + 0, pi[m] + 0, bo[m] + 0, bi[m] + 0 }' | sort >"$T/ipwin.tshark"
    iotap-domains --since "$S" --until "$U" "$P" 2>/dev/null |
        awk -F, 'NR > 1 { k = $1; p[k] += $12; q[k] += $13; b[k] += $14; c[k] += $15 } END { for (k in p) print k, p[k], q[k], b[k], c[k] }' |
        sort >"$T/ipwin.dom"
    [ -s "$T/ipwin.dom" ] && check "--since/--until cutting flows: domains rows per device = tshark's IP frames of the window" "" \
        "$(diff "$T/ipwin.tshark" "$T/ipwin.dom")" || fail "no domains rows in the window"
    iotap-timeline --by-domain --since "$S" --until "$U" "$P" |
        awk -F, 'NR > 1 { k = $2; p[k] += $6; q[k] += $7; b[k] += $8; c[k] += $9 } END { for (k in p) print k, p[k], q[k], b[k], c[k] }' |
        sort >"$T/ipwin.tld"
    check "--since/--until cutting flows: timeline --by-domain per device = tshark's IP frames of the window" "" \
        "$(diff "$T/ipwin.tshark" "$T/ipwin.tld")"
    check "--since/--until: the camera's keep-alive counts only its packets before 10:30" \
        "$(tshark -n -r "$P" -Y "ip.addr == 198.51.100.21 && frame.time_epoch < $(date -u -d 2026-11-01T10:30:00Z +%s)" 2>/dev/null | wc -l)" \
        "$(iotap-domains --until 2026-11-01T10:30:00Z "$P" 2>/dev/null | awk -F, '$3 == "alarm.hik-connect.com" { print $12 + $13 }')"
fi
# DNS: exactly the truth's queries asked in the window (by the query's time).
awk -F, -v s="2026-11-01T07:00:00.000000Z" -v u="2026-11-01T19:00:00.050000Z" 'NR > 1 && $1 >= s && $1 < u' "$TR/dns.csv" | sort >"$T/dnswin.want"
iotap-dns --since "$S" --until "$U" "$P" | awk 'NR > 1' | sort >"$T/dnswin.got"
[ -s "$T/dnswin.want" ] && check "--since/--until: dns rows = the truth's queries in the window" "" "$(diff "$T/dnswin.want" "$T/dnswin.got")" ||
    fail "no truth DNS queries in the window"
check "--since/--until: the window holds some but not all queries" "yes" \
    "$([ "$(wc -l <"$T/dnswin.got")" -gt 0 ] && [ "$(wc -l <"$T/dnswin.got")" -lt "$(awk 'END { print NR - 1 }' "$TR/dns.csv")" ] && echo yes)"
# DNS knowledge from before --since still names later flows.
check "--since after the answer: the flow is still named by it" "use1-api.tplinkra.com,dns" \
    "$(iotap-flows --since 2026-11-01T01:05:30Z --until 2026-11-01T02:00:00Z "$P" | awk -F, '$8 == 9999 { print $9 "," $10 }')"

# Damaged input: reported, exit 1, everything before the damage still counted.
head -c $(($(wc -c <"$P") / 2)) "$P" >"$T/half.pcap"
iotap-devices "$T/half.pcap" >"$T/half.csv" 2>"$T/half.err"
check "truncated capture: exit status 1" 1 $?
grep -q "half.pcap" "$T/half.err" && ok "truncated capture: named on stderr" || fail "no message for the truncated capture"
[ "$(awk 'END { print NR }' "$T/half.csv")" -gt 2 ] && ok "truncated capture: rows still written" || fail "no rows for the truncated capture"

# A link type no report can decode (DLT_USER0 = 147) is said once per input,
# with its packet count, and is damage (exit 1); the other input still counts.
perl -e 'binmode STDOUT; print pack("VvvVVVV", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 147);
         for (1..3) { print pack("VVVV", 1790000000 + $_, 0, 20, 20), "x" x 20 }' >"$T/user0.pcap"
for prog in iotap-devices iotap-domains iotap-flows iotap-dns iotap-timeline; do
    $prog "$T/user0.pcap" "$P" >"$T/ul.csv" 2>"$T/ul.err"
    check "$prog: unsupported link type: exit status 1" 1 $?
    check "$prog: ... said once, naming file, type and packets" 1 \
        "$(grep -c "^$prog: $T/user0.pcap: link type 147 (.*) not supported: 3 packets not analyzed$" "$T/ul.err")"
done
check "iotap-devices: the readable input is still counted in full" "$(iotap-devices "$P" 2>/dev/null | md5sum)" \
    "$(iotap-devices "$T/user0.pcap" "$P" 2>/dev/null | md5sum)"
done_testing
