# bench-http.sh - sourced by scripts/bench.sh (uses measure, seconds, ratio,
# BENCH_BIG, BENCH_SMALL, BENCH_RES, BUILD): iotap-http and iotap-extract
# over the synthetic home's segments next to zstd -dc and tshark's HTTP
# object export of the same capture, in the same run. Peak memory is
# measured at two sizes: it must not grow with the input.
X=$BUILD/bench/extract
rm -rf "$X"; mkdir -p "$X"
measure "iotap-http" iotap-http -q "$BENCH_BIG/segments"
measure "iotap-extract" iotap-extract -q -o "$X/big" "$BENCH_BIG/segments"
measure "iotap-http (${BENCH_SMALL_SIZE:-100M})" iotap-http -q "$BENCH_SMALL/segments"
measure "iotap-extract (${BENCH_SMALL_SIZE:-100M})" iotap-extract -q -o "$X/small" "$BENCH_SMALL/segments"
SM=${BENCH_SMALL_SIZE:-100M}
if command -v tshark >/dev/null && [ "${BENCH_NO_TSHARK:-0}" = 0 ]; then
    measure "tshark-export-objects-http" tshark -n -o tcp.reassemble_out_of_order:TRUE \
        -r "$BENCH_BIG/home.pcap" -q --export-objects "http,$X/tshark"
fi
{
if [ -n "$(seconds tshark-export-objects-http)" ]; then
    for p in iotap-http iotap-extract; do
        r=$(ratio "$(seconds tshark-export-objects-http)" "$(seconds $p)")
        echo "tshark-export / $p = $r (target >= 10: $(verdict "$r" '>=' 10))"
    done
fi
echo "iotap-http / zstd-dc = $(ratio "$(seconds iotap-http)" "$(seconds zstd-dc)")"
echo "iotap-extract / zstd-dc = $(ratio "$(seconds iotap-extract)" "$(seconds zstd-dc)")"
for p in iotap-http iotap-extract; do
    a=$(rss "$p ($SM)"); b=$(rss "$p")
    echo "$p peak RSS: $SM $a MiB, big $b MiB (target: the same, within 2 MiB:" \
         "$(verdict "$(awk -v a="$a" -v b="$b" 'BEGIN { d = b - a; print (d < 0 ? -d : d) }')" '<=' 2))"
done
} | tee -a "$BENCH_RES"
rm -rf "$X"; mkdir -p "$X"
