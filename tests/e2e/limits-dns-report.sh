#!/bin/sh
# Damaged DNS must be reported, not silently dropped (DESIGN.md "Damaged
# input is reported (file, offset or packet number) and skipped; nothing is
# silently dropped"): iotap-dns over the captures of limits-dns-loops.sh
# must name the file and packet of each of the three responses with a
# compression-pointer loop (packets 2, 4 and 6), and say that the 1,000-name
# CNAME chain was cut at 64 answers (the A record at its end is lost).
#
# (Was a known bug, fixed: lib/report/rdns.c reports each damaged or cut
# message as "FILE: packet N: DNS response: what" and keeps what parsed.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
LIMITS_TIMEOUT=30
gen dnsloop "$T/loop.pcap"
gen cname 1000 "$T/chain.pcap"
measure loop iotap-dns -q "$T/loop.pcap"
for n in 2 4 6; do
    grep -q -F "$T/loop.pcap" "$T/loop.err" && grep "$T/loop.pcap" "$T/loop.err" | grep -q -E "packet $n\b" &&
        ok "damaged response, packet $n, reported" || fail "damaged response, packet $n, not reported"
done
# Exactly the three damaged responses, nothing else.
n=$(grep -c "$T/loop.pcap: packet [0-9]*: DNS" "$T/loop.err")
[ "$n" = 3 ] && ok "3 damaged responses reported" || fail "$n damaged-DNS lines, want 3"
measure chain iotap-dns -q "$T/chain.pcap"
grep -F "$T/chain.pcap: packet 2: " "$T/chain.err" | grep -q -F 'first 64 of 1000 A/AAAA/CNAME answers kept' &&
    ok "cut CNAME chain reported" || fail "1,000-name chain cut at 64 answers without a word on stderr"
# The 64 kept answers are in the row (c1..c64), not one more.
n=$(grep '^[^,]*,[^,]*,c0.chain.example,' "$T/chain.out" | cut -d, -f6 | tr ';' '\n' | grep -c .)
[ "$n" = 64 ] && ok "64 answers kept" || fail "$n answers in the c0 row, want 64"
done_testing
