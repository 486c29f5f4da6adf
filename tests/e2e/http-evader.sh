#!/bin/sh
# The suricata-verify http-evader captures: each response carries the
# 68-byte EICAR test string behind an HTTP framing trick (odd chunking,
# bad lengths, broken status lines, compression ...). Ground truth is the
# string itself: count the captures where iotap-extract recovers it and
# where tshark --export-objects http does (every fifth capture, to keep
# the run short). iotap must recover it at least as often, and in every
# capture tshark does, except the listed ones:
#   447-450, 453  1xx/204/304 responses with a length: RFC 9112 6.3 says
#                 there is no body, and iotap follows it;
#   200-202       gzip headers with reserved flag bits, which zlib rejects
#                 (iotap keeps the bytes as sent);
#   391 397 398   "HTTP/1\0.1" and "HTTP/1.1foobar" are not status lines to
#                 iotap (tshark reads them).
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null || skip "tshark not installed"
[ -n "${IOTAP_CORPUS:-}" ] || skip "no corpus (../shared/corpus)"
E=$IOTAP_CORPUS/suricata-verify/tests/http-evader
[ -d "$E" ] || skip "corpus has no http-evader captures"
EICAR=275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f
printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$T/eicar"
check "the EICAR string" "$EICAR" "$(sha256sum "$T/eicar" | cut -c1-64)"
KNOWN=" 200 201 202 391 397 398 447 448 449 450 453 "
n=0 tt=0 ti=0 missed=""
for d in "$E"/http-evader-*; do
    num=${d##*-}
    [ "$(expr "$num" % 5)" = 0 ] || continue
    f=$d/input.pcap
    [ -f "$f" ] || continue
    n=$((n + 1))
    rm -rf "$T/t" "$T/i"
    tshark -n -o tcp.reassemble_out_of_order:TRUE -r "$f" -q --export-objects "http,$T/t" >/dev/null 2>&1
    timeout 60 iotap-extract -q -o "$T/i" "$f" >/dev/null 2>&1
    [ $? -le 1 ] || fail "$num: iotap-extract failed"
    t=$( (cd "$T/t" 2>/dev/null && sha256sum -- * 2>/dev/null) | grep -c $EICAR)
    i=$( (cd "$T/i" && sha256sum -- * 2>/dev/null) | grep -c $EICAR)
    [ "$t" -gt 0 ] && tt=$((tt + 1))
    [ "$i" -gt 0 ] && ti=$((ti + 1))
    if [ "$t" -gt 0 ] && [ "$i" = 0 ]; then
        case $KNOWN in *" $num "*) ;; *) missed="$missed $num" ;; esac
    fi
done
echo "$n captures: tshark recovers EICAR in $tt, iotap in $ti"
[ $n -ge 90 ] && ok "$n captures" || fail "only $n captures"
[ $ti -ge $tt ] && ok "iotap recovers the body at least as often as tshark ($ti >= $tt)" || fail "iotap $ti < tshark $tt"
check "no capture where only tshark recovers it (outside the listed ones)" "" "$missed"
done_testing
