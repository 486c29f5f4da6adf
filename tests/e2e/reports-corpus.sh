#!/bin/sh
# Robustness: every report program reads the whole public corpus (fuzzer
# finds, truncated files, lying lengths, every link type) as one capture
# without crashing or hanging (exit 0, or 1 for damaged input; under the
# sanitizer build any report fails the run), and every row it writes is
# well-formed CSV with the header's number of fields.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reports-lib.inc"
[ -n "${IOTAP_CORPUS:-}" ] && [ -d "$IOTAP_CORPUS" ] || skip "no corpus (../shared/corpus)"
for p in iotap-devices iotap-domains iotap-flows iotap-dns iotap-timeline; do
    command -v $p >/dev/null || skip "$p not built"
done
C=$IOTAP_CORPUS
for args in "iotap-devices" "iotap-domains" "iotap-flows" "iotap-dns" "iotap-timeline" \
            "iotap-timeline --by-domain --bucket 1m"; do
    # shellcheck disable=SC2086
    timeout 600 $args -q "$C/tcpdump" "$C/suricata-verify" "$C/zeek" >"$T/out.csv" 2>"$T/err"
    rc=$?
    case $rc in 0|1) ok "$args: exit $rc over the corpus" ;; *) fail "$args: exit $rc: $(grep -v '^iotap-' "$T/err" | head -5)" ;; esac
    check "$args: no sanitizer report" "" "$(grep -E 'runtime error|AddressSanitizer|LeakSanitizer' "$T/err" | head -3)"
    n=$(head -1 "$T/out.csv" | awk -F, '{ print NF }')
    # Fields that hold commas are quoted; count fields after psv.
    bad=$(psv "$T/out.csv" | awk -F'|' -v n="$n" 'NF != n' | head -3)
    check "$args: every row has $n fields" "" "$bad"
    [ "$(wc -l <"$T/out.csv")" -gt 10 ] && ok "$args: $(wc -l <"$T/out.csv") rows" || fail "$args: almost no rows"
done

# iotap-dns against tshark on the DNS traces whose clients are on a LAN or
# have no MAC (raw IP): one row per query, the same question names.
if command -v tshark >/dev/null; then
    Z=$C/zeek/testing/btest/Traces
    for f in dns/long-connection.pcap dns/sshfp-trunc.pcap ipv6-fragmented-dns.pcap dns/ech.pcap \
             dns-zero-RRs.pcap dns-https.pcap dns/dns-corrupt.pcap; do
        [ -f "$Z/$f" ] || continue
        want=$(tshark -n -r "$Z/$f" -Y 'dns.flags.response == 0 && udp.dstport == 53' -T fields \
               -e dns.qry.name 2>/dev/null | tr 'A-Z' 'a-z' | sort)
        got=$(iotap-dns -q "$Z/$f" 2>/dev/null | awk -F, 'NR > 1 { print $3 }' | sort)
        check "iotap-dns $f: queries = tshark's" "$want" "$got"
    done
    # iotap-flows names QUIC flows from their Initials as tshark decrypts them.
    for f in "$Z"/quic/*.pcap; do
        want=$(tshark -n -r "$f" -Y 'quic && tls.handshake.type == 1' -T fields \
               -e tls.handshake.extensions_server_name 2>/dev/null | grep . | sort -u)
        got=$(iotap-flows -q "$f" 2>/dev/null | awk -F, '$10 == "quic" { print $9 }' | sort -u)
        check "iotap-flows $(basename "$f"): QUIC SNI = tshark's" "$want" "$got"
    done
    # ... and TLS flows from their (possibly fragmented) ClientHellos.
    for f in $(find "$C" -path '*tls*' -name '*.pcap*' | sort); do
        want=$(tshark -n -r "$f" -o tcp.reassemble_out_of_order:TRUE -Y 'tcp && tls.handshake.type == 1' \
               -T fields -e tls.handshake.extensions_server_name 2>/dev/null | grep . | sort -u)
        got=$(iotap-flows -q "$f" 2>/dev/null | awk -F, '$10 == "sni" { print $9 }' | sort -u)
        check "iotap-flows ${f#"$C"/}: TLS SNI = tshark's" "$want" "$got"
    done
fi
done_testing
