#!/bin/sh
# Fault injection: SIGKILL the recorder at seeded random moments (100 times;
# 30 in a sanitizer build) while a paced feeder writes numbered packets into
# a FIFO (-r mode, so it runs anywhere), restarting it on the same root each
# time (recovery runs at start). After every kill: each newly finished
# segment is a complete zstd frame whose packet count (tcpdump) matches its
# sidecar, sequence numbers keep increasing, .partial/ holds at most the
# leftover. At the end (after a clean run): .partial/ is empty, every
# leftover became a recovered segment, was a finished one whose publishing
# the next start completed, or was reported as holding no complete data;
# iotap-segments shows an intact hash chain with exactly the recovered
# segments marked, and the stored packet ids are, per run, a gapless
# prefix of what was fed; what a kill lost is at most what the feeder wrote in
# the last flush interval (+ margin) plus what fits in the (4 KiB) pipe and
# the recorder's one read from it.
# test: slow
. "$IOTAP_SRC/tests/e2e/lib.sh"
. "$IOTAP_SRC/tests/e2e/record-lib.inc"
KILLS=${IOTAP_KILLS:-100}
case $IOTAP_BUILD in *-san) KILLS=${IOTAP_KILLS:-30}; echo "sanitizer build: $KILLS kills" ;; esac
FLUSH=0.1
MARGIN=${IOTAP_KILL_MARGIN:-0.4}      # scheduling slack on a loaded box (seconds)
PAYLOAD=100
REC=$((16 + 42 + PAYLOAD))            # record size of record-gen.pl packets
gen 60000 $PAYLOAD 1790000000 0.002 1 7 > "$T/in.pcap"
mkfifo "$T/fifo"
R="$T/out"

# feeder FROM PID: writes the pcap header and packets FROM.. paced (~2 ms
# each) into the FIFO once the recorder PID opened it, with a 4 KiB pipe.
# Prints "FROM LAST WINDOW_FIRST": LAST is the last packet written in full,
# WINDOW_FIRST the first packet written within FLUSH+MARGIN seconds before it
# noticed the reader was gone (EPIPE) or the recorder died before opening.
cat > "$T/feed.pl" <<'PERL'
use strict; use warnings; use Fcntl; use POSIX (); use Time::HiRes qw(time sleep);
my ($in, $fifo, $from, $pid, $win, $rec, $marker) = @ARGV;
$SIG{PIPE} = 'IGNORE';
open(my $src, '<:raw', $in) or die "$in: $!";
my $hdr; read($src, $hdr, 24) == 24 or die "short header";
my $fh;
until (sysopen($fh, $fifo, O_WRONLY | O_NONBLOCK)) {
    die "open $fifo: $!" unless $! == POSIX::ENXIO;
    unless (kill(0, $pid)) { print "$from ", $from - 1, " $from\n"; exit 0; }
    sleep 0.001;
}
my $fl = fcntl($fh, F_GETFL, 0);
fcntl($fh, F_SETFL, $fl & ~O_NONBLOCK);
fcntl($fh, 1031, 4096);    # F_SETPIPE_SZ: 4 KiB, so little sits in the pipe
{ open(my $m, '>', $marker) or die "$marker: $!"; close $m; }
my $last = $from - 1;
my @t;                     # write time of each packet, index id - $from
sub report {
    my $now = time;
    my $w = $last + 1;
    $w-- while $w > $from && $t[$w - 1 - $from] >= $now - $win;
    print "$from $last $w\n"; exit 0;
}
sub put { my $b = shift; my $o = 0;
    while ($o < length $b) { my $n = syswrite($fh, $b, length($b) - $o, $o); return 0 unless $n; $o += $n; }
    return 1; }
put($hdr) or report();
seek($src, 24 + $from * $rec, 0) or die;
for (my $id = $from; ; $id++) {
    my $p; my $n = read($src, $p, $rec);
    last unless $n && $n == $rec;
    put($p) or report();
    $last = $id; $t[$id - $from] = time;
    sleep 0.002;
}
close $fh; report();
PERL

# ids: packet ids (first 4 payload bytes) of a pcap stream on stdin.
cat > "$T/ids.pl" <<'PERL'
binmode STDIN; my $b; read(STDIN, $b, 24) == 24 or exit 0;
while (read(STDIN, $b, 16) == 16) {
    my (undef, undef, $cap) = unpack('VVV', $b); my $d;
    read(STDIN, $d, $cap) == $cap or last;
    print unpack('N', substr($d, 42, 4)), "\n" if $cap >= 46;
}
PERL

seq_of() { sed 's/.*-\([0-9]*\)\.pcap\.zst$/\1/' | sed 's/^0*\([0-9]\)/\1/'; }
WIN=$(echo "$FLUSH + $MARGIN" | bc -l 2>/dev/null || echo 0.5)
RANDOM_SEED=${IOTAP_KILL_SEED:-4242}
# Delays (ms) from the feeder connecting to the kill; ~1 in 8 kills comes at
# once (during recovery / start-up, before the FIFO is even opened).
perl -e 'srand($ARGV[0]); for (1..$ARGV[1]) { print rand() < 0.125 ? "now " . int(rand(30)) : int(150 + rand(600)), "\n" }' \
    $RANDOM_SEED "$KILLS" > "$T/delays"
: > "$T/seen"; : > "$T/runs"; : > "$T/leftovers"
maxseq=-1; from=0; k=0; bad=0
while read -r d; do
    k=$((k + 1))
    rm -f "$T/opened"
    iotap-record -r "$T/fifo" -w "$R" --sensor s --flush $FLUSH -C 24K -G 1 2>>"$T/log" &
    pid=$!
    perl "$T/feed.pl" "$T/in.pcap" "$T/fifo" $from $pid "$WIN" $REC "$T/opened" > "$T/fed" &
    feeder=$!
    case $d in
    now*) sleep "0.0${d#now }" ;;
    *) wait_until 20 test -e "$T/opened" || fail "kill $k: recorder never opened the FIFO"
       sleep "$(echo "$d / 1000" | bc -l)" ;;
    esac
    kill -9 $pid
    wait $pid 2>/dev/null
    wait $feeder
    read -r f last wfirst < "$T/fed"
    echo "$f $last $wfirst" >> "$T/runs"
    from=$((last + 1))
    # Leftovers of this kill (to be recovered at the next start).
    ls "$R/s/.partial" 2>/dev/null | grep '\.pcap\.zst$' >> "$T/leftovers"
    n=$(ls "$R/s/.partial" 2>/dev/null | grep -c '\.pcap\.zst$')
    [ "$n" -le 1 ] || { fail "kill $k: $n leftovers in .partial"; bad=1; }
    # Newly finished segments: complete, honest, later in sequence.
    segs "$R" > "$T/now"
    newmin=""
    for s in $(sort "$T/seen" "$T/now" | uniq -u); do
        zstd -qt "$s" 2>/dev/null || { fail "kill $k: $s is not a complete zstd frame"; bad=1; }
        [ "$(npk "$s")" = "$(yget "$(sidecar_of "$s")" packets)" ] ||
            { fail "kill $k: $s packet count differs from its sidecar"; bad=1; }
        q=$(echo "$s" | seq_of)
        [ "$q" -gt "$maxseq" ] || { fail "kill $k: sequence $q not above $maxseq"; bad=1; }
        [ -z "$newmin" ] && newmin=$q
    done
    for s in $(sort "$T/seen" "$T/now" | uniq -u); do
        q=$(echo "$s" | seq_of); [ "$q" -gt "$maxseq" ] && maxseq=$q
    done
    # A finished segment never disappears (no retention configured).
    [ -z "$(sort "$T/seen" "$T/now" | uniq -d | sort - "$T/seen" | uniq -u)" ] ||
        { fail "kill $k: a finished segment vanished"; bad=1; }
    cp "$T/now" "$T/seen"
    [ $bad = 0 ] || break
done < "$T/delays"
check "kills done" "$KILLS" "$k"
check "recorder log has no sanitizer report" 0 "$(grep -c -e 'Sanitizer' -e 'runtime error' "$T/log")"

# Last run: the rest, to the end, cleanly (and recovery of the last kill).
tail -c +$((25 + from * REC)) "$T/in.pcap" > "$T/rest.body"
{ head -c 24 "$T/in.pcap"; cat "$T/rest.body"; } > "$T/rest.pcap"
iotap-record -r "$T/rest.pcap" -w "$R" --sensor s --flush $FLUSH -C 24K -G 1 2>>"$T/log"
check "clean final run" 0 "$?"
check "nothing left in .partial" "" "$(ls -A "$R/s/.partial")"
nseg=$(segs "$R" | wc -l)
echo "$nseg segments, $(sort -u "$T/leftovers" | wc -l) distinct leftovers"
for s in $(segs "$R"); do zstd -qt "$s" 2>/dev/null || fail "$s not a complete zstd frame"; done
tshark_bad=0
for s in $(segs "$R" | awk 'NR % 10 == 1'); do tsh_ok "$s" >/dev/null || tshark_bad=$((tshark_bad + 1)); done
check "tshark reads every 10th segment" 0 $tshark_bad
out=$(chain_ok "$R") || fail "$out"
# Sequence numbers: unique and increasing in name order.
check "sequence numbers strictly increase" "" \
    "$(segs "$R" | seq_of | awk 'NR > 1 && $1 <= p { print "dup/out of order: " $1 } { p = $1 }')"

# Every leftover ended as a recovered segment or a "no complete data" message.
sort -u "$T/leftovers" > "$T/lo"
rec_ok=0; resumed=0; nodata=0; nodata_mid=0; lost_lo=0
while read -r l; do
    b=${l%.pcap.zst}
    s=$(segs "$R" | grep "/$b.pcap.zst\$")
    if [ -n "$s" ]; then
        # A kill between the sidecar and the rename leaves a whole segment:
        # the next start only finishes publishing it (not "recovered").
        if [ "$(yget "$(sidecar_of "$s")" recovered)" = true ]; then
            rec_ok=$((rec_ok + 1))
        elif grep -q "$b: finished an interrupted publish" "$T/log"; then
            resumed=$((resumed + 1))
        else
            fail "$b: recovered but not marked recovered"
        fi
    elif grep -q "$b.pcap.zst: no complete data" "$T/log"; then
        nodata=$((nodata + 1))
        # iotap-segments sees a removed leftover as missing only between
        # two segments it lists, not before the first one.
        first=$(segs "$R" | head -n 1 | seq_of)
        [ "$(echo "$l" | seq_of)" -gt "${first:-0}" ] && nodata_mid=$((nodata_mid + 1))
    else
        lost_lo=$((lost_lo + 1)); echo "leftover $b vanished without a message"
    fi
done < "$T/lo"
check "leftovers unaccounted for" 0 $lost_lo
echo "$rec_ok recovered, $resumed published after the kill, $nodata without data"
check "segments marked recovered are exactly the recovered leftovers" $rec_ok \
    "$(for s in $(segs "$R"); do yget "$(sidecar_of "$s")" recovered; done | grep -c true)"

# iotap-segments: chain intact, recovered segments flagged, removed empty
# leftovers show as missing sequence numbers.
iotap-segments "$R" > "$T/segs.csv"
check "iotap-segments exit status" 0 "$?"
perl -e '
    open(my $f, "<", $ARGV[0]) or die; my $h = <$f>; chomp $h; $h =~ s/\r$//;
    my %c; my @n = split /,/, $h; @c{@n} = 0 .. $#n;
    my ($rows, $rec, $miss, $notok, $prob) = (0, 0, 0, 0, 0);
    while (<$f>) { chomp; s/\r$//; my @v = split /,/, $_, -1; $rows++;
        $rec++ if $v[$c{recovered}] eq "true";
        $miss += $v[$c{missing_before}] || 0;
        $notok++ unless $v[$c{chain}] eq ($rows == 1 ? "start" : "ok");
        $prob++ if ($v[$c{recovered}] eq "true") != ($v[$c{problems}] =~ /recover/);
    }
    print "$rows $rec $miss $notok $prob\n";' "$T/segs.csv" > "$T/csvsum"
read -r rows crec cmiss cnotok cprob < "$T/csvsum"
check "iotap-segments rows" "$nseg" "$rows"
check "iotap-segments recovered rows" $rec_ok "$crec"
check "iotap-segments missing sequence numbers (removed empty leftovers after the first segment)" $nodata_mid "$cmiss"
check "iotap-segments chain column start/ok" 0 "$cnotok"
check "iotap-segments problems name each recovery (and only those)" 0 "$cprob"

# Packets: per run a gapless prefix of what was fed; the loss per kill is
# bounded by the flush window plus the pipe and one read of it.
for s in $(segs "$R"); do zstdcat "$s" | perl "$T/ids.pl"; done > "$T/stored"
echo "$from 59999 0 final" >> "$T/runs"
perl -e '
    my ($runs, $stored, $cap) = @ARGV;
    open(my $r, "<", $runs) or die; my @runs = map { [split] } <$r>;
    open(my $s, "<", $stored) or die; chomp(my @ids = <$s>);
    my ($i, $bad, $maxlost, $kills) = (0, 0, 0, 0);
    my $prev = -1;
    for my $id (@ids) { if ($id <= $prev) { print "FAIL: packet $id stored after $prev\n"; $bad++ } $prev = $id }
    for my $run (@runs) {
        my ($from, $last, $wfirst, $final) = @$run;
        my $next = $from;
        $next++, $i++ while $i < @ids && $ids[$i] == $next && $next <= $last;
        if ($i < @ids && $ids[$i] <= $last) { print "FAIL: run from $from: packet $next missing but $ids[$i] stored\n"; $bad++; last }
        my $lost = $last + 1 - $next;
        if ($final) { if ($lost) { print "FAIL: clean run lost $lost packets\n"; $bad++ } next }
        $kills++;
        my $allow = ($last + 1 - $wfirst) + $cap;
        $maxlost = $lost if $lost > $maxlost;
        if ($lost > $allow) { print "FAIL: kill $kills lost $lost packets (fed $from..$last), allowed $allow\n"; $bad++ }
    }
    print "FAIL: ", scalar(@ids) - $i, " stored packets never fed\n", $bad++ if $i != @ids;
    print "ok: ", scalar(@ids), " packets stored in order; most lost by one kill: $maxlost\n" unless $bad;
    ' "$T/runs" "$T/stored" $(( (4096 + 4096) / REC + 1 )) > "$T/pk"
cat "$T/pk"
grep -q FAIL "$T/pk" && fail "packet accounting"
done_testing
