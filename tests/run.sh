#!/bin/sh
# Runs every test of a build tree and ends with one line
#   N passed, N failed, N skipped
# A test is a binary in BUILD/tests/ or a script tests/e2e/*.sh. Exit status
# 0 is a pass, 77 a skip (its last output line says why), anything else a
# failure. Each test's output goes to BUILD/test-logs/NAME.log.
set -u
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
pass=0 fail=0 skip=0 failed=""
run_one() {  # name, command...
    name=$1; shift
    case $name in $ONLY) ;; *) return ;; esac
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
        pass=$((pass + 1)); echo "PASS $name (${secs}s)"; rm -rf "$tmp"
    elif [ $rc = 77 ]; then
        skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$log")"; rm -rf "$tmp"
    else
        fail=$((fail + 1)); failed="$failed $name"
        echo "FAIL $name (exit $rc, ${secs}s; log $log)"
        if [ -n "$sanmsg" ]; then printf '%s\n' "$sanmsg"; else tail -n 20 "$log"; fi | sed 's/^/    /'
    fi
}
for t in "$BUILD"/tests/test-*; do
    [ -x "$t" ] || continue
    case $t in *.d|*.o) continue ;; esac
    run_one "$(basename "$t")" "$t"
done
for t in "$ROOT"/tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    case $(basename "$t") in lib.sh) continue ;; esac
    run_one "e2e-$(basename "$t" .sh)" sh "$t"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
