#!/bin/sh
# Every analyzer over every capture file of the public corpus, one file per
# invocation so that a failure names its input: iotap-cat (to /dev/null),
# devices, domains, flows, dns, timeline, http and extract (into a fresh
# directory). Many corpus files are fuzzer finds, truncated files and lying
# lengths. Per file and program:
#   - finished within a time bound (timeout's 124 = hang),
#   - exit status 0 or 1 (1 = damaged input reported), never a signal and
#     never the sanitizers' exit code (86 in tests/run.sh) or report text,
#   - exit status 1 comes with a message on stderr naming the file,
#   - iotap-extract wrote nothing beside its output directory.
# Captures are found by name (.pcap .pcapng .cap .trace .pcap.gz) and by magic
# (pcap in either byte order, micro or nano, and pcapng), whatever the name.
# Deterministic mutants of every 40th capture (bytes replaced, cut short) are
# run the same way; then each program once over the whole corpus as one
# stream.
# Two files run at a time (xargs -P2, the machine has 2 cores). In a
# sanitizer build ($IOTAP_BUILD ending in -san) only every 3rd file of the sorted
# list (about 530 files and mutants) is run, so the test stays within a few minutes;
# set IOTAP_HOSTILE_ALL=1 to run them all there too.
#
# Internal: `sh hostile-corpus.sh --one FILE` checks one file and prints a
# "FAIL: ..." line per problem (the xargs worker).
# test: slow
set -u
PROGS="cat devices domains flows dns timeline http extract"

one() {
    f=$1
    w=$(mktemp -d "${TMPDIR:-/tmp}/hc.XXXXXX") || { echo "FAIL: mktemp"; return; }
    for p in $PROGS; do
        case $p in
        cat)     timeout -k 5 "$LIMIT" iotap-cat -q "$f" > /dev/null 2> "$w/err" ;;
        extract) mkdir "$w/x"
                 timeout -k 5 "$LIMIT" iotap-extract -q -o "$w/x/out" -m "$w/manifest" "$f" \
                     > "$w/stdout" 2> "$w/err" ;;
        *)       timeout -k 5 "$LIMIT" "iotap-$p" -q "$f" > /dev/null 2> "$w/err" ;;
        esac
        rc=$?
        what="iotap-$p $f"
        case $rc in
        0|1) ;;
        124) echo "FAIL: $what: no result within ${LIMIT}s (hang?)" ;;
        86)  echo "FAIL: $what: sanitizer report: $(grep -m1 -E 'ERROR|runtime error' "$w/err")" ;;
        *)   if [ "$rc" -gt 128 ]; then echo "FAIL: $what: killed by signal $((rc - 128))"
             else echo "FAIL: $what: exit status $rc: $(tail -n 1 "$w/err")"; fi ;;
        esac
        if [ "$rc" != 86 ] && grep -q -E 'runtime error|Sanitizer' "$w/err"; then
            echo "FAIL: $what: sanitizer text on stderr: $(grep -m1 -E 'runtime error|Sanitizer' "$w/err")"
        fi
        if [ "$rc" = 1 ] && ! grep -q -F -- "$f" "$w/err"; then
            echo "FAIL: $what: exit status 1 without a message naming the file: $(head -n 1 "$w/err")"
        fi
        if [ "$p" = extract ]; then
            stray=$(find "$w/x" -mindepth 1 ! -path "$w/x/out" ! -path "$w/x/out/*" | head -n 3)
            [ -z "$stray" ] || echo "FAIL: $what: wrote outside its directory: $stray"
            [ -s "$w/stdout" ] && echo "FAIL: $what: output on stdout despite -m FILE"
            rm -rf "$w/x"
        fi
    done
    rm -rf "$w"
}

if [ "${1:-}" = --one ]; then
    shift
    for f in "$@"; do one "$f"; done
    exit 0
fi

. "$(dirname "$0")/lib.sh"
[ -n "${IOTAP_CORPUS:-}" ] && [ -d "$IOTAP_CORPUS" ] || skip "no corpus (\$IOTAP_CORPUS, ../shared/corpus)"
for p in $PROGS; do
    command -v "iotap-$p" > /dev/null || skip "iotap-$p not built"
done
LIMIT=20
case $IOTAP_BUILD in *-san) LIMIT=60 ;; esac
export LIMIT PATH

# Capture files by name or by magic (first four bytes).
find "$IOTAP_CORPUS" -type f | LC_ALL=C sort | while IFS= read -r f; do
    case $f in
    *.pcap|*.pcapng|*.cap|*.trace|*.pcap.gz) printf '%s\n' "$f"; continue ;;
    esac
    case $(od -An -tx1 -N4 "$f" 2>/dev/null | tr -d ' \n') in
    d4c3b2a1|a1b2c3d4|4d3cb2a1|a1b23c4d|0a0d0d0a) printf '%s\n' "$f" ;;
    esac
done > "$T/files"
total=$(wc -l < "$T/files")
[ "$total" -gt 0 ] || skip "no capture files in $IOTAP_CORPUS"
# Mutants: every 40th capture (at least 64 bytes), damaged four ways with
# a fixed seed: 4, 8 and 12 random bytes replaced past the file header, and
# cut at a random length. Same files on every run.
mkdir -p "$T/mut"
awk 'NR % 40 == 0' "$T/files" | perl -e '
    srand(6);
    my $i = 0;
    while (my $f = <STDIN>) {
        chomp $f;
        $i++;
        open(my $h, "<:raw", $f) or next;
        local $/;
        my $d = <$h>;
        close $h;
        next if length($d) < 64;
        (my $b = $f) =~ s{.*/}{};
        for my $k (1 .. 4) {
            my $m = $d;
            if ($k == 4) { $m = substr($m, 0, 24 + int(rand(length($m) - 24))) }
            else {
                for (1 .. 4 * $k) { substr($m, 24 + int(rand(length($m) - 24)), 1) = chr(int(rand(256))) }
            }
            my $out = sprintf("%s/m%03d-%d-%s", $ARGV[0], $i, $k, $b);
            open(my $o, ">:raw", $out) or die "$out: $!\n";
            print $o $m;
            close $o;
            print "$out\n";
        }
    }' "$T/mut" > "$T/mutants" || fail "mutant generator"
nmut=$(wc -l < "$T/mutants")
cat "$T/files" "$T/mutants" > "$T/all"
case $IOTAP_BUILD in
*-san) if [ "${IOTAP_HOSTILE_ALL:-0}" = 1 ]; then cp "$T/all" "$T/run"
       else awk 'NR % 3 == 1' "$T/all" > "$T/run"; fi ;;
*)     cp "$T/all" "$T/run" ;;
esac
n=$(wc -l < "$T/run")
echo "running $n of $total capture files + $nmut mutants through: $PROGS"
# File names in the corpus hold no newlines; -d '\n' keeps spaces intact.
xargs -d '\n' -n 8 -P 2 sh "$0" --one < "$T/run" > "$T/fails"
check "worker ran every file" 0 $?
nf=$(grep -c '^FAIL' "$T/fails")
if [ "$nf" = 0 ]; then
    ok "$n files x 8 programs: no crash, hang, sanitizer report, silent failure or stray file"
else
    cat "$T/fails"
    nfail=$((nfail + nf))
fi
# The whole corpus as one continuous capture, once per program (state
# carried across hundreds of unrelated and broken files). Not iotap-cat: one
# pcap stream holds one link type, so it refuses the mix (exit 2, by design).
for p in $PROGS; do
    case $p in
    cat)     continue ;;
    extract) timeout -k 5 $((LIMIT * 6)) iotap-extract -q -o "$T/all-x" -m "$T/all.csv" "$IOTAP_CORPUS" 2> "$T/all.err" ;;
    *)       timeout -k 5 $((LIMIT * 6)) "iotap-$p" -q "$IOTAP_CORPUS" > /dev/null 2> "$T/all.err" ;;
    esac
    rc=$?
    if [ $rc -le 1 ] && ! grep -q -E 'runtime error|Sanitizer' "$T/all.err"; then
        ok "iotap-$p over the whole corpus as one stream: exit $rc"
    else
        fail "iotap-$p over the whole corpus as one stream: exit $rc: $(grep -m1 -E 'ERROR|runtime error' "$T/all.err" || tail -n 1 "$T/all.err")"
    fi
done
rm -rf "$T/all-x" "$T/mut"
done_testing
