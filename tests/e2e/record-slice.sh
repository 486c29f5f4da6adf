#!/bin/sh
# --slice-encrypted 64 on the synthetic home: same packets, same orig_len
# byte counts; TLS handshakes, QUIC long-header packets, DNS, DHCP and HTTP
# kept whole; encrypted payload cut to 64 bytes; the sidecar's saved bytes
# are exactly the captured bytes that went away.
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
command -v tshark >/dev/null || skip "tshark not installed"
home=$(synth_home) || fail "iotap-synth"
IN=$home/home.pcap
iotap-record -r "$IN" -w "$T/out" --sensor s --slice-encrypted 64 -G 0 -C 0 || fail "record"
S=$(segs "$T/out")
Y=$(sidecar_of "$S")
tsh_ok "$S" || fail "tshark on sliced segment"
sumf() { tshark -r "$1" -T fields -e "$2" 2>/dev/null | awk '{ t += $1 } END { print t + 0 }'; }
check "same packet count" "$(npk "$IN")" "$(npk "$S")"
check "orig_len bytes unchanged" "$(sumf "$IN" frame.len)" "$(sumf "$S" frame.len)"
check "sidecar bytes" "$(sumf "$IN" frame.len)" "$(yget "$Y" bytes)"
incap=$(sumf "$IN" frame.cap_len); outcap=$(sumf "$S" frame.cap_len)
check "saved bytes = captured bytes removed" $((incap - outcap)) "$(yget "$Y" slice_saved_bytes)"
check "sliced packets = packets with caplen < len" \
    "$(tshark -r "$S" -T fields -e frame.cap_len -e frame.len 2>/dev/null | awk '$1 < $2' | wc -l)" "$(yget "$Y" sliced_packets)"
[ $((outcap * 2)) -lt "$incap" ] && ok "captured bytes more than halved ($incap -> $outcap)" || fail "little saved: $incap -> $outcap"
[ "$(yget "$Y" sliced_packets)" -gt 0 ] || fail "nothing sliced"
for f in 'tls.handshake.type == 1' 'tls.handshake.type == 2' 'dns' 'dhcp' 'http.request' 'http.response' 'quic.long.packet_type == 0'; do
    a=$(tshark -r "$IN" -Y "$f" 2>/dev/null | wc -l); b=$(tshark -r "$S" -Y "$f" 2>/dev/null | wc -l)
    check "'$f' frames kept ($a)" "$a" "$b"
done
# No frame the input shows as handshake/DNS/DHCP/HTTP/QUIC long header was cut.
tshark -r "$IN" -Y 'tls.handshake or dns or dhcp or http or quic.long.packet_type' -T fields -e frame.number 2>/dev/null | sort > "$T/keep"
tshark -r "$S" -T fields -e frame.number -e frame.cap_len -e frame.len 2>/dev/null | awk '$2 < $3 { print $1 }' | sort > "$T/cut"
check "no protected frame sliced" 0 "$(comm -12 "$T/keep" "$T/cut" | wc -l)"
# Every sliced frame keeps at most 64 payload bytes after its TCP/UDP header.
tshark -r "$S" -Y 'frame.cap_len < frame.len' -T fields -e frame.cap_len -e tcp.hdr_len -e ip.hdr_len -e ipv6.plen -e udp.length 2>/dev/null > "$T/sl"
check "slices at most 64 payload bytes" 0 "$(awk -F'\t' '{ l2 = 14; ip = ($3 != "") ? $3 : 40; l4 = ($2 != "") ? $2 : 8; if ($1 > l2 + ip + l4 + 64 + 8) n++ } END { print n + 0 }' "$T/sl")"
done_testing
