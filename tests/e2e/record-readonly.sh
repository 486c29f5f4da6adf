#!/bin/sh
# A read-only or unwritable output directory (issue 6; a full disk is
# record-diskfull.sh and record-live.sh).
# (a) Output root on a read-only mount at start (empty, or holding a tree
#     with a .partial/ leftover): a message naming the directory, exit 2,
#     nothing written. Needs root and bind mounts; skipped with its reason.
# (b) The tree becomes unwritable while recording (-Z nobody, -r from a
#     slowly fed FIFO, rotating every 100 packets): first the dated
#     directories (renames into place fail), then .partial/ and the sensor
#     directory (no sidecar, no new segment, no .seq). The recorder does not
#     crash, exit or spin, says so in the log, publishes nothing it did not
#     store, keeps every finished segment, resumes when the tree is writable
#     again, and in the end every packet fed is in a finished segment, byte
#     for byte, with nothing left in .partial/ and exit status 0.
#     A dated directory that is writable but not readable (no fsync of it)
#     does not hold publishing up.
# (c) SIGTERM while .partial/ is unwritable: the open segment cannot be
#     finished, so it stays in .partial/ with a message and exit status 1;
#     the next start recovers it.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
[ "$(id -u)" = 0 ] || skip "needs root (read-only bind mounts, -Z nobody, chmod of nobody's tree)"
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"
# The tree must be reachable by nobody: a world-traversable directory.
R=$(mktemp -d /tmp/iotap-ro.XXXXXX) || fail "mktemp"
chmod 0755 "$R"
MNT=""
cleanup() {
    [ -z "$MNT" ] || umount "$MNT" 2>/dev/null
    [ -z "${feeder:-}" ] || kill "$feeder" 2>/dev/null
    [ -z "${pid:-}" ] || kill -9 "$pid" 2>/dev/null
    chmod -R u+rwX "$R" 2>/dev/null
    rm -rf "$R"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
REC=258
# tree_sum DIR: every path under DIR with its type, mode, size and content hash.
tree_sum() {
    (cd "$1" && find . -printf '%p %y %m %s\n' | sort
     find . -type f -exec sha256sum {} + | sort) | sha256sum
}

# ---- (a) read-only at start ----
rom() {  # DIR: make DIR a read-only bind mount of itself
    mount --bind "$1" "$1" 2>/dev/null || return 1
    MNT=$1
    mount -o remount,ro,bind "$1" 2>/dev/null || { umount "$1"; MNT=""; return 1; }
}
unrom() { umount "$MNT" && MNT=""; }
gen 50 200 1790000000 0.01 1 > "$T/small.pcap"
mkdir "$R/a1"
if ! rom "$R/a1"; then
    echo "(a) skipped: mount --bind / remount,ro not permitted here"
else
    touch "$R/a1/x" 2>/dev/null && fail "the bind mount is not read-only"
    timeout 20 iotap-record -r "$T/small.pcap" -w "$R/a1" --sensor s -G 0 2>"$T/log-a1"
    check "empty read-only root: exit status" 2 "$?"
    cat "$T/log-a1"
    grep -q "$R/a1/s.*Read-only file system" "$T/log-a1" && ok "message names the directory and the reason" \
        || fail "no clear message"
    unrom
    check "empty read-only root: nothing written" "" "$(ls -A "$R/a1")"

    # A tree of an earlier run plus a leftover in .partial/: recovery must
    # not start, the exit must not be a wait for ever.
    iotap-record -r "$T/small.pcap" -w "$R/a2" --sensor s -G 0 2>/dev/null || fail "setup run"
    cp "$(segs "$R/a2" | head -1)" "$R/a2/s/.partial/s-20260921T141400Z-000007.pcap.zst"
    before=$(tree_sum "$R/a2")
    rom "$R/a2" || fail "second read-only mount"
    timeout 20 iotap-record -r "$T/small.pcap" -w "$R/a2" --sensor s -G 0 2>"$T/log-a2"
    check "read-only root with an existing tree: exit status" 2 "$?"
    cat "$T/log-a2"
    grep -q "$R/a2/s.*Read-only file system" "$T/log-a2" && ok "message names the directory and the reason" \
        || fail "no clear message"
    grep -q -i 'recover' "$T/log-a2" && fail "recovery attempted on a read-only tree"
    unrom
    check "read-only root with an existing tree: nothing changed" "$before" "$(tree_sum "$R/a2")"
fi

# ---- (b) unwritable while recording ----
N=2000
# 100 packets per second of packet time from 2026-09-21T23:59:50Z: the
# second half goes into the next day's directory.
gen $N 200 1790035190 0.01 1 > "$T/in.pcap"
mkfifo "$R/fifo"
# feed FILE FIFO: the header, then one record every 2 ms.
feed() {
    perl -MTime::HiRes=sleep -e '
        open(my $in, "<:raw", $ARGV[0]) or die; open(my $out, ">:raw", $ARGV[1]) or die;
        select($out); $| = 1; my $b;
        read($in, $b, 24) == 24 or die; print $b;
        while (read($in, $b, $ARGV[2]) == $ARGV[2]) { print $b; sleep 0.002; }' "$@"
}
iotap-record -r "$R/fifo" -w "$R/b" --sensor s -Z nobody -G 1 -C 0 --flush 0.3 2>"$T/log-b" &
pid=$!
feed "$T/in.pcap" "$R/fifo" $REC &
feeder=$!
S=$R/b/s
D1=$S/2026/09/21
D2=$S/2026/09/22
nsegs_ge() { [ "$(segs "$1" 2>/dev/null | wc -l)" -ge "$2" ]; }
wait_until 30 nsegs_ge "$R/b" 2 || fail "no segments before the outage"
# segments_ok DIR: every finished segment is one complete zstd frame whose
# packet count is its sidecar's (prints the bad ones).
segments_ok() {
    _bad=0
    for s in $(segs "$1"); do
        zstd -qt "$s" 2>/dev/null || { echo "not a complete frame: $s"; _bad=$((_bad + 1)); continue; }
        [ "$(npk "$s")" = "$(yget "$(sidecar_of "$s")" packets)" ] || { echo "count mismatch: $s"; _bad=$((_bad + 1)); }
    done
    [ $_bad = 0 ]
}
# unpaired SENSORDIR: segments without sidecar or sidecars without segment.
unpaired() {
    find "$1" -mindepth 1 -name '.*' -prune -o -type f -print | sed -n 's/\.pcap\.zst$//p; s/\.yaml$//p' |
        sort | uniq -u
}
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # user + system ticks
# outage NAME DIRS...: chmod 0555 DIRS, wait for the complaint, hold 1.5 s,
# check the recorder, chmod back, wait for it to resume.
outage() {
    name=$1; shift
    kept=$(for s in $(segs "$R/b"); do sha256sum "$s" "$(sidecar_of "$s")"; done)
    nlog=$(wc -l < "$T/log-b")
    chmod 0555 "$@"
    complained() { tail -n +$((nlog + 1)) "$T/log-b" | grep -q "cannot publish segment: $S/.*: Permission denied"; }
    wait_until 20 complained && ok "$name: write error said in the log" || fail "$name: no message"
    c0=$(cpu $pid); sleep 1.5
    kill -0 $pid 2>/dev/null && ok "$name: still running" || fail "$name: recorder died"
    c1=$(cpu $pid)
    [ $((c1 - c0)) -lt 50 ] && ok "$name: not spinning ($((c1 - c0)) ticks in 1.5 s)" \
        || fail "$name: $((c1 - c0)) CPU ticks in 1.5 s while waiting"
    out=$(segments_ok "$R/b") && ok "$name: finished segments complete during the outage" || fail "$name: $out"
    out=$(printf '%s\n' "$kept" | sha256sum -c --quiet 2>&1) \
        && ok "$name: segments finished before the outage kept" || fail "$name: $out"
    check "$name: every published segment has its sidecar and vice versa" "" "$(unpaired "$S")"
    chmod 0750 "$@"
    resumed() { tail -n +$((nlog + 1)) "$T/log-b" | grep -q -e 'finished after all' -e 'writing again'; }
    wait_until 20 resumed && ok "$name: resumed and said so" || fail "$name: no resume"
}
outage "dated directories" "$D1" "$S/2026/09" "$S/2026"
# A dated directory that can be written but not read (0311): renames into
# it work, fsyncing it does not. The segment is published all the same (a
# puller sees it): said in the log, and never retried as if it were not.
nlog=$(wc -l < "$T/log-b")
chmod 0311 "$D1"
nofsync() { tail -n +$((nlog + 1)) "$T/log-b" | grep -q "$D1: cannot fsync the directory"; }
wait_until 20 nofsync && ok "unreadable dated directory: said in the log" || fail "unreadable dated directory: no message"
n0=$(segs "$R/b" | wc -l)
wait_until 20 nsegs_ge "$R/b" $((n0 + 1)) && ok "unreadable dated directory: segments still published" \
    || fail "unreadable dated directory: publishing stuck"
check "unreadable dated directory: no sidecar left in .partial" "" "$(ls "$S/.partial" | grep yaml)"
check "unreadable dated directory: every segment with its sidecar" "" "$(unpaired "$S")"
chmod 0750 "$D1"
day2() { [ -n "$(segs "$D2" 2>/dev/null)" ]; }
wait_until 30 day2 || fail "no segment of the second day"
outage ".partial, sensor and dated directories" "$S/.partial" "$S" "$D2" "$S/2026/09"
wait $feeder
feeder=""
wait $pid
check "exit status after the outages" 0 "$?"
pid=""
cat "$T/log-b"
check "nothing left in .partial" "" "$(ls -A "$S/.partial")"
out=$(segments_ok "$R/b") && ok "every segment a complete frame with its sidecar's count" || fail "$out"
check "stored + lost packets = packets fed" $N $(( $(sum_key "$R/b" packets) + $(sum_key "$R/b" lost_packets) ))
check "no packet lost in -r mode" 0 "$(sum_key "$R/b" lost_packets)"
check "every packet stored, in order, byte for byte" \
    "$(tcpdump -tt -nn -x -r "$T/in.pcap" 2>/dev/null | sha256sum)" "$(dump_all "$R/b" | sha256sum)"
out=$(chain_ok "$R/b") || fail "$out"
# Sequence numbers strictly increase along the names.
check "sequence numbers increase" "$(segs "$R/b" | sed 's/.*-\([0-9]*\)\.pcap\.zst/\1/' | sort -u)" \
    "$(segs "$R/b" | sed 's/.*-\([0-9]*\)\.pcap\.zst/\1/')"
# tshark reads the segments that had to wait for their publish.
for b in $(sed -n 's/^iotap-record: \(.*\): finished after all$/\1/p' "$T/log-b" | sort -u); do
    f=$(find "$S" -name "$b.pcap.zst")
    [ -n "$f" ] || { fail "$b was said finished but is not there"; continue; }
    tsh_ok "$f" && ok "tshark reads $b" || fail "tshark on $b"
done
check "owner nobody throughout" "" "$(find "$S" ! -user nobody)"

# ---- (c) SIGTERM while .partial/ is unwritable ----
gen 300 200 1790001000 0.01 1 > "$T/c.pcap"
mkfifo "$R/fifo-c"
iotap-record -r "$R/fifo-c" -w "$R/c" --sensor s -Z nobody -G 0 -C 0 --flush 0.3 2>"$T/log-c" &
pid=$!
exec 3>"$R/fifo-c"
pcap_part "$T/c.pcap" 0 200 $REC 1 >&3
wait_until 20 partial_is "$R/c" 200 || fail "(c) not flushed"
chmod 0555 "$R/c/s/.partial"
kill -TERM $pid
wait $pid
check "(c) SIGTERM with .partial/ unwritable: exit status" 1 "$?"
pid=""
exec 3>&-
cat "$T/log-c"
grep -q 'left unfinished in .partial/' "$T/log-c" && ok "(c) unfinished segment reported" || fail "(c) not reported"
check "(c) nothing claimed as finished" 0 "$(segs "$R/c" | wc -l)"
chmod 0750 "$R/c/s/.partial"
pcap_part "$T/c.pcap" 200 100 $REC 1 > "$T/c2.pcap"
iotap-record -r "$T/c2.pcap" -w "$R/c" --sensor s -G 0 -C 0 2>"$T/log-c2"
check "(c) restart exit status" 0 "$?"
check "(c) nothing left in .partial after the restart" "" "$(ls -A "$R/c/s/.partial")"
check "(c) recovered + new = all 300 packets, byte for byte" \
    "$(tcpdump -tt -nn -x -r "$T/c.pcap" 2>/dev/null | sha256sum)" "$(dump_all "$R/c" | sha256sum)"
check "(c) first segment marked recovered" true "$(yget "$(sidecar_of "$(segs "$R/c" | head -1)")" recovered)"
out=$(chain_ok "$R/c") || fail "$out"
done_testing
