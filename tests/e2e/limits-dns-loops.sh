#!/bin/sh
# DNS compression-pointer loops and a CNAME chain of 1,000 names
# (test-limits-gen dnsloop / cname). The loop capture holds three damaged
# responses, each after its query: a question name that points at itself,
# an owner name whose pointer points forward at a pointer pointing back,
# and 200 backward pointers in a row (over IOTAP_DNS_MAX_HOPS, 64); then a
# healthy query and answer. The chain capture answers c0.chain.example with
# c0 -> c1 -> ... -> c999 -> A 198.51.100.8 in one 23 KB message, then a
# CNAME loop x.cloop.example -> y -> x. Every program must finish (time
# bound), with exit status 0 or 1, no sanitizer report; iotap-dns logs each
# query once, the healthy answer right, and keeps the first
# IOTAP_DNS_MAX_AN (64) answers of the chain in order. Whether the damage
# is reported on stderr is checked by limits-dns-report.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
LIMITS_TIMEOUT=30
gen dnsloop "$T/loop.pcap"
gen cname 1000 "$T/chain.pcap"
for prog in iotap-dns iotap-domains iotap-devices iotap-flows iotap-timeline; do
    measure loop-$prog $prog -q "$T/loop.pcap"
    measure chain-$prog $prog -q "$T/chain.pcap"
    measure both-$prog $prog -q "$T/loop.pcap" "$T/chain.pcap"
done
out=$T/loop-iotap-dns.out
check "loops: one row per query" "deep.loop.example ok.loop.example pair.loop.example self.loop.example" \
    "$(tail -n +2 "$out" | cut -d, -f3 | sort | tr '\n' ' ' | sed 's/ $//')"
check "loops: healthy answer after the damage" "NOERROR,198.51.100.7,300" \
    "$(awk -F, '$3 == "ok.loop.example" { print $5 "," $6 "," $7 }' "$out")"
check "loops: no answer invented from a looping name" "" \
    "$(awk -F, '$3 ~ /(self|pair|deep)\.loop/ { print $6 }' "$out" | tr -d '\n')"
out=$T/chain-iotap-dns.out
check "chain: two rows" "c0.chain.example x.cloop.example" \
    "$(tail -n +2 "$out" | cut -d, -f3 | sort | tr '\n' ' ' | sed 's/ $//')"
check "chain: first 64 names of the chain, in order" "$(seq 1 64 | sed 's/.*/c&.chain.example/' | paste -sd';')" \
    "$(awk -F, '$3 == "c0.chain.example" { print $6 }' "$out")"
check "CNAME loop: both targets, once each" "y.cloop.example;x.cloop.example" \
    "$(awk -F, '$3 == "x.cloop.example" { print $6 }' "$out")"
check "both files as one stream: same rows" "$(cat "$T/loop-iotap-dns.out" "$T/chain-iotap-dns.out" | grep -v '^time,' | sort)" \
    "$(grep -v '^time,' "$T/both-iotap-dns.out" | sort)"
done_testing
