#!/bin/sh
# iotap-http and iotap-extract over every public capture of ../shared/corpus
# (crafted, truncated and malformed files among them): one run over the
# whole tree as one stream, and each HTTP-related file alone. Nothing may
# crash, hang (timeout) or trip the sanitizers; exit status is 0 or 1
# (damaged input); every manifest path is inside the output directory and
# holds the bytes its sha256 names.
# test: slow
. "$(dirname "$0")/lib.sh"
[ -n "${IOTAP_CORPUS:-}" ] || skip "no corpus (../shared/corpus)"
command -v iotap-extract >/dev/null || skip "iotap-extract not built"
runok() {   # what, command...
    what=$1; shift
    timeout 120 "$@" > "$T/out" 2> "$T/err"
    rc=$?
    if [ $rc -gt 1 ]; then fail "$what: exit status $rc: $(tail -n 3 "$T/err")"; return 1; fi
    if grep -q -E 'runtime error|Sanitizer' "$T/err"; then fail "$what: sanitizer: $(grep -m1 -E 'runtime error|Sanitizer' "$T/err")"; return 1; fi
    return 0
}
runok "iotap-http over the whole corpus" iotap-http -q "$IOTAP_CORPUS" && ok "iotap-http: whole corpus, $(($(wc -l < "$T/out") - 1)) requests"
rows=$(($(wc -l < "$T/out") - 1))
[ "$rows" -gt 300 ] && ok "many requests found ($rows)" || fail "only $rows requests in the corpus"
runok "iotap-extract over the whole corpus" iotap-extract -q -o "$T/x" "$IOTAP_CORPUS" && ok "iotap-extract: whole corpus"
cp "$T/out" "$T/man.csv"
bad=0
# sha256 and path are fields 8 and 9 (quoted fields may hold commas)
tail -n +2 "$T/man.csv" | perl -MText::ParseWords -ne 'chomp; my @f = parse_line(",", 0, $_); print "$f[7] $f[8]\n"' |
    sort -u > "$T/paths"
while read -r h p; do
    case $p in "$T/x/"*) ;; *) bad=$((bad + 1)); echo "outside: $p" ;; esac
    [ "$(sha256sum "$p" 2>/dev/null | cut -c1-64)" = "$h" ] || { bad=$((bad + 1)); echo "wrong: $p"; }
done < "$T/paths"
check "every manifest path inside DIR with the right bytes" 0 "$bad"
check "no temporary files left" 0 "$(ls -A "$T/x" | grep -c '^\.iotap-tmp')"
n=0
for f in $(find "$IOTAP_CORPUS/zeek" "$IOTAP_CORPUS/suricata-verify" "$IOTAP_CORPUS/tcpdump" -type f \
           \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | grep -i -E 'http|filestore|bug-2511|mime' | sort); do
    runok "iotap-http $f" iotap-http -q "$f" || continue
    runok "iotap-extract $f" iotap-extract -q -o "$T/one" "$f" || continue
    n=$((n + 1))
done
[ $n -gt 100 ] && ok "$n HTTP captures, each alone: no crash, no hang" || fail "only $n captures ran"
done_testing
