#!/bin/sh
# DNS answer flood: 5,000 (small) and 50,000 (large) queries by one device,
# each answered with 16 distinct A records (800,000 addresses in the large
# one), then a connection to the last answer's first address and one to
# the first answer's. With --max-names 10000 the name cache must stay
# capped: each answer is a (device, address) key and a global address key
# (lib/names.h), 1,600,000 keys, so 1,590,000 evictions, reported on stderr;
# holding them (>= 16 bytes each) would add far more than the 8 MiB slack.
# The address answered last is still named, the one evicted is not, and
# iotap-dns logs every query with all 16 answers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
DEV=02:11:22:33:44:55
CAPS="--max-flows 10000 --max-names 10000 --max-rows 10000"
gen dnsflood 5000 16 "$T/small.pcap"
gen dnsflood 50000 16 "$T/big.pcap"
for prog in iotap-dns iotap-domains iotap-devices; do
    # shellcheck disable=SC2086
    measure small-$prog $prog -q $CAPS "$T/small.pcap"; s=$RSS
    # shellcheck disable=SC2086
    measure big-$prog $prog -q $CAPS "$T/big.pcap"; b=$RSS
    check "$prog: exit status" 0 "$RC"
    flat "$prog: 800,000 answered addresses" "$s" "$b"
    [ $prog = iotap-dns ] && continue
    check "$prog: evictions reported" 1 \
        "$(grep -c 'DNS name cache full (10000 entries): 1590000 names evicted' "$T/big-$prog.err")"
done
out=$T/big-iotap-dns.out
check "dns: one row per query" 50000 "$(awk -F, -v d=$DEV '$2 == d && $4 == "A" && $5 == "NOERROR"' "$out" | wc -l)"
# The answers of query N are 12.0.0.0 + 16 N .. + 15, in wire order.
perl -e 'for my $i (0, 1, 4095, 49999) { my $b = 0x0c000000 + 16 * $i;
    print "q$i.flood.example,", join(";", map { join ".", unpack "C4", pack "N", $b + $_ } 0..15), "\n" }' > "$T/want"
awk -F, '$3 ~ /^q(0|1|4095|49999)\.flood/ { print $3 "," $6 }' "$out" | sort > "$T/got"
check "dns: answers of four queries" "$(sort "$T/want")" "$(cat "$T/got")"
check "dns: every row has 16 answers" 50000 "$(awk -F, 'NR > 1 && split($6, a, ";") == 16' "$out" | wc -l)"
d=$T/big-iotap-domains.out
check "domains: recent answer still names its address" "q49999.flood.example,dns" \
    "$(awk -F, '$6 == "12.12.52.240" { print $3 "," $5 }' "$d")"
check "domains: evicted answer no longer does" ",none" \
    "$(awk -F, '$6 == "12.0.0.0" { print $3 "," $5 }' "$d")"
done_testing
