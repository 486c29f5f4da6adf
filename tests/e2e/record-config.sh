#!/bin/sh
# Settings merge: the record: section of the config file applies, flags win
# over it, a filter on the command line replaces the configured one, and a
# bad value in the file is an error (exit 2).
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
gen 700 100 1790000000 0.5 0 > "$T/in.pcap"          # 350 s, source ports 40000..40006
cat > "$T/cfg.yaml" <<'YAML'
record:
  root: ROOTDIR
  sensor: fromfile
  rotate_seconds: 120
  rotate_size: 0
  level: 1
  filter: "udp src port 40001"
YAML
sed -i "s|ROOTDIR|$T/out|" "$T/cfg.yaml"
iotap-record -c "$T/cfg.yaml" -r "$T/in.pcap" || fail "record with config"
check "sensor and root from the file" 1 "$(ls -d "$T/out/fromfile" 2>/dev/null | wc -l)"
want=$(tcpdump -r "$T/in.pcap" 'udp src port 40001' 2>/dev/null | wc -l)
check "filter from the file" "$want" "$(sum_key "$T/out/fromfile" packets)"
check "filter recorded in the sidecar" "udp src port 40001" "$(yget "$(sidecar_of "$(segs "$T/out" | head -1)")" filter)"
want_segs=$(tcpdump -tt -r "$T/in.pcap" 'udp src port 40001' 2>/dev/null | awk '{ print int($1 / 120) }' | uniq | wc -l)
check "rotate_seconds from the file" "$want_segs" "$(segs "$T/out/fromfile" | wc -l)"
# Flags win.
iotap-record -c "$T/cfg.yaml" -r "$T/in.pcap" --sensor flag -G 0 udp src port 40002 || fail "record with flags"
check "one segment with -G 0 over the file's 120" 1 "$(segs "$T/out/flag" | wc -l)"
check "command-line filter replaces the file's" \
    "$(tcpdump -r "$T/in.pcap" 'udp src port 40002' 2>/dev/null | wc -l)" "$(sum_key "$T/out/flag" packets)"
# A bad value in the file stops the start with a message.
printf 'record:\n  rotate_size: lots\n' > "$T/bad.yaml"
iotap-record -c "$T/bad.yaml" -r "$T/in.pcap" -w "$T/bad" 2>"$T/err"
check "bad config exit status" 2 "$?"
[ -s "$T/err" ] && ok "bad config reported: $(head -1 "$T/err")" || fail "no message for bad config"
# Usage errors.
: > "$T/empty.yaml"
iotap-record -c "$T/empty.yaml" -w "$T/x" 2>/dev/null; check "no interface and no -r" 2 "$?"
iotap-record -r "$T/in.pcap" -C 12Q 2>/dev/null; check "bad size" 2 "$?"
done_testing
