#!/bin/sh
# Many open HTTP connections: 20,000 (small) and 200,000 (large) client
# connections (test-limits-gen partial), each opened and left inside a
# request header, never closed. iotap-http and iotap-extract keep HTTP state
# (parser, header buffer, two reassembly directions) per open TCP flow, so
# their memory must be capped by a flow cap like the reports' --max-flows:
# with --max-flows 10000 the large run must need no more memory than the
# small one (180,000 more connections at >= 64 bytes each would exceed the
# 8 MiB slack), and the early closes must be reported on stderr.
#
# Each open HTTP connection costs ~2.7 KiB (parser, header buffer, two
# reassembly directions); without the cap the large run peaked at ~600 MB.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/limits-lib.inc"
CAP="--max-flows 10000"
gen partial 20000 "$T/small.pcap"
gen partial 200000 "$T/big.pcap"
# shellcheck disable=SC2086
measure small-http iotap-http -q $CAP "$T/small.pcap"; s=$RSS
# shellcheck disable=SC2086
measure big-http iotap-http -q $CAP "$T/big.pcap"; b=$RSS
check "http: exit status" 0 "$RC"
flat "http: 200,000 open connections" "$s" "$b"
# shellcheck disable=SC2086
measure small-x iotap-extract -q $CAP -o "$T/xs" "$T/small.pcap"; s=$RSS
# shellcheck disable=SC2086
measure big-x iotap-extract -q $CAP -o "$T/xb" "$T/big.pcap"; b=$RSS
check "extract: exit status" 0 "$RC"
flat "extract: 200,000 open connections" "$s" "$b"
grep -q 'flow table full (10000 open flows)' "$T/big-http.err" &&
    ok "http: early closes reported" || fail "http: early closes not reported"
grep -q 'flow table full (10000 open flows)' "$T/big-x.err" &&
    ok "extract: early closes reported" || fail "extract: early closes not reported"
done_testing
