#!/bin/sh
# Damaged DNS must be reported, not silently dropped (DESIGN.md "Damaged
# input is reported (file, offset or packet number) and skipped; nothing is
# silently dropped"): iotap-dns over the captures of limits-dns-loops.sh
# must name the file and packet of each of the three responses with a
# compression-pointer loop (packets 2, 4 and 6), and say that the 1,000-name
# CNAME chain was cut at 64 answers (the A record at its end is lost).
#
# KNOWN BUG (issue #6 hardening report): lib/report/rdns.c rdns_packet()
# ignores iotap_dns_parse()'s error ("damaged DNS is not the reports'
# business") and never looks at iotap_dns_msg.dropped, so iotap-dns prints
# nothing on stderr and exits 0 for all of this. Skipped until fixed; run
# with IOTAP_TEST_KNOWN_BUGS=1 to see it fail.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
[ "${IOTAP_TEST_KNOWN_BUGS:-0}" = 1 ] ||
    skip "known bug: iotap-dns does not report malformed DNS or answers past 64 (lib/report/rdns.c); IOTAP_TEST_KNOWN_BUGS=1 runs it"
LIMITS_TIMEOUT=30
gen dnsloop "$T/loop.pcap"
gen cname 1000 "$T/chain.pcap"
measure loop iotap-dns -q "$T/loop.pcap"
for n in 2 4 6; do
    grep -q -F "$T/loop.pcap" "$T/loop.err" && grep "$T/loop.pcap" "$T/loop.err" | grep -q -E "packet $n\b" &&
        ok "damaged response, packet $n, reported" || fail "damaged response, packet $n, not reported"
done
measure chain iotap-dns -q "$T/chain.pcap"
grep -F "$T/chain.pcap" "$T/chain.err" | grep -q -E '64|answers' &&
    ok "cut CNAME chain reported" || fail "1,000-name chain cut at 64 answers without a word on stderr"
done_testing
