#!/bin/sh
# Memory stays bounded: a capture of 1,000,000 distinct one-packet flows
# (and 125,000 DNS answers naming their addresses) against one of 100,000,
# with the flow table, name cache and row tables capped at 10,000. Peak RSS
# (GNU time %M) of the larger run may exceed the smaller one's only by
# allocator noise (8 MiB): with everything capped, what is held does not
# depend on the input's size. Every eviction is reported on stderr with
# its count, and nothing is lost from the totals.
. "$(dirname "$0")/lib.sh"
for p in iotap-domains iotap-flows iotap-devices; do
    command -v $p >/dev/null || skip "$p not built"
done
[ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) not installed"
command -v perl >/dev/null || skip "perl not installed"
# ASan's quarantine keeps freed memory for a while; keep it small so that RSS
# still shows what the program holds.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8"
GEN=$IOTAP_SRC/tests/e2e/reports-manyflows.pl
CAPS="--max-flows 10000 --max-names 10000 --max-rows 10000"
perl "$GEN" 100000 >"$T/small.pcap" || fail "generator"
perl "$GEN" 1000000 >"$T/big.pcap" || fail "generator"

for prog in iotap-domains iotap-devices iotap-flows; do
    # shellcheck disable=SC2086
    /usr/bin/time -f %M -o "$T/small.rss" $prog -q $CAPS "$T/small.pcap" >"$T/small.out" 2>"$T/small.err"
    # shellcheck disable=SC2086
    /usr/bin/time -f %M -o "$T/big.rss" $prog -q $CAPS "$T/big.pcap" >"$T/big.out" 2>"$T/big.err"
    check "$prog: exit status on 1M flows" 0 $?
    s=$(tail -1 "$T/small.rss"); b=$(tail -1 "$T/big.rss")
    [ "$b" -le $((s + 8192)) ] && ok "$prog: peak RSS ${b} KiB for 1M flows vs ${s} KiB for 100k" ||
        fail "$prog: peak RSS grows with the input: ${b} KiB for 1M flows vs ${s} KiB for 100k"
    # 1,000,000 flows + the DNS flow; at most 10,000 stay open.
    check "$prog: flow evictions counted on stderr" 1 \
        "$(grep -c 'flow table full (10000 open flows): 990001 flows closed early' "$T/big.err")"
    [ "$prog" = iotap-flows ] && continue
    # 125,000 answers, each a (device, address) key and a global address key
    # (lib/names.h), into 10,000 entries: 250,000 - 10,000 evicted.
    check "$prog: name cache evictions counted on stderr" 1 \
        "$(grep -c 'DNS name cache full (10000 entries): 240000 names evicted' "$T/big.err")"
    grep -q 'row table full (10000 rows): [0-9]* flows folded' "$T/big.err" &&
        ok "$prog: row folding reported" || fail "$prog: no row folding message"
done
# Nothing lost: every flow's packet is still in the device's totals.
check "domains: folded rows keep every packet" 1000000 \
    "$(iotap-domains -q $CAPS "$T/big.pcap" 2>/dev/null | awk -F, '$1 == "00:11:22:33:44:55" { p += $12 } END { print p }')"
check "devices: 1M packets out, 1M flows" "1000000 1000000" \
    "$(iotap-devices -q $CAPS "$T/big.pcap" 2>/dev/null | awk -F, '$1 == "00:11:22:33:44:55" { print $10, $14 }')"
check "flows: one row per flow" 1000000 \
    "$(iotap-flows -q $CAPS "$T/big.pcap" 2>/dev/null | awk -F, '$3 == "00:11:22:33:44:55"' | wc -l)"
done_testing
