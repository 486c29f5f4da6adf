# make bench, part: the report programs (issue 4). Sourced by scripts/bench.sh
# with measure/seconds/ratio, $BENCH_BIG/$BENCH_SMALL (home.pcap, segments/)
# and $BENCH_RES. Each report reads the big capture's .pcap.zst segments;
# zstd -dc and tshark's Ethernet endpoints run on the same capture in the
# same run (tshark on the uncompressed home.pcap, the same packets).
measure "reports: zstd-dc" sh -c "zstd -dc $BENCH_BIG/segments/*.pcap.zst"
for r in devices domains flows dns timeline; do
    measure "iotap-$r" iotap-$r -q "$BENCH_BIG/segments"
done
SM=${BENCH_SMALL_SIZE:-100M}
measure "iotap-devices ($SM)" iotap-devices -q "$BENCH_SMALL/segments"
measure "iotap-domains ($SM)" iotap-domains -q "$BENCH_SMALL/segments"
if command -v tshark >/dev/null; then
    measure "tshark endpoints,eth" tshark -n -q -z endpoints,eth -r "$BENCH_BIG/home.pcap"
    measure "tshark endpoints,eth ($SM)" tshark -n -q -z endpoints,eth -r "$BENCH_SMALL/home.pcap"
fi
# seconds/rss (scripts/bench.sh) match a result's whole name exactly.
z=$(seconds "reports: zstd-dc")
{
echo "iotap-devices / zstd-dc = $(ratio "$(seconds iotap-devices)" "$z") (target <= 1.5)"
echo "iotap-domains / zstd-dc = $(ratio "$(seconds iotap-domains)" "$z") (target <= 2)"
echo "iotap-flows / zstd-dc = $(ratio "$(seconds iotap-flows)" "$z")"
echo "iotap-dns / zstd-dc = $(ratio "$(seconds iotap-dns)" "$z")"
echo "iotap-timeline / zstd-dc = $(ratio "$(seconds iotap-timeline)" "$z")"
if command -v tshark >/dev/null; then
    t=$(seconds "tshark endpoints,eth")
    echo "tshark endpoints,eth / iotap-devices = $(ratio "$t" "$(seconds iotap-devices)") (target >= 10)"
    echo "tshark endpoints,eth peak RSS: $SM $(rss "tshark endpoints,eth ($SM)") MiB," \
         "big $(rss "tshark endpoints,eth") MiB (grows with the input)"
fi
echo "iotap-devices peak RSS: $SM $(rss "iotap-devices ($SM)") MiB, big $(rss iotap-devices) MiB (target: the same)"
echo "iotap-domains peak RSS: $SM $(rss "iotap-domains ($SM)") MiB, big $(rss iotap-domains) MiB (target: the same)"
} | tee -a "$BENCH_RES"
