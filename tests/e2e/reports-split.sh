#!/bin/sh
# The reports of a capture are identical whether it is read as one file or
# as N segments split at arbitrary packets (flows, TCP ClientHellos, DNS
# knowledge and timeline buckets carry across segment boundaries): the
# synthetic home (one day, and 20 MiB with bulk) is cut with editcap at
# random packet numbers, compressed with zstd, and every report is compared
# byte for byte with the unsplit run, reading the segments both as a
# directory and as a list of files.
. "$(dirname "$0")/lib.sh"
for p in iotap-synth iotap-devices iotap-domains iotap-flows iotap-dns iotap-timeline; do
    command -v $p >/dev/null || skip "$p not built"
done
command -v editcap >/dev/null || skip "editcap (wireshark) not installed"
command -v zstd >/dev/null || skip "zstd not installed"

reports() {  # out-prefix inputs...
    o=$1; shift
    iotap-devices -q "$@" >"$o.devices" 2>/dev/null
    iotap-domains -q "$@" >"$o.domains" 2>/dev/null
    iotap-flows -q "$@" >"$o.flows" 2>/dev/null
    iotap-dns -q "$@" >"$o.dns" 2>/dev/null
    iotap-timeline -q "$@" >"$o.timeline" 2>/dev/null
    iotap-timeline -q --by-domain --bucket 10m "$@" >"$o.tld" 2>/dev/null
}

split_at_random() {  # pcap dir n seed
    total=$(capinfos -M -c -T "$1" 2>/dev/null | awk -F'\t' 'NR == 2 { print $2 }')
    [ -n "$total" ] || total=$(tcpdump -nn -r "$1" 2>/dev/null | wc -l)
    mkdir -p "$2"
    # n-1 distinct cut points in 2..total, sorted; segment i = [cut_i, cut_i+1 - 1].
    cuts=$(awk -v n="$3" -v t="$total" -v s="$4" 'BEGIN { srand(s); k = 0
        while (k < n - 1) { c = 2 + int(rand() * (t - 1)); if (!(c in u)) { u[c] = 1; k++ } }
        for (c in u) print c }' | sort -n)
    start=1 i=0
    for c in $cuts $((total + 1)); do
        i=$((i + 1))
        f=$(printf '%s/seg-%03d.pcap' "$2" $i)
        editcap -r "$1" "$f" "$start-$((c - 1))" >/dev/null 2>&1 || return 1
        zstd -q --rm "$f" || return 1
        start=$c
    done
    echo "$total"
}

run_case() {  # label pcap n seed
    reports "$T/whole" "$2"
    total=$(split_at_random "$2" "$T/seg-$4" "$3" "$4") || { fail "$1: splitting failed"; return; }
    check "$1: segments hold every packet" "$total" \
        "$(for f in "$T/seg-$4"/*.zst; do zstd -dc "$f" | tcpdump -nn -r - 2>/dev/null; done | wc -l)"
    reports "$T/split" "$T/seg-$4"
    # shellcheck disable=SC2046
    reports "$T/list" $(ls "$T/seg-$4"/*.zst)
    for r in devices domains flows dns timeline tld; do
        [ -s "$T/whole.$r" ] || fail "$1: $r: no output"
        check "$1: $r identical, $3 segments (directory)" "" "$(cmp "$T/whole.$r" "$T/split.$r" 2>&1)"
        check "$1: $r identical, $3 segments (file list)" "" "$(cmp "$T/whole.$r" "$T/list.$r" 2>&1)"
    done
    rm -rf "$T/seg-$4"
}

D=$(synth_home) || { fail "iotap-synth failed"; done_testing; }
run_case "one day" "$D/home.pcap" 7 11
run_case "one day" "$D/home.pcap" 40 12
B=$(synth_home --bytes 20M) || { fail "iotap-synth --bytes 20M failed"; done_testing; }
run_case "20M" "$B/home.pcap" 13 13
done_testing
