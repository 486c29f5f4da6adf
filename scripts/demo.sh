#!/bin/sh
# make demo: generate the synthetic home and run what exists on it.
set -eu
BUILD=${1:-build}
BIN=$BUILD/bin
OUT=demo-out
mkdir -p "$OUT"
"$BIN/iotap-synth" -o "$OUT/home"
echo "== synthetic home: $OUT/home/home.pcap"
"$BIN/iotap-cat" "$OUT/home/home.pcap" | tcpdump -nn -r - 2>/dev/null | head -20
