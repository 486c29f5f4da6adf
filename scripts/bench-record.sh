#!/bin/sh
# Recorder benchmarks, sourced by scripts/bench.sh (which sets BENCH_BIG,
# BENCH_SMALL, BENCH_RES, BUILD and measure()) or run alone:
#   sh scripts/bench-record.sh BUILD [CAPTURE.pcap]
# Lines:
#   record-offline: iotap-record -r on the synthetic home (default 64M
#     segments, level 3) next to `tcpdump -r FILE -w - | zstd -3 > OUT` in the
#     same run, with the ratio (target < 1: faster) and peak RSS (< 64 MiB);
#   record-live: the highest tcpreplay rate on a veth pair (own network
#     namespace, root only) at which the recorder, with its default
#     settings, dropped nothing, and its peak RSS over all rates (< 64 MiB).
if ! command -v measure >/dev/null 2>&1; then
    set -eu
    BUILD=${1:-build}
    BENCH_RES=$BUILD/bench/record-results.txt
    mkdir -p "$BUILD/bench"; : > "$BENCH_RES"
    if [ -n "${2:-}" ]; then BENCH_SMALL=$(dirname "$2"); BENCH_BIG=$BENCH_SMALL
    else BENCH_SMALL=$BUILD/bench-data/rec; mkdir -p "$BENCH_SMALL"
         [ -f "$BENCH_SMALL/home.pcap" ] || "$BUILD/bin/iotap-synth" -o "$BENCH_SMALL" --bytes 100M >&2
         BENCH_BIG=$BENCH_SMALL; fi
    measure() {
        name=$1; shift
        /usr/bin/time -f "%e %M" -o "$BUILD/bench/.time" "$@" > /dev/null 2> "$BUILD/bench/.err" || {
            echo "$name FAILED: $(tail -n 3 "$BUILD/bench/.err")" | tee -a "$BENCH_RES"; return 0; }
        set -- $(tail -n 1 "$BUILD/bench/.time")
        printf '%-34s seconds=%-8s peak_rss_mib=%s\n' "$name" "$1" "$(( $2 / 1024 ))" | tee -a "$BENCH_RES"
    }
fi
rb_sec() { awk -v n="$1" '$1 == n { sub("seconds=", "", $2); print $2 }' "$BENCH_RES" | tail -1; }
RB_IN=$BENCH_BIG/home.pcap
RB_OUT=$BUILD/bench/rec-out
RB_MB=$(( $(stat -c %s "$RB_IN") / 1048576 ))
rm -rf "$RB_OUT"; mkdir -p "$RB_OUT"
# Warm the page cache so both sides read from memory.
cat "$RB_IN" > /dev/null
measure "record-offline(${RB_MB}MiB)" "$BUILD/bin/iotap-record" -c /dev/null -r "$RB_IN" -w "$RB_OUT" --sensor bench -G 0
measure "tcpdump|zstd-3(${RB_MB}MiB)" sh -c "tcpdump -r '$RB_IN' -w - 2>/dev/null | zstd -q -3 > '$RB_OUT/ref.pcap.zst'"
a=$(rb_sec "record-offline(${RB_MB}MiB)"); b=$(rb_sec "tcpdump|zstd-3(${RB_MB}MiB)")
echo "record-offline / tcpdump|zstd-3 = $(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }') (target < 1)" | tee -a "$BENCH_RES"
echo "record-offline MB/s = $(awk -v a="$a" -v m="$RB_MB" 'BEGIN { if (a > 0) printf "%.0f", m / a; else print "n/a" }')" | tee -a "$BENCH_RES"
m=$(awk -v n="record-offline(${RB_MB}MiB)" '$1 == n { sub("peak_rss_mib=", "", $3); print $3 }' "$BENCH_RES" | tail -1)
echo "record-offline peak RSS = ${m:-?} MiB (target < 64: $(awk -v m="$m" 'BEGIN { if (m !~ /^[0-9]+$/) print "n/a"; else print (m < 64 ? "met" : "MISSED") }'))" | tee -a "$BENCH_RES"
rm -rf "$RB_OUT"

# Live: the highest zero-drop tcpreplay rate on a veth pair.
rb_live() {
    [ "$(id -u)" = 0 ] || { echo "record-live skipped: needs root (network namespace)"; return; }
    command -v tcpreplay >/dev/null || { echo "record-live skipped: no tcpreplay"; return; }
    ns=iotap-bench-$$
    ip netns add $ns 2>/dev/null || { echo "record-live skipped: network namespaces not permitted"; return; }
    ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n $ns link add v0 type veth peer name v1 && ip -n $ns link set v0 up && ip -n $ns link set v1 up
    # At most ~40 MB of the capture so every rate step stays short.
    small=$BUILD/bench/live.pcap
    tcpdump -r "$BENCH_SMALL/home.pcap" -w "$small" -c 30000 2>/dev/null
    best=0 maxhwm=0
    for mbps in 100 200 400 800 1600 3200 topspeed; do
        out=$BUILD/bench/live-out; rm -rf "$out"
        # The default settings (4 MiB kernel buffer), as on the Pi.
        ip netns exec $ns sh -c 'echo $$ > "$0"; exec "$1" -c /dev/null -i v1 -w "$2" --sensor b -G 0 -C 0' \
            "$BUILD/bench/rec.pid" "$BUILD/bin/iotap-record" "$out" 2>/dev/null &
        ipid=$!
        sleep 1
        if [ $mbps = topspeed ]; then rate=--topspeed; else rate=--mbps=$mbps; fi
        got=$(ip netns exec $ns tcpreplay -i v0 $rate "$small" 2>&1 | sed -n 's/.*Rated: .*, \([0-9.]*\) Mbps.*/\1/p' | head -1)
        sleep 1
        # Peak resident memory of the live recorder (kernel ring included).
        hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$(cat "$BUILD/bench/rec.pid")/status")
        hwm=$(( ${hwm:-0} / 1024 )); [ "$hwm" -gt "$maxhwm" ] && maxhwm=$hwm
        kill -TERM "$(cat "$BUILD/bench/rec.pid")"; wait $ipid
        y=$(find "$out" -name '*.yaml' | head -1)
        drops=$(sed -n 's/^kernel_drops: //p' "$y"); pk=$(sed -n 's/^packets: //p' "$y")
        want=$(tcpdump -r "$small" 2>/dev/null | wc -l)
        echo "record-live rate=$mbps achieved_mbps=${got:-?} packets=$pk/$want kernel_drops=$drops peak_rss_mib=$hwm"
        if [ "$drops" = 0 ] && [ "$pk" = "$want" ]; then
            best=$(awk -v a="$best" -v b="${got:-0}" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
        else break; fi
    done
    ip netns del $ns
    rm -rf "$BUILD/bench/live-out" "$small"
    echo "record-live highest zero-drop rate: ${best} Mbps (tcpreplay on veth, default 4 MiB buffer)"
    echo "record-live peak RSS = $maxhwm MiB (target < 64: $([ "$maxhwm" -lt 64 ] && echo met || echo MISSED))"
}
rb_live | tee -a "$BENCH_RES"
