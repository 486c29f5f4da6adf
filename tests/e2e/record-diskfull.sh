#!/bin/sh
# A full disk (2 MiB tmpfs in a private mount namespace; needs root): the
# recorder neither crashes nor claims data it did not write. In -r mode it
# waits; once a puller removes finished segments it resumes, and the pulled
# plus remaining segments hold every packet, byte for byte. With --min-free
# it frees space itself by deleting the oldest segments.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
if [ -z "${IOTAP_IN_MNTNS:-}" ]; then
    [ "$(id -u)" = 0 ] || skip "needs root for a private tmpfs (unshare -m + mount)"
    command -v unshare >/dev/null || skip "unshare not installed"
    unshare -m true 2>/dev/null || skip "mount namespaces not permitted here"
    IOTAP_IN_MNTNS=1 exec unshare -m sh "$0" "$@"
fi
mkdir -p "$T/mnt" "$T/pulled"
mount --make-rprivate / 2>/dev/null
mount -t tmpfs -o size=2M,mode=0755 tmpfs "$T/mnt" || skip "cannot mount a tmpfs here"
gen 3000 1000 1790000000 0.001 1 > "$T/in.pcap"      # ~3 MB incompressible

# 1. No retention: it must wait, then resume when a puller frees space.
mkfifo "$T/fifo"
iotap-record -r "$T/fifo" -w "$T/mnt/a" --sensor s -C 256K -G 0 2>"$T/log" &
pid=$!
cat "$T/in.pcap" > "$T/fifo" &
feeder=$!
full() { grep -q 'No space left' "$T/log"; }
wait_until 60 full && ok "disk full reported" || fail "no disk-full message"
kill -0 $pid 2>/dev/null && ok "still running while the disk is full" || fail "recorder died"
# Every finished segment so far is complete and honest.
bad=0
for s in $(segs "$T/mnt/a"); do
    [ "$(npk "$s")" = "$(yget "$(sidecar_of "$s")" packets)" ] || bad=$((bad + 1))
done
check "finished segments during the outage are complete" 0 "$bad"
out=$(chain_ok "$T/mnt/a") || fail "$out"
# Pull (move out) the finished segments, as rsync --remove-source-files would.
pull() {
    for s in $(segs "$T/mnt/a"); do
        y=$(sidecar_of "$s")
        [ -f "$y" ] || continue
        cp "$s" "$y" "$T/pulled/" && rm -f "$s" "$y"
    done
}
pull
wait $feeder
wait_until 60 sh -c "! kill -0 $pid 2>/dev/null" || { pull; sleep 1; pull; }
while kill -0 $pid 2>/dev/null; do pull; sleep 0.5; done
wait $pid
check "exit status after the disk came back" 0 "$?"
pull
check "every packet stored across the outage" \
    "$(tcpdump -tt -nn -x -r "$T/in.pcap" 2>/dev/null | sha256sum)" "$(dump_all "$T/pulled" | sha256sum)"
out=$(chain_ok "$T/pulled") || fail "$out"
check "nothing left in .partial" "" "$(ls -A "$T/mnt/a/s/.partial")"
grep -q -e 'writing again' -e 'finished after all' "$T/log" && ok "resume logged" || fail "resume not logged"

# 2. With --min-free the recorder makes room itself and never stalls for long.
rm -rf "$T/mnt/a"
iotap-record -r "$T/in.pcap" -w "$T/mnt/b" --sensor s -C 128K -G 0 --min-free 600K 2>"$T/log2"
check "exit status with --min-free" 0 "$?"
grep -q 'retention: deleted' "$T/log2" && ok "oldest segments deleted for space" || fail "no retention"
k=$(sum_key "$T/mnt/b" packets)
[ "$k" -gt 0 ] && ok "kept $k packets" || fail "nothing kept"
check "kept segments are the newest $k packets" \
    "$(tcpdump -tt -nn -x -r "$T/in.pcap" 2>/dev/null | awk -v skip=$((3000 - k)) '/^[0-9]/ { n++ } n > skip' | sha256sum)" \
    "$(dump_all "$T/mnt/b" | sha256sum)"
umount "$T/mnt"
done_testing
