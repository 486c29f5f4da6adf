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
# Sanitizer builds: any report is fatal and fails the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:halt_on_error=1:detect_leaks=1:exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=86}"
LOGS=$BUILD/test-logs
mkdir -p "$LOGS"
pass=0 fail=0 skip=0 failed=""
run_one() {  # name, command...
    name=$1; shift
    case $name in $ONLY) ;; *) return ;; esac
    log=$LOGS/$name.log
    tmp=$BUILD/test-tmp/$name
    rm -rf "$tmp"; mkdir -p "$tmp"
    t0=$(date +%s)
    TMPDIR=$tmp timeout "${IOTAP_TEST_TIMEOUT:-900}" "$@" >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - t0 ))
    if [ $rc = 0 ]; then
        pass=$((pass + 1)); echo "PASS $name (${secs}s)"; rm -rf "$tmp"
    elif [ $rc = 77 ]; then
        skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$log")"; rm -rf "$tmp"
    else
        fail=$((fail + 1)); failed="$failed $name"
        echo "FAIL $name (exit $rc, ${secs}s; log $log)"; tail -n 20 "$log" | sed 's/^/    /'
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
