#!/bin/sh
# cat.sh - iotap-cat against tcpdump, tshark and editcap:
#  - a single little-endian microsecond pcap (the synthetic home, and public
#    corpus files when present) comes out byte-identical (cmp), from a file,
#    from stdin, and from its .zst/.gz copies;
#  - the home cut into segments (some compressed) in a directory comes out
#    as the same packets (tcpdump -xx text) and count;
#  - nanosecond input: microseconds by default (= the original usec file),
#    --nano keeps the ns file byte for byte;
#  - -f BPF is byte-identical to `tcpdump -r FILE -w - EXPR`; --since/--until
#    and --device (MAC, and a label from --config) give exactly the packets
#    tshark selects with the equivalent display filter;
#  - mixed link types are refused (exit 2, both files named) after the
#    packets before; a truncated input exits 1 after its whole packets;
#  - `| head -c 100` is quiet, with SIGPIPE default or ignored;
#  - capinfos and tshark read the directory and --nano outputs: packet
#    count, time precision, every frame's time and length = the input;
#  - a bad -f expression exits 2 even when no packet is read;
#  - without the corpus too: BPF on raw IP (the synthetic home with its
#    Ethernet header chopped) = tcpdump -w, and synthetic variants (pcapng,
#    ns, raw IP, .gz, cut, junk) in the libpcap-compared sample.
. "$(dirname "$0")/lib.sh"
for tool in tcpdump tshark capinfos editcap zstd gzip cmp; do
    command -v $tool >/dev/null 2>&1 || skip "$tool not installed"
done
command -v iotap-cat >/dev/null 2>&1 || skip "iotap-cat not built"
command -v iotap-synth >/dev/null 2>&1 || skip "iotap-synth not built"
S=$(synth_home) || { echo "iotap-synth failed"; exit 1; }
H=$S/home.pcap
[ -f "$H" ] || { echo "no $H"; exit 1; }

# tcpdump's text of every packet: time to the microsecond and all bytes.
dump() { tcpdump -nn -tt -xx -r "$1" 2>/dev/null; }
count() { tcpdump -nn -r "$1" 2>/dev/null | wc -l | tr -d ' '; }
# magic of a file as 8 hex digits (first 4 bytes in file order).
magic() { od -An -tx1 -N4 "$1" | tr -d ' \n'; }

N=$(count "$H")
[ "$N" -gt 1000 ] || fail "synthetic home too small ($N packets)"
[ "$(magic "$H")" = d4c3b2a1 ] || fail "synthetic home is not a LE usec pcap"

# --- byte-identical copies ---
iotap-cat "$H" > "$T/one.pcap"; check "single file: exit" 0 $?
if cmp -s "$H" "$T/one.pcap"; then ok "single file: byte-identical"; else fail "single file differs"; fi
iotap-cat -o "$T/one-o.pcap" "$H"; check "-o: exit" 0 $?
cmp -s "$H" "$T/one-o.pcap" && ok "-o: byte-identical" || fail "-o output differs"
cp "$H" "$T/self.pcap"
iotap-cat -o "$T/self.pcap" "$T/self.pcap" 2> "$T/err"; check "-o = input: exit" 2 $?
cmp -s "$H" "$T/self.pcap" && ok "-o = input: input left alone" || fail "-o = input: input overwritten"
grep -q "also an input" "$T/err" && ok "-o = input: message" || fail "-o = input: $(cat "$T/err")"
iotap-cat < "$H" > "$T/stdin.pcap"; check "stdin: exit" 0 $?
cmp -s "$H" "$T/stdin.pcap" && ok "stdin: byte-identical" || fail "stdin output differs"
zstd -q -c "$H" > "$T/home.pcap.zst"
gzip -c "$H" > "$T/home.pcap.gz"
for z in zst gz; do
    iotap-cat "$T/home.pcap.$z" > "$T/z.pcap"; check ".$z: exit" 0 $?
    cmp -s "$H" "$T/z.pcap" && ok ".$z: same bytes as the plain file" || fail ".$z output differs"
    iotap-cat - < "$T/home.pcap.$z" > "$T/z.pcap"
    cmp -s "$H" "$T/z.pcap" && ok ".$z on stdin: same bytes" || fail ".$z on stdin differs"
done
if [ -n "${IOTAP_CORPUS:-}" ]; then
    for rel in http/get.pcap http/bro.org.pcap http/methods.pcap http/206_example_a.pcap \
               http/flash-version.pcap tcp-http-with-padding.pcap; do
        f=$IOTAP_CORPUS/zeek/testing/btest/Traces/$rel
        [ -f "$f" ] || { fail "$rel missing from the corpus"; continue; }
        [ "$(magic "$f")" = d4c3b2a1 ] || { ok "$rel: not LE usec, not compared"; continue; }
        iotap-cat "$f" > "$T/c.pcap"
        cmp -s "$f" "$T/c.pcap" && ok "corpus $rel: byte-identical" || fail "corpus $rel differs"
    done
    # BPF on other link types: raw IPv4 (228), Linux cooked (113, 276), BSD null (0).
    for rel in zeek/testing/btest/Traces/http/261/variant-01-chunk_2pow64_overflow.pcap \
               zeek/testing/btest/Traces/linuxsll-arp.pcap zeek/testing/btest/Traces/linux_dlt_sll2.pcap \
               suricata-verify/tests/http-event-chunk/input.pcap; do
        f=$IOTAP_CORPUS/$rel
        [ -f "$f" ] || { fail "$rel missing from the corpus"; continue; }
        [ "$(magic "$f")" = d4c3b2a1 ] || { ok "$rel: not LE usec, not compared"; continue; }
        for expr in "tcp port 80" "tcp" "tcp[tcpflags] & tcp-syn != 0"; do
            rm -f "$T/bpf-want.pcap"
            tcpdump -r "$f" -w "$T/bpf-want.pcap" "$expr" 2>/dev/null
            iotap-cat -f "$expr" "$f" > "$T/bpf-got.pcap"
            cmp -s "$T/bpf-want.pcap" "$T/bpf-got.pcap" \
                && ok "$(basename "$rel"): -f '$expr' = tcpdump ($(count "$T/bpf-want.pcap") pkts)" \
                || fail "$rel: -f '$expr' differs from tcpdump -w"
        done
    done
fi

# --- BPF on raw IP (LINKTYPE_RAW 101, DLT_RAW elsewhere) without the
# corpus: the small synthetic home with its Ethernet header chopped off. ---
SM=$(synth_home --bytes 2M) || { echo "iotap-synth failed"; exit 1; }
editcap -F pcap -C 14 -T rawip "$SM/home.pcap" "$T/synth-rawip.pcap" || fail "editcap rawip"
for expr in "tcp port 80" "udp port 53" "ip6" "tcp[tcpflags] & tcp-syn != 0"; do
    rm -f "$T/bpf-want.pcap"
    tcpdump -r "$T/synth-rawip.pcap" -w "$T/bpf-want.pcap" "$expr" 2>/dev/null
    iotap-cat -f "$expr" "$T/synth-rawip.pcap" > "$T/bpf-got.pcap"
    n=$(count "$T/bpf-want.pcap")
    [ "$n" -gt 0 ] || fail "raw IP: tcpdump selects nothing with '$expr'"
    cmp -s "$T/bpf-want.pcap" "$T/bpf-got.pcap" \
        && ok "synthetic raw IP: -f '$expr' = tcpdump ($n pkts)" \
        || fail "synthetic raw IP: -f '$expr' differs from tcpdump -w"
done
# pcapng raw IP: libpcap hands its LINKTYPE_RAW back as DLT_RAW (12); the
# output header must say 101 again, as tcpdump -w does.
editcap -F pcapng "$T/synth-rawip.pcap" "$T/synth-rawip.pcapng" || fail "editcap pcapng"
iotap-cat "$T/synth-rawip.pcapng" > "$T/rawng-got.pcap"
check "pcapng raw IP: output link type is LINKTYPE_RAW (101)" 101 \
    "$(od -An -tu4 -j20 -N4 "$T/rawng-got.pcap" | tr -d ' ')"
tcpdump -r "$T/synth-rawip.pcapng" -w "$T/rawng-want.pcap" 2>/dev/null
cmp -s "$T/rawng-want.pcap" "$T/rawng-got.pcap" && ok "pcapng raw IP: output = tcpdump -w" ||
    fail "pcapng raw IP: output differs from tcpdump -w"

# --- a sample of captures: synthetic variants (pcapng, ns, raw IP, .gz,
# truncated, garbage after the end) always, plus every 7th capture of the
# corpus (damaged ones too) when present: the output is always a valid
# pcap, and where libpcap reads the input without error we exit 0 with the
# same packets. ---
editcap -F pcapng "$SM/home.pcap" "$T/synth.pcapng" || fail "editcap pcapng"
editcap -F nsecpcap "$SM/home.pcap" "$T/synth-ns.pcap" || fail "editcap nsecpcap"
gzip -c "$SM/home.pcap" > "$T/synth.pcap.gz"
head -c $(( $(wc -c < "$SM/home.pcap") - 77 )) "$SM/home.pcap" > "$T/synth-cut.pcap"
{ cat "$SM/home.pcap"; printf 'JUNK!'; } > "$T/synth-junk.pcap"
ls "$T"/synth.pcapng "$T"/synth-ns.pcap "$T"/synth-rawip.pcap "$T"/synth.pcap.gz \
    "$T"/synth-cut.pcap "$T"/synth-junk.pcap > "$T/sample"
if [ -n "${IOTAP_CORPUS:-}" ]; then
    find "$IOTAP_CORPUS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \
        -o -name '*.pcap.gz' -o -name '*.pcapng.gz' -o -name '*.pcap.zst' \) | sort \
        | awk 'NR % 7 == 1' >> "$T/sample"
fi
{
    ns=0 nbad=0
    while read -r f; do
        ns=$((ns + 1))
        iotap-cat "$f" > "$T/s.pcap" 2> "$T/s.err"; rc=$?
        case $rc in 0|1) ;; *) nbad=$((nbad + 1)); fail "$f: exit $rc: $(head -c 300 "$T/s.err")" ;; esac
        tcpdump -nn -tt -xx -r "$T/s.pcap" > "$T/s.got" 2> "$T/s.tderr" \
            || { nbad=$((nbad + 1)); fail "$f: output unreadable: $(tail -n 1 "$T/s.tderr")"; }
        if tcpdump -nn -tt -xx -r "$f" > "$T/s.want" 2>/dev/null; then
            [ $rc = 0 ] || { nbad=$((nbad + 1)); fail "$f: libpcap reads it cleanly, we exit $rc: $(head -c 300 "$T/s.err")"; }
            if grep -qE '^[0-9]+\.[0-9]{7}' "$T/s.want"; then
                # A microsecond field >= 1000000 (crafted files): we carry it
                # into the seconds, tcpdump prints it as is; the packets
                # must still be the same ones.
                grep -v '^[0-9]' "$T/s.want" > "$T/s.want2"; grep -v '^[0-9]' "$T/s.got" > "$T/s.got2"
                cmp -s "$T/s.want2" "$T/s.got2" || { nbad=$((nbad + 1)); fail "$f: packet bytes differ from libpcap's"; }
            else
                cmp -s "$T/s.want" "$T/s.got" || { nbad=$((nbad + 1)); fail "$f: packets differ from libpcap's"; }
            fi
        fi
    done < "$T/sample"
    [ -z "${IOTAP_CORPUS:-}" ] || [ "$ns" -gt 100 ] || fail "corpus sample too small ($ns)"
    check "sample of $ns captures: problems" 0 "$nbad"
}

# --- a directory of segments, some compressed ---
mkdir -p "$T/segs/2026/11/01"
editcap -c 700 "$H" "$T/segs/2026/11/01/seg.pcap" >/dev/null 2>&1 || fail "editcap split failed"
nseg=$(ls "$T/segs/2026/11/01" | wc -l | tr -d ' ')
[ "$nseg" -ge 4 ] || fail "split gave $nseg segments"
i=0
for f in "$T"/segs/2026/11/01/*.pcap; do
    i=$((i + 1))
    case $i in 2) zstd -q --rm "$f" ;; 3) gzip "$f" ;; esac
done
echo "sidecar: not a capture" > "$T/segs/2026/11/01/seg.yaml"
iotap-cat "$T/segs" > "$T/dir.pcap"; check "directory: exit" 0 $?
check "directory: packets read by tcpdump" "$N" "$(iotap-cat "$T/segs" | tcpdump -nn -r - 2>/dev/null | wc -l | tr -d ' ')"
dump "$H" > "$T/home.txt"
dump "$T/dir.pcap" > "$T/dir.txt"
cmp -s "$T/home.txt" "$T/dir.txt" && ok "directory: same packets as the whole file" \
    || fail "directory: packets differ from the whole file"

# --- nanoseconds ---
editcap -F nsecpcap "$H" "$T/ns.pcap" >/dev/null 2>&1 || fail "editcap nsecpcap failed"
[ "$(magic "$T/ns.pcap")" = 4d3cb2a1 ] || fail "editcap did not write a ns pcap"
iotap-cat "$T/ns.pcap" > "$T/ns-us.pcap"
cmp -s "$H" "$T/ns-us.pcap" && ok "ns input: usec output = original" || fail "ns input: usec output differs"
iotap-cat --nano "$T/ns.pcap" > "$T/ns-ns.pcap"
cmp -s "$T/ns.pcap" "$T/ns-ns.pcap" && ok "--nano: ns file byte-identical" || fail "--nano output differs"

# --- Wireshark reads the output: directory (usec) and --nano ---
# capinfos' packet count and time precision, tshark's frames and times.
ci_count() { capinfos -M -c -T -r "$1" 2>/dev/null | cut -f2; }
ci_prec() { capinfos -M "$1" 2>/dev/null | sed -n 's/^File timestamp precision: *\([a-z]*\).*/\1/p'; }
ts_times() { tshark -n -r "$1" -T fields -e frame.time_epoch -e frame.len 2> "$T/tshark.err"; }
ts_times "$H" > "$T/times-want"
iotap-cat --nano "$T/segs" > "$T/dir-ns.pcap"; check "--nano directory: exit" 0 $?
for v in dir dir-ns ns-ns; do
    f=$T/$v.pcap
    case $v in dir) want_prec=microseconds want_n=$N ;; *) want_prec=nanoseconds want_n=$N ;; esac
    check "$v output: capinfos packets = input" "$want_n" "$(ci_count "$f")"
    check "$v output: capinfos time precision" "$want_prec" "$(ci_prec "$f")"
    ts_times "$f" > "$T/times-got"; rc=$?
    check "$v output: tshark exit" 0 $rc
    check "$v output: tshark says nothing on stderr" "" "$(grep -v 'Running as user' "$T/tshark.err" | head -c 300)"
    check "$v output: tshark frames = input" "$N" "$(wc -l < "$T/times-got" | tr -d ' ')"
    cmp -s "$T/times-want" "$T/times-got" && ok "$v output: tshark times and lengths = input" \
        || fail "$v output: tshark times/lengths differ from the input"
done

# --- BPF ---
IP=$(tshark -r "$H" -T fields -e ip.dst 2>/dev/null | grep -v '^$' | sort | uniq -c | sort -rn | sed -n 3p | awk '{print $2}')
for expr in "tcp port 443" "udp and port 53" "arp or icmp" "ether broadcast" "host $IP" "vlan or ip6"; do
    tcpdump -r "$H" -w "$T/bpf-want.pcap" "$expr" 2>/dev/null
    iotap-cat -f "$expr" "$H" > "$T/bpf-got.pcap"
    cmp -s "$T/bpf-want.pcap" "$T/bpf-got.pcap" && ok "-f '$expr' = tcpdump ($(count "$T/bpf-want.pcap") pkts)" \
        || fail "-f '$expr' differs from tcpdump -w"
done
# Over the segment directory: header snaplen is 262144 = the home's.
tcpdump -r "$H" -w "$T/bpf-want.pcap" "tcp port 80" 2>/dev/null
iotap-cat --filter "tcp port 80" "$T/segs" > "$T/bpf-got.pcap"
cmp -s "$T/bpf-want.pcap" "$T/bpf-got.pcap" && ok "--filter over segments = tcpdump" \
    || fail "--filter over segments differs"
iotap-cat -f "no such thing" "$H" > /dev/null 2> "$T/err"; rc=$?
check "bad BPF: exit" 2 $rc
grep -q "no such thing" "$T/err" && ok "bad BPF: message names it" || fail "bad BPF message: $(cat "$T/err")"

# --- --since / --until against tshark ---
tshark -r "$H" -T fields -e frame.time_epoch 2>/dev/null > "$T/times"
X=$(sed -n "$((N / 4))p" "$T/times"); Y=$(sed -n "$((N / 2))p" "$T/times")
sel() {  # tshark display filter -> expected pcap
    tshark -r "$H" -Y "$1" -F pcap -w "$T/want.pcap" 2>/dev/null
}
sel "frame.time_epoch >= $X && frame.time_epoch < $Y"
iotap-cat --since "$X" --until "$Y" "$H" > "$T/got.pcap"
check "--since/--until: count = tshark" "$(count "$T/want.pcap")" "$(count "$T/got.pcap")"
[ "$(count "$T/got.pcap")" -gt 100 ] || fail "--since/--until selected too little"
dump "$T/want.pcap" > "$T/want.txt"; dump "$T/got.pcap" > "$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" && ok "--since/--until: packets = tshark" || fail "--since/--until packets differ"
# ISO 8601 form of X selects the same as the epoch form.
XI=$(date -u -d "@$X" +%Y-%m-%dT%H:%M:%S.%NZ)
sel "frame.time_epoch >= $X"
iotap-cat --since "$XI" "$H" > "$T/got.pcap"
dump "$T/want.pcap" > "$T/want.txt"; dump "$T/got.pcap" > "$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" && ok "--since ISO 8601 = tshark" || fail "--since ISO differs"
# ... and so does the ISO 8601 basic form that segment names use.
XB=$(date -u -d "@$X" +%Y%m%dT%H%M%S.%NZ)
iotap-cat --since "$XB" "$H" > "$T/got.pcap"; check "--since $XB: exit" 0 $?
dump "$T/got.pcap" > "$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" && ok "--since ISO 8601 basic = tshark" || fail "--since basic form differs"
iotap-cat --since yesterday "$H" > /dev/null 2>&1; check "bad --since: exit" 2 $?
iotap-cat --since "$Y" --until "$X" "$H" > /dev/null 2>&1; check "--until before --since: exit" 2 $?

# --- --device ---
M=$(tshark -r "$H" -T fields -e eth.src 2>/dev/null | sort | uniq -c | sort -rn | sed -n 2p | awk '{print $2}')
sel "eth.addr == $M"
iotap-cat --device "$M" "$H" > "$T/got.pcap"
check "--device $M: count = tshark" "$(count "$T/want.pcap")" "$(count "$T/got.pcap")"
dump "$T/want.pcap" > "$T/want.txt"; dump "$T/got.pcap" > "$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" && ok "--device MAC: packets = tshark" || fail "--device MAC packets differ"
MU=$(echo "$M" | tr 'a-f:' 'A-F-')
printf 'devices:\n  "%s": test-tv\n' "$MU" > "$T/cfg.yaml"
iotap-cat --config "$T/cfg.yaml" --device test-tv "$H" > "$T/got2.pcap"
cmp -s "$T/got.pcap" "$T/got2.pcap" && ok "--device LABEL (config) = --device MAC" || fail "--device LABEL differs"
iotap-cat --config "$T/cfg.yaml" --device nobody "$H" > /dev/null 2> "$T/err"; check "unknown label: exit" 2 $?
iotap-cat --config "$T/nonexistent.yaml" "$H" > /dev/null 2>&1; check "missing --config: exit" 2 $?
# All three filters together = tshark with all three conditions.
sel "eth.addr == $M && frame.time_epoch >= $X && tcp.port == 443"
iotap-cat --device "$M" --since "$X" -f "tcp port 443" "$T/segs" > "$T/got.pcap"
dump "$T/want.pcap" > "$T/want.txt"; dump "$T/got.pcap" > "$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" && ok "device+since+BPF over segments = tshark ($(count "$T/got.pcap") pkts)" \
    || fail "combined filters differ"

# --- mixed link types: a raw-IPv4 pcap (LINKTYPE_RAW 101) after the home ---
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\145\000\000\000' > "$T/raw.pcap"
printf '\001\000\000\000\000\000\000\000\024\000\000\000\024\000\000\000' >> "$T/raw.pcap"
printf '\105\000\000\024\000\000\000\000\100\006\000\000\012\000\000\001\012\000\000\002' >> "$T/raw.pcap"
check "raw.pcap is read by tcpdump" 1 "$(count "$T/raw.pcap")"
iotap-cat "$H" "$T/raw.pcap" > "$T/mixed.pcap" 2> "$T/err"; rc=$?
check "mixed link types: exit" 2 $rc
grep -q "raw.pcap.*home.pcap" "$T/err" && ok "mixed: message names both files: $(cat "$T/err")" \
    || fail "mixed: message: $(cat "$T/err")"
cmp -s "$H" "$T/mixed.pcap" && ok "mixed: packets before the change written" || fail "mixed: output is not the first file"

# --- damaged input ---
size=$(wc -c < "$H")
head -c $((size - 100)) "$H" > "$T/trunc.pcap"
iotap-cat "$T/trunc.pcap" > "$T/got.pcap" 2> "$T/err"; rc=$?
check "truncated input: exit" 1 $rc
grep -q "trunc.pcap" "$T/err" && ok "truncated: reported" || fail "truncated: no message"
check "truncated: whole packets kept" "$(count "$T/trunc.pcap")" "$(count "$T/got.pcap")"

# --- a reader that stops early ---
out=$(iotap-cat "$T/segs" 2> "$T/err" | head -c 100 | wc -c | tr -d ' ')
check "| head -c 100: bytes" 100 "$out"
check "| head -c 100: quiet" "" "$(cat "$T/err")"
out=$( (trap '' PIPE; iotap-cat "$T/segs" 2> "$T/err" | head -c 100 | wc -c | tr -d ' ') )
check "SIGPIPE ignored: bytes" 100 "$out"
check "SIGPIPE ignored: quiet (EPIPE)" "" "$(cat "$T/err")"

# --- usage ---
iotap-cat --help > "$T/help"; check "--help: exit" 0 $?
grep -q -- "--since" "$T/help" && ok "--help lists common options" || fail "--help text"
iotap-cat --bogus "$H" > /dev/null 2>&1; check "unknown option: exit" 2 $?
if command -v script >/dev/null 2>&1; then
    script -qec "iotap-cat $H" /dev/null > "$T/tty" 2>&1
    grep -q "refusing" "$T/tty" && ok "terminal refused" || fail "terminal: $(head -c 200 "$T/tty")"
fi

# --- progress: on a terminal's stderr only, never with -q ---
if command -v script >/dev/null 2>&1; then
    # Two copies of the home: more than the 4096 packets between clock looks.
    script -qec "iotap-cat -o /dev/null $H $H" /dev/null > "$T/tty" 2>&1
    grep -q "packets" "$T/tty" && ok "progress shown on a terminal" || fail "no progress: $(head -c 200 "$T/tty")"
    script -qec "iotap-cat -q -o /dev/null $H $H" /dev/null > "$T/tty" 2>&1
    check "-q: no progress" "" "$(cat "$T/tty")"
    iotap-cat "$H" "$H" 2> "$T/err" > /dev/null
    check "no progress when stderr is not a terminal" "" "$(cat "$T/err")"
fi

# --- nothing to read: still a valid empty capture ---
mkdir -p "$T/empty"
iotap-cat "$T/empty" > "$T/empty.pcap"; check "empty directory: exit" 0 $?
check "empty directory: tcpdump reads 0 packets" 0 "$(count "$T/empty.pcap")"
tcpdump -r "$T/empty.pcap" >/dev/null 2>&1; check "empty output is a valid pcap" 0 $?
# A bad filter is refused before any input is read (exit 2, as for a
# usage error), even when there is no packet to compile it for.
iotap-cat -f "no such thing" "$T/empty" > "$T/out" 2> "$T/err"; check "bad BPF, empty directory: exit" 2 $?
grep -q "^iotap-cat: .*no such thing" "$T/err" && ok "bad BPF, empty directory: message" \
    || fail "bad BPF, empty directory: message: $(cat "$T/err")"
check "bad BPF, empty directory: no output" 0 "$(wc -c < "$T/out" | tr -d ' ')"
iotap-cat -f "tcp port" - < /dev/null > /dev/null 2>&1; check "bad BPF, empty stdin: exit" 2 $?
iotap-cat -f "tcp port 80" "$T/empty" > "$T/out"; check "good BPF, empty directory: exit" 0 $?
check "good BPF, empty directory: valid empty pcap" 0 "$(count "$T/out")"
# Valid only for other link types than Ethernet: accepted at start-up.
iotap-cat -f "type mgt" "$T/empty" > /dev/null; check "802.11-only BPF, no packets: exit" 0 $?
# ... and refused (exit 2, named) once the input's link type is Ethernet.
iotap-cat -f "type mgt" "$H" > /dev/null 2> "$T/err"; check "802.11-only BPF on Ethernet: exit" 2 $?
grep -q "EN10MB\|Ethernet" "$T/err" && ok "802.11-only BPF on Ethernet: names the link type" \
    || fail "802.11-only BPF on Ethernet: $(cat "$T/err")"
done_testing
