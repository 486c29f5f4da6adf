#!/bin/sh
# make bench: every speed and memory claim, re-runnable by anyone.
# Generates the synthetic home at IOTAP_BENCH_BYTES (default 1G) and at
# IOTAP_BENCH_SMALL_BYTES (default 100M), cuts each into .pcap.zst segments
# the way the recorder stores them, and times iotap next to the reference
# tools in the same run. Results: one line each,
#   "NAME seconds=S peak_rss_mib=M [more key=value]",
# also collected in BUILD/bench/results.txt. Names are matched exactly
# (seconds NAME, rss NAME), so "read+decode" and "read+decode (100M)" are
# two different lines.
#
#   IOTAP_BENCH_BYTES=200M make bench      # a quicker run (BENCH_SIZE also works)
#   IOTAP_BENCH_RUNS=3                      # runs of read+decode and zstd -dc (median)
#   IOTAP_BENCH_SMALL_BYTES=100M            # the second size, for peak memory
#   IOTAP_BENCH_PARTS="reports http"        # only these scripts/bench-*.sh parts
set -eu
BUILD=${1:-build}
BIN=$BUILD/bin
SIZE=${IOTAP_BENCH_BYTES:-${BENCH_SIZE:-1G}}
SMALL_SIZE=${IOTAP_BENCH_SMALL_BYTES:-100M}
RUNS=${IOTAP_BENCH_RUNS:-3}
DATA=$BUILD/bench-data
RES=$BUILD/bench/results.txt
mkdir -p "$DATA" "$BUILD/bench"
: > "$RES"
export PATH="$PWD/$BIN:$PATH"

# measure NAME CMD... : wall seconds and peak RSS of CMD (stdout discarded).
measure() {
    name=$1; shift
    /usr/bin/time -f "%e %M" -o "$DATA/.time" "$@" > /dev/null 2> "$DATA/.err" || {
        echo "$name FAILED: $(tail -n 3 "$DATA/.err")" | tee -a "$RES"; return 0; }
    set -- $(tail -n 1 "$DATA/.time")
    printf '%-34s seconds=%-8s peak_rss_mib=%s\n' "$name" "$1" "$(( $2 / 1024 ))" | tee -a "$RES"
}
# measure_median NAME BYTES RUNS CMD... : CMD RUNS times; one line with the
# median wall seconds, the largest peak RSS, BYTES/1e6/median as MB/s and
# every run's seconds. CMD's stdout goes to /dev/null, or with MM_KEEP=1
# (bench-read: its own counts and MB/s) the median run's is kept in DATA/.out.
measure_median() {
    name=$1 mbytes=$2 runs=$3; shift 3
    : > "$DATA/.runs"
    i=0
    while [ $i -lt "$runs" ]; do
        i=$((i + 1))
        # Only bench-read's few lines are kept: zstd -dc's gigabyte must go
        # to /dev/null, or the disk write is what gets timed.
        o=/dev/null; [ "${MM_KEEP:-0}" = 1 ] && o=$DATA/.out.$i
        /usr/bin/time -f "%e %M" -o "$DATA/.time" "$@" > "$o" 2> "$DATA/.err" || {
            echo "$name FAILED (run $i): $(tail -n 3 "$DATA/.err")" | tee -a "$RES"; return 0; }
        echo "$(tail -n 1 "$DATA/.time") $i" >> "$DATA/.runs"
    done
    # median by seconds (the middle run of an odd count, the lower middle else)
    med=$(sort -n -k1,1 "$DATA/.runs" | sed -n "$(( (runs + 1) / 2 ))p")
    set -- $med
    if [ "${MM_KEEP:-0}" = 1 ]; then cp "$DATA/.out.$3" "$DATA/.out"; else : > "$DATA/.out"; fi
    rm -f "$DATA"/.out.[0-9]*
    maxrss=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$DATA/.runs")
    all=$(awk '{ printf "%s%s", (NR > 1 ? "," : ""), $1 }' "$DATA/.runs")
    mbs=$(awk -v b="$mbytes" -v s="$1" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else print "n/a" }')
    printf '%-34s seconds=%-8s peak_rss_mib=%s MB/s=%s median_of=%s runs=%s\n' \
        "$name" "$1" "$(( maxrss / 1024 ))" "$mbs" "$runs" "$all" | tee -a "$RES"
}
# value NAME KEY : KEY's value on the result line named exactly NAME (the
# text before " seconds="); the last such line wins.
value() {
    awk -v n="$1" -v k="$2" '
        { i = index($0, " seconds="); if (!i) next
          name = substr($0, 1, i - 1); sub(/ +$/, "", name); if (name != n) next
          for (j = 1; j <= NF; j++) if (index($j, k "=") == 1) v = substr($j, length(k) + 2) }
        END { print v }' "${BENCH_RES:-$RES}"
}
seconds() { value "$1" seconds; }
rss() { value "$1" peak_rss_mib; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict VALUE OP LIMIT : "met" or "MISSED" (n/a when VALUE is not a number)
verdict() {
    awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
        if (a !~ /^[0-9.]+$/) { print "n/a"; exit }
        ok = (op == "<=") ? (a + 0 <= b + 0) : (op == ">=") ? (a + 0 >= b + 0) : (a + 0 == b + 0)
        print ok ? "met" : "MISSED" }'
}

# make_capture SIZE : DATA/SIZE/home.pcap and DATA/SIZE/segments/*.pcap.zst;
# DATA/SIZE/.bytes holds the segments' decompressed size.
make_capture() {
    d=$DATA/$1
    if [ ! -f "$d/.done" ]; then
        rm -rf "$d"; mkdir -p "$d/segments"
        echo "generating the synthetic home at $1 ..." >&2
        iotap-synth -o "$d" --bytes "$1" >&2
        # 64 MB segments, cut at packet boundaries, one zstd frame each.
        tcpdump -Z "$(id -un)" -r "$d/home.pcap" -w "$d/segments/seg" -C 64 2>/dev/null
        n=0
        for f in $(ls "$d/segments" | sort -V); do
            n=$((n + 1))
            zstd -q -3 --rm "$d/segments/$f" -o "$d/segments/home-$(printf %06d $n).pcap.zst"
        done
        zstd -dc "$d"/segments/*.pcap.zst | wc -c | tr -d ' ' > "$d/.bytes"
        touch "$d/.done"
    fi
    echo "$d"
}

BIG=$(make_capture "$SIZE")
SMALL=$(make_capture "$SMALL_SIZE")
BYTES=$(cat "$BIG/.bytes")
echo "capture: $SIZE synthetic home, $(ls "$BIG/segments" | wc -l) segments," \
     "$(du -sh "$BIG/segments" | cut -f1) compressed, $BYTES bytes of pcap" | tee -a "$RES"

# Issue 2: reading + decoding every packet vs. zstd -dc alone, median of
# RUNS runs each, from a warm page cache (both read the same segments).
# MB/s on both lines is the decompressed pcap stream (BYTES) per second.
cat "$BIG"/segments/*.pcap.zst > /dev/null
measure_median "zstd-dc" "$BYTES" "$RUNS" sh -c "zstd -dc $BIG/segments/*.pcap.zst"
MM_KEEP=1; measure_median "read+decode" "$BYTES" "$RUNS" "$BUILD/bench/bench-read" "$BIG/segments"; MM_KEEP=0
echo "read+decode: bench-read (median run): $(cat "$DATA/.out")" | tee -a "$RES"
measure "read+decode+flows" "$BUILD/bench/bench-read" -f "$BIG/segments"
measure "read+decode ($SMALL_SIZE)" "$BUILD/bench/bench-read" "$SMALL/segments"
r=$(ratio "$(seconds read+decode)" "$(seconds zstd-dc)")
{
echo "read+decode / zstd-dc = $r (median of $RUNS runs each; target <= 1.3: $(verdict "$r" '<=' 1.3))"
echo "read+decode MB/s = $(value read+decode MB/s), zstd-dc MB/s = $(value zstd-dc MB/s)"
a=$(rss "read+decode ($SMALL_SIZE)"); b=$(rss read+decode)
d=$(awk -v a="$a" -v b="$b" 'BEGIN { d = b - a; print (d < 0 ? -d : d) }')
echo "read+decode peak RSS: $SMALL_SIZE $a MiB, $SIZE $b MiB (target: equal, within 2 MiB: $(verdict "$d" '<=' 2))"
} | tee -a "$RES"

# Later parts add their own lines (recorder, reports, HTTP) from here;
# IOTAP_BENCH_PARTS="reports http" runs only those (default: all, "none").
for part in scripts/bench-*.sh; do
    [ -f "$part" ] || continue
    p=${part#scripts/bench-}; p=${p%.sh}
    case " ${IOTAP_BENCH_PARTS:-$p} " in *" $p "*) ;; *) continue ;; esac
    BENCH_BIG=$BIG BENCH_SMALL=$SMALL BENCH_RES=$RES BENCH_SMALL_SIZE=$SMALL_SIZE \
        BENCH_BIG_SIZE=$SIZE . "./$part"
done
echo "results in $RES"
