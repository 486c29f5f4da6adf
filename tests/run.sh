#!/bin/sh
# Runs every test of a build tree and ends with one line
#   N passed, N failed, N skipped
# A test is a binary in BUILD/tests/ or a script tests/e2e/*.sh. Exit status
# 0 is a pass, 77 a skip (its last output line says why), anything else a
# failure. Each test's output goes to BUILD/test-logs/NAME.log.
#
# Tests run IOTAP_TEST_JOBS at a time (default: the number of CPUs, at most
# 4), longest first by the times of the previous run (BUILD/test-times), so
# the suite takes about as long as its longest tests. A script that measures
# something a busy machine would disturb (live capture at a fixed rate)
# says so with a line "# test: alone" and runs before the others, by itself;
# one that takes minutes says "# test: slow" (for a tree with no times yet).
# IOTAP_TEST_JOBS=1 runs everything one after the other.
set -u
# wait -n (start the next test when any one ends) is bash's.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
BUILD=${1:-build}
ONLY=${2:-*}   # optional glob: run only tests whose name matches
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export IOTAP_SRC="$ROOT" IOTAP_BUILD="$BUILD" IOTAP_BIN="$BUILD/bin"
if [ -d "$ROOT/../shared/corpus" ]; then
    IOTAP_CORPUS=$(cd "$ROOT/../shared/corpus" && pwd); export IOTAP_CORPUS
fi
# Sanitizer builds: any report is fatal and fails the test. A test script
# may ignore a program's exit status or stderr, so every report also goes to
# a file under BUILD/san-logs/TEST/ (log_path, one file per process), and a
# test that leaves any file there fails whatever its exit status.
ASAN_BASE="${ASAN_OPTIONS:-abort_on_error=0:halt_on_error=1:detect_leaks=1:exitcode=86}"
UBSAN_BASE="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=86}"
LOGS=$BUILD/test-logs
SANLOGS=$BUILD/san-logs
mkdir -p "$LOGS"
RESULTS=$BUILD/test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
# run_one runs in the background: it prints its PASS/FAIL/SKIP lines (one
# printf each, so lines of tests running side by side do not mix) and
# leaves "STATUS SECONDS" in RESULTS/NAME for the tally.
run_one() {  # name, command...
    name=$1; shift
    log=$LOGS/$name.log
    tmp=$BUILD/test-tmp/$name
    san=$SANLOGS/$name
    rm -rf "$tmp" "$san"; mkdir -p "$tmp" "$san"
    chmod 1777 "$san"   # programs that drop privileges write there too
    t0=$(date +%s)
    TMPDIR=$tmp ASAN_OPTIONS="$ASAN_BASE:log_path=$san/asan" \
        UBSAN_OPTIONS="$UBSAN_BASE:log_path=$san/ubsan" \
        timeout "${IOTAP_TEST_TIMEOUT:-900}" "$@" >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - t0 ))
    # log_path names each file PREFIX.PID; any such file is a report.
    reports=$(find "$san" -type f 2>/dev/null | sort)
    sanmsg=""
    if [ -n "$reports" ]; then
        sanmsg=$(echo "sanitizer report(s) in $san (the test's exit status was $rc):"
                 for f in $reports; do echo "--- $f"; head -n 15 "$f"; done)
        printf '%s\n' "$sanmsg" >> "$log"
        rc=86
    else
        rmdir "$san" 2>/dev/null
    fi
    if [ $rc = 0 ]; then
        printf 'PASS %s (%ss)\n' "$name" "$secs"; rm -rf "$tmp"
    elif [ $rc = 77 ]; then
        printf 'SKIP %s: %s\n' "$name" "$(tail -n 1 "$log")"; rm -rf "$tmp"
    else
        printf '%s\n' "FAIL $name (exit $rc, ${secs}s; log $log)
$(if [ -n "$sanmsg" ]; then printf '%s\n' "$sanmsg"; else tail -n 20 "$log"; fi | sed 's/^/    /')"
    fi
    echo "$rc $secs" >"$RESULTS/$name"
}

# Every test as "NAME<TAB>COMMAND ARG", in the default order.
list=$BUILD/test-list
: >"$list"
for t in "$BUILD"/tests/test-*; do
    [ -x "$t" ] || continue
    case $t in *.d|*.o) continue ;; esac
    printf '%s\t%s\n' "$(basename "$t")" "$t" >>"$list"
done
for t in "$ROOT"/tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    case $(basename "$t") in lib.sh) continue ;; esac
    printf '%s\tsh %s\n' "e2e-$(basename "$t" .sh)" "$t" >>"$list"
done
names=$(cut -f1 "$list" | while read -r n; do case $n in $ONLY) echo "$n" ;; esac; done)

command_of() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$list"; }
# tagged NAME TAG: the test is a script with a line "# test: TAG".
tagged() { cmd=$(command_of "$1"); case $cmd in "sh "*) grep -q "^# test: $2" "${cmd#sh }" ;; *) false ;; esac; }

# Longest first, so a long test does not start last. Without a previous
# run (a fresh tree, CI), scripts marked "# test: slow" go first.
TIMES=$BUILD/test-times
touch "$TIMES"
order=$(for n in $names; do
            s=$(awk -v n="$n" '$1 == n { print $2 }' "$TIMES")
            [ -n "$s" ] || { s=1; tagged "$n" slow && s=999999; }
            echo "$s $n"
        done | sort -k1,1nr -s | cut -d' ' -f2)
alone="" rest=""
for n in $order; do
    if tagged "$n" alone; then alone="$alone $n"; else rest="$rest $n"; fi
done

JOBS=${IOTAP_TEST_JOBS:-$(n=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1); [ "$n" -gt 4 ] && n=4; echo "$n")}
for n in $alone; do
    # shellcheck disable=SC2046  # the command is "PROGRAM" or "sh SCRIPT"
    run_one "$n" $(command_of "$n")
done
running=0
for n in $rest; do
    if [ "$running" -ge "$JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
    # shellcheck disable=SC2046
    run_one "$n" $(command_of "$n") &
    running=$((running + 1))
done
wait

# Tally in the default order; remember the times for the next run's order
# (tests that did not run keep theirs).
pass=0 fail=0 skip=0 failed=""
: >"$TIMES.new"
for n in $names; do
    read -r rc secs <"$RESULTS/$n" 2>/dev/null || { rc=125 secs=0; echo "FAIL $n: no result (runner interrupted?)"; }
    case $rc in
        0) pass=$((pass + 1)) ;;
        77) skip=$((skip + 1)) ;;
        *) fail=$((fail + 1)); failed="$failed $n" ;;
    esac
    echo "$n $secs" >>"$TIMES.new"
done
awk 'NR == FNR { ran[$1] = 1; next } !($1 in ran)' "$TIMES.new" "$TIMES" >"$TIMES.new.keep"
cat "$TIMES.new.keep" "$TIMES.new" 2>/dev/null >"$TIMES"; rm -f "$TIMES.new" "$TIMES.new.keep"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
