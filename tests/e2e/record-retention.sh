#!/bin/sh
# --max-bytes: the oldest finished segments (and sidecars) are deleted, each
# deletion logged, so the finished total stays within the budget; what stays
# is the newest data, intact and in order.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
gen 3000 1000 1790000000 0.001 1 > "$T/in.pcap"      # ~3 MB, incompressible
iotap-record -r "$T/in.pcap" -w "$T/out" --sensor s -C 64K -G 0 --max-bytes 512K 2>"$T/log"
check "exit status" 0 "$?"
total=0
for s in $(segs "$T/out"); do total=$((total + $(stat -c %s "$s") + $(stat -c %s "$(sidecar_of "$s")"))); done
[ $total -le $((512 * 1024)) ] && ok "finished total $total <= 512K" || fail "finished total $total > 512K"
[ $total -ge $((256 * 1024)) ] && ok "retention did not delete more than needed" || fail "only $total bytes kept"
kept=$(segs "$T/out" | wc -l)
deleted=$(grep -c 'retention: deleted' "$T/log")
last=$(segs "$T/out" | sed 's/.*-0*\([0-9][0-9]*\)\.pcap\.zst/\1/' | sort -n | tail -1)
check "every deletion logged" $((last + 1)) $((kept + deleted))
check "the oldest went first (kept sequence numbers are the newest)" \
    "$(seq $((last + 1 - kept)) $last | tr '\n' ' ')" \
    "$(segs "$T/out" | sed 's/.*-0*\([0-9][0-9]*\)\.pcap\.zst/\1/' | sort -n | tr '\n' ' ')"
check "no sidecar without its segment" "$kept" "$(find "$T/out" -name '*.yaml' | wc -l)"
k=$(sum_key "$T/out" packets)
check "kept segments hold exactly the last $k packets" \
    "$(tcpdump -tt -nn -x -r "$T/in.pcap" 2>/dev/null | awk -v skip=$((3000 - k)) '/^[0-9]/ { n++ } n > skip' | sha256sum)" \
    "$(dump_all "$T/out" | sha256sum)"
done_testing
