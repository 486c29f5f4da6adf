#!/bin/sh
# Records a capture with iotap-record for `make demo`:
#   sh scripts/record-demo-netns.sh BUILD HOME.pcap OUTROOT
# As root (with ip netns, veth and tcpreplay available) the capture is
# replayed live through a veth pair in a private network namespace and
# recorded from the other end; otherwise it is recorded offline with -r.
# Segments land in OUTROOT/home/YYYY/MM/DD/; iotap-segments lists them.
# The last line of stdout is the segment directory for the analyzers.
set -eu
BUILD=$1 IN=$2 OUT=$3
BIN=$BUILD/bin
rm -rf "$OUT"; mkdir -p "$OUT"
live=0
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && command -v tcpreplay >/dev/null; then
    NS=iotap-demo-$$
    if ip netns add $NS 2>/dev/null; then live=1; fi
fi
if [ $live = 1 ]; then
    trap 'ip netns del $NS 2>/dev/null || true' EXIT
    ip netns exec $NS sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n $NS link add v0 type veth peer name v1
    ip -n $NS link set v0 up; ip -n $NS link set v1 up
    echo "== recording live on a veth pair (network namespace $NS)" >&2
    ip netns exec $NS sh -c 'echo $$ > "$0"; exec "$1" -c /dev/null -i v1 -w "$2" --sensor home -C 1M -G 0 --flush 1' \
        "$OUT/.pid" "$BIN/iotap-record" "$OUT" 2>"$OUT/record.log" &
    ipid=$!
    sleep 1
    ip netns exec $NS tcpreplay -q -i v0 --mbps=200 "$IN" >&2
    sleep 1
    kill -TERM "$(cat "$OUT/.pid")"; wait $ipid || true
    rm -f "$OUT/.pid"
else
    echo "== recording offline with -r (live replay needs root, ip netns and tcpreplay)" >&2
    "$BIN/iotap-record" -c /dev/null -r "$IN" -w "$OUT" --sensor home -C 1M -G 3600 2>"$OUT/record.log"
fi
sed 's/^/   /' "$OUT/record.log" >&2
echo "== segments (iotap-segments)" >&2
"$BIN/iotap-segments" "$OUT/home" | cut -d, -f1,3,9,10,11,12,16,23,24 | sed "s|$OUT/home/||" >&2
echo "$OUT/home"
