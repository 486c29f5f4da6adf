#!/bin/sh
# DNS over TCP port 53 (reports-dnstcp.pl): the iotap-dns rows of the TCP
# messages (an answer split across two segments, two queries in one
# segment, two answers in one segment delivered out of order) against
# tshark, the flow named by a TCP answer, a message cut by the stream's end
# reported like a damaged UDP one, and the stream table's cap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reports-lib.inc"
for p in iotap-dns iotap-flows iotap-domains; do
    command -v $p >/dev/null || skip "$p not built"
done
command -v perl >/dev/null || skip "perl not installed"
GEN=$IOTAP_SRC/tests/e2e/reports-dnstcp.pl
perl "$GEN" >"$T/dt.pcap" || fail "generator"
perl "$GEN" cut >"$T/dtcut.pcap" || fail "generator"
perl "$GEN" many 100 >"$T/dtmany.pcap" || fail "generator"

iotap-dns "$T/dt.pcap" >"$T/dt.csv" 2>"$T/dt.err"
check "iotap-dns exit status" 0 $?
check "iotap-dns: no messages" "" "$(cat "$T/dt.err")"
check "iotap-dns rows (UDP TC answer, then TCP)" "00:11:22:33:44:55 a.tcp.example A NOERROR  
00:11:22:33:44:55 a.tcp.example A NOERROR cdn.tcp.example;203.0.113.7 300
00:11:22:33:44:55 b.tcp.example AAAA NOERROR 2001:db8::42 300
00:11:22:33:44:55 c.tcp.example A NOERROR 198.51.100.9 300" \
    "$(awk -F, 'NR > 1 { print $2, $3, $4, $5, $6, $7 }' "$T/dt.csv")"

if command -v tshark >/dev/null; then
    # tshark writes the messages of one segment on one line: compare the
    # questions and the answers of the TCP responses as sorted lists.
    tshark -n -o tcp.reassemble_out_of_order:TRUE -r "$T/dt.pcap" \
        -Y 'dns && tcp && dns.flags.response == 1' -T fields -E aggregator=';' \
        -e dns.qry.name 2>/dev/null | tr ';' '\n' | sort >"$T/q.tshark"
    tshark -n -o tcp.reassemble_out_of_order:TRUE -r "$T/dt.pcap" \
        -Y 'dns && tcp && dns.flags.response == 1' -T fields -E aggregator=';' \
        -e dns.cname -e dns.a -e dns.aaaa 2>/dev/null | tr '\t;' '\n\n' | grep . | sort >"$T/a.tshark"
    # The TCP rows are the ones with a TTL (the UDP answer had none).
    awk -F, 'NR > 1 && $7 != "" { print $3 }' "$T/dt.csv" | sort >"$T/q.got"
    awk -F, 'NR > 1 && $7 != "" { print $6 }' "$T/dt.csv" | tr ';' '\n' | grep . | sort >"$T/a.got"
    check "tshark saw the TCP responses" 3 "$(wc -l <"$T/q.tshark" | tr -d ' ')"
    check "TCP questions = tshark" "" "$(diff "$T/q.tshark" "$T/q.got")"
    check "TCP answers = tshark" "" "$(diff "$T/a.tshark" "$T/a.got")"
else
    echo "tshark not installed: tshark comparison not run"
fi

iotap-flows "$T/dt.pcap" >"$T/fl.csv" 2>"$T/fl.err"
check "iotap-flows exit status" 0 $?
check "the flow to 203.0.113.7 is named by the TCP answer" "203.0.113.7 443 a.tcp.example dns" \
    "$(awk -F, '$7 == "203.0.113.7" { print $7, $8, $9, $10 }' "$T/fl.csv")"
iotap-domains "$T/dt.pcap" >"$T/dom.csv" 2>"$T/dom.err"
check "iotap-domains: a.tcp.example from dns" "a.tcp.example dns 203.0.113.7" \
    "$(psv "$T/dom.csv" | awk -F'|' '$3 == "a.tcp.example" { print $3, $5, $6 }')"

iotap-dns "$T/dtcut.pcap" >"$T/cut.csv" 2>"$T/cut.err"
check "cut: exit status" 0 $?
check "cut: the query is written without an answer" "d.tcp.example A ," \
    "$(awk -F, '$3 == "d.tcp.example" { print $3, $4, $5 "," $6 }' "$T/cut.csv")"
check "cut: reported with file and packet" \
    "iotap-dns: $T/dtcut.pcap: packet 31: DNS message: DNS over TCP message cut after 10 of 47 bytes (the stream ends): message shorter than the DNS header" \
    "$(cat "$T/cut.err")"

iotap-dns "$T/dtmany.pcap" >"$T/many.csv" 2>"$T/many.err"
check "many: exit status" 0 $?
check "many: the stream table's cap is reported" 1 \
    "$(grep -c 'more than 64 connections open: 36 ended early' "$T/many.err")"
check "many: every cut query reported" 1 \
    "$(grep -c '100 damaged or cut DNS messages in all' "$T/many.err")"
done_testing
