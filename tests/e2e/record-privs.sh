#!/bin/sh
# -Z USER: started as root, the recorder becomes USER before the first
# packet (uid, gid, no supplementary groups, only CAP_NET_RAW/CAP_NET_ADMIN
# left for reopening an interface), and still creates, finishes and renames
# later segments, owned by USER with modes 0640 (files) and 0750 (dirs).
# Started unprivileged with -Z or `user:`, it warns and records anyway.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
[ "$(id -u)" = 0 ] || skip "needs root to test dropping privileges"
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"
uid=$(id -u nobody)
# The output root must be reachable by nobody: use a world-traversable dir.
R=$(mktemp -d /tmp/iotap-privs.XXXXXX) || fail "mktemp"
chmod 0755 "$R"
trap 'rm -rf "$R"' EXIT
gen 100 200 1790000000 0.01 0 > "$T/in.pcap"
REC=258
mkfifo "$R/fifo"; chmod 0666 "$R/fifo"
iotap-record -r "$R/fifo" -w "$R/out" --sensor s -Z nobody --flush 0.3 -G 0 -C 0 2>"$T/log" &
pid=$!
exec 3>"$R/fifo"
pcap_part "$T/in.pcap" 0 50 $REC 1 >&3
wait_until 20 partial_is "$R/out" 50 || fail "not flushed"
check "runs as nobody" "$uid $uid $uid $uid" "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$pid/status)"
check "no supplementary groups" "" "$(awk '/^Groups:/ { $1 = ""; print }' /proc/$pid/status | tr -d ' ')"
check "only CAP_NET_RAW and CAP_NET_ADMIN effective" 0000000000003000 "$(awk '/^CapEff:/ { print $2 }' /proc/$pid/status)"
kill -HUP $pid
wait_until 20 nsegs_is "$R/out" 1 || fail "SIGHUP rotation as nobody"
pcap_part "$T/in.pcap" 50 50 $REC 0 >&3
exec 3>&-
wait $pid
check "exit status" 0 "$?"
check "two segments" 2 "$(segs "$R/out" | wc -l)"
check "all packets" 100 "$(sum_key "$R/out" packets)"
bad=0
for f in $(segs "$R/out") $(find "$R/out" -name '*.yaml'); do
    [ "$(stat -c '%U %a' "$f")" = "nobody 640" ] || { echo "$f: $(stat -c '%U %a' "$f")"; bad=$((bad + 1)); }
done
for d in $(find "$R/out" -type d); do
    [ "$(stat -c '%U %a' "$d")" = "nobody 750" ] || { echo "$d: $(stat -c '%U %a' "$d")"; bad=$((bad + 1)); }
done
check "owner nobody, files 0640, directories 0750" 0 "$bad"
out=$(chain_ok "$R/out") || fail "$out"

# Already unprivileged (the systemd unit's DynamicUser= with `user:` in the
# config): nothing to drop, so a warning and go on, never an exit (which
# made Restart=always loop forever).
if command -v setpriv >/dev/null; then
    mkdir "$R/u"; chown nobody "$R/u"
    printf 'record:\n  user: root\n' > "$R/u/cfg.yaml"
    cp "$T/in.pcap" "$R/u/in.pcap"; chmod 0644 "$R/u/cfg.yaml" "$R/u/in.pcap"
    asnobody() { setpriv --reuid="$uid" --regid="$(id -g nobody)" --clear-groups "$IOTAP_BIN/iotap-record" "$@"; }
    asnobody -c "$R/u/cfg.yaml" -r "$R/u/in.pcap" -w "$R/u/out" --sensor s -G 0 -C 0 2>"$T/log-u"
    check "unprivileged with user: in the config: exit status" 0 "$?"
    cat "$T/log-u"
    grep -q 'not running as root' "$T/log-u" && ok "warned" || fail "no warning"
    check "unprivileged run recorded everything" 100 "$(sum_key "$R/u/out" packets)"
    asnobody -c /dev/null -r "$R/u/in.pcap" -w "$R/u/out2" --sensor s -G 0 -C 0 -Z no-such-user-here 2>"$T/log-u2"
    check "unprivileged with -Z unknown user: exit status" 0 "$?"
    asnobody -c /dev/null -r "$R/u/in.pcap" -w "$R/u/out3" --sensor s -G 0 -C 0 -Z nobody 2>"$T/log-u3"
    check "already the -Z user: exit status" 0 "$?"
    check "already the -Z user: no warning" "" "$(cat "$T/log-u3")"
fi
done_testing
