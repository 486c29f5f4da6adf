#!/bin/sh
# make demo: the main job on the built-in synthetic home.
#   1. generate a day of a smart home (iotap-synth),
#   2. record it into rotated .pcap.zst segments with iotap-record
#      (live through a veth pair when root and namespaces work, else offline
#      with -r, where the packet times drive rotation),
#   3. run the analyzers on the recorded segments, as a workstation would
#      after pulling them with rsync.
# Everything lands in demo-out/.
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD/bin" && pwd)
PATH=$BIN:$PATH
OUT=demo-out
rm -rf "$OUT"
mkdir -p "$OUT"
say() { printf '\n== %s\n' "$*"; }

iotap-synth -o "$OUT/home"
cat > "$OUT/iotap.yaml" <<'YAML'
devices:
  "68:db:f5:4e:7a:11": echo
  "d0:d0:03:5c:88:02": tv
  "60:3a:7c:91:03:4d": plug
  "44:47:cc:2e:61:f0": camera
  "6a:3f:91:c2:5e:07": phone
  "ac:ed:5c:72:19:a4": laptop
YAML
say "synthetic home: $OUT/home/home.pcap ($(wc -c < "$OUT/home/home.pcap") bytes)"

# Live through a veth pair when root (ip netns + tcpreplay), else offline
# with -r; the script's last output line is the segment directory.
say "recording with iotap-record"
ROOT=$(sh scripts/record-demo-netns.sh "$BUILD" "$OUT/home/home.pcap" "$OUT/segments" | tail -n 1)
echo "... $(find "$ROOT" -name '*.pcap.zst' | wc -l) segments in $ROOT"

C="--config $OUT/iotap.yaml -q"
say "devices (iotap-devices)"
iotap-devices $C "$ROOT"
say "what each device talks to, most bytes sent first (iotap-domains | sort)"
iotap-domains $C "$ROOT" 2>/dev/null | { IFS= read -r h; printf '%s\n' "$h"; sort -t, -k14 -nr; } | cut -d, -f2,3,6,11,14,15,16 | head -n 13
say "DNS (iotap-dns, first 5)"
iotap-dns $C "$ROOT" | head -n 6
say "plain-HTTP requests (iotap-http)"
iotap-http $C "$ROOT" | cut -d, -f1,3,8-11 | head -n 12
say "files that went over plain HTTP (iotap-extract -o $OUT/extracted)"
iotap-extract $C -o "$OUT/extracted" "$ROOT" | cut -d, -f2-8 | head -n 12
# A live recording stamps packets with the replay's clock, and tcpreplay
# plays the whole day in well under a second: the day's shape is in the
# generated capture's own times, so the timeline reads that one then.
TL=$ROOT
if grep -q '^source: "\{0,1\}live' "$(find "$ROOT" -name '*.yaml' | head -n 1)" 2>/dev/null; then
    TL=$OUT/home/home.pcap
fi
say "the TV's chattiness per hour (iotap-timeline --bucket 1h --device tv $TL)"
iotap-timeline $C --bucket 1h --device tv "$TL" | head -n 12
say "and back to tcpdump: iotap-cat --device camera ROOT | tcpdump -r - (first 5)"
iotap-cat $C --device camera "$ROOT" | tcpdump -nn -r - 2>/dev/null | head -n 5
echo
echo "all output is in $OUT/"
