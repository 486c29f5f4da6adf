#!/bin/sh
# make bench: every speed and memory claim, re-runnable by anyone.
# Generates the synthetic home at BENCH_SIZE (default 1G) and at 100M, cuts
# each into .pcap.zst segments the way the recorder stores them, and times
# iotap next to the reference tools in the same run. Results: one line each,
# "NAME seconds=S peak_rss_mib=M", also collected in BUILD/bench/results.txt.
set -eu
BUILD=${1:-build}
BIN=$BUILD/bin
SIZE=${BENCH_SIZE:-1G}
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
# seconds NAME : the seconds of a measured line
seconds() { awk -v n="$1" '$1 == n { sub("seconds=", "", $2); print $2 }' "$RES"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# make_capture SIZE : DATA/SIZE/home.pcap and DATA/SIZE/segments/*.pcap.zst
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
        touch "$d/.done"
    fi
    echo "$d"
}

BIG=$(make_capture "$SIZE")
SMALL=$(make_capture 100M)
echo "capture: $SIZE synthetic home, $(ls "$BIG/segments" | wc -l) segments," \
     "$(du -sh "$BIG/segments" | cut -f1) compressed" | tee -a "$RES"

# Issue 2: reading + decoding every packet vs. zstd -dc alone.
measure "zstd-dc" sh -c "zstd -dc $BIG/segments/*.pcap.zst"
measure "read+decode" "$BUILD/bench/bench-read" "$BIG/segments"
measure "read+decode+flows" "$BUILD/bench/bench-read" -f "$BIG/segments"
measure "read+decode (100M)" "$BUILD/bench/bench-read" "$SMALL/segments"
echo "read+decode / zstd-dc = $(ratio "$(seconds read+decode)" "$(seconds zstd-dc)") (target <= 1.3)" | tee -a "$RES"

# Later parts add their own lines (recorder, reports, HTTP) from here.
for part in scripts/bench-*.sh; do
    [ -f "$part" ] || continue
    BENCH_BIG=$BIG BENCH_SMALL=$SMALL BENCH_RES=$RES . "./$part"
done
echo "results in $RES"
