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
# same_rss NAME : "the same" verdict of NAME's peak RSS at both sizes (2 MiB slack).
same_rss() {
    a=$(rss "$1 ($SM)"); b=$(rss "$1")
    echo "$1 peak RSS: $SM $a MiB, big $b MiB (target: the same, within 2 MiB:" \
         "$(verdict "$(awk -v a="$a" -v b="$b" 'BEGIN { d = b - a; print (d < 0 ? -d : d) }')" '<=' 2))"
}
{
r=$(ratio "$(seconds iotap-devices)" "$z")
echo "iotap-devices / zstd-dc = $r (target <= 1.5: $(verdict "$r" '<=' 1.5))"
r=$(ratio "$(seconds iotap-domains)" "$z")
echo "iotap-domains / zstd-dc = $r (target <= 2: $(verdict "$r" '<=' 2))"
echo "iotap-flows / zstd-dc = $(ratio "$(seconds iotap-flows)" "$z")"
echo "iotap-dns / zstd-dc = $(ratio "$(seconds iotap-dns)" "$z")"
echo "iotap-timeline / zstd-dc = $(ratio "$(seconds iotap-timeline)" "$z")"
if command -v tshark >/dev/null; then
    t=$(seconds "tshark endpoints,eth")
    r=$(ratio "$t" "$(seconds iotap-devices)")
    echo "tshark endpoints,eth / iotap-devices = $r (target >= 10: $(verdict "$r" '>=' 10))"
    echo "tshark endpoints,eth peak RSS: $SM $(rss "tshark endpoints,eth ($SM)") MiB," \
         "big $(rss "tshark endpoints,eth") MiB (grows with the input)"
fi
same_rss iotap-devices
same_rss iotap-domains
} | tee -a "$BENCH_RES"
