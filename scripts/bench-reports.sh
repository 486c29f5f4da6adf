# make bench, part: the report programs (issue 4). Sourced by scripts/bench.sh
# with measure/seconds/ratio, $BENCH_BIG/$BENCH_SMALL (home.pcap, segments/)
# and $BENCH_RES. Each report reads the big capture's .pcap.zst segments;
# zstd -dc and tshark's Ethernet endpoints run on the same capture in the
# same run (tshark on the uncompressed home.pcap, the same packets).
measure "reports: zstd-dc" sh -c "zstd -dc $BENCH_BIG/segments/*.pcap.zst"
for r in devices domains flows dns timeline; do
    measure "iotap-$r" iotap-$r -q "$BENCH_BIG/segments"
done
measure "iotap-devices (100M)" iotap-devices -q "$BENCH_SMALL/segments"
measure "iotap-domains (100M)" iotap-domains -q "$BENCH_SMALL/segments"
if command -v tshark >/dev/null; then
    measure "tshark endpoints,eth" tshark -n -q -z endpoints,eth -r "$BENCH_BIG/home.pcap"
    measure "tshark endpoints,eth (100M)" tshark -n -q -z endpoints,eth -r "$BENCH_SMALL/home.pcap"
fi
z=$(awk '$1 == "reports:" && $2 == "zstd-dc" { sub("seconds=", "", $3); print $3 }' "$BENCH_RES")
rss() { awk -v n="$1" -v m="$2" '$1 == n && $2 == m { for (i = 2; i <= NF; i++) if ($i ~ /^peak_rss_mib=/) { sub("peak_rss_mib=", "", $i); print $i } }' "$BENCH_RES"; }
{
echo "iotap-devices / zstd-dc = $(ratio "$(seconds iotap-devices)" "$z") (target <= 1.5)"
echo "iotap-domains / zstd-dc = $(ratio "$(seconds iotap-domains)" "$z") (target <= 2)"
echo "iotap-flows / zstd-dc = $(ratio "$(seconds iotap-flows)" "$z")"
echo "iotap-dns / zstd-dc = $(ratio "$(seconds iotap-dns)" "$z")"
echo "iotap-timeline / zstd-dc = $(ratio "$(seconds iotap-timeline)" "$z")"
if command -v tshark >/dev/null; then
    t=$(awk '$1 == "tshark" && $2 == "endpoints,eth" && $3 ~ /^seconds=/ { sub("seconds=", "", $3); print $3 }' "$BENCH_RES")
    echo "tshark endpoints,eth / iotap-devices = $(ratio "$t" "$(seconds iotap-devices)") (target >= 10)"
    echo "tshark endpoints,eth peak RSS: 100M $(rss tshark "endpoints,eth" | tail -1) MiB," \
         "big $(rss tshark "endpoints,eth" | head -1) MiB (grows with the input)"
fi
echo "iotap-devices peak RSS: 100M $(rss iotap-devices "(100M)") MiB, big $(awk '$1 == "iotap-devices" && $2 ~ /^seconds=/ { sub("peak_rss_mib=", "", $3); print $3 }' "$BENCH_RES") MiB (target: the same)"
echo "iotap-domains peak RSS: 100M $(rss iotap-domains "(100M)") MiB, big $(awk '$1 == "iotap-domains" && $2 ~ /^seconds=/ { sub("peak_rss_mib=", "", $3); print $3 }' "$BENCH_RES") MiB (target: the same)"
} | tee -a "$BENCH_RES"
