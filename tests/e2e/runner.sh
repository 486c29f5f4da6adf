#!/bin/sh
# tests/run.sh itself, on a build tree of fake tests: the tally line and the
# exit status, a failure's output shown, a skip's reason, a sanitizer report
# failing a test that exited 0, the name filter, tests running side by side
# (two that each wait for the other finish only when they overlap), one at
# a time with IOTAP_TEST_JOBS=1, and the times kept for the next run.
. "$IOTAP_SRC/tests/e2e/lib.sh"
command -v bash >/dev/null || skip "bash not installed (tests/run.sh needs it)"
F=$T/fake
mkdir -p "$F/tests"
mk() { printf '#!/bin/sh\n%s\n' "$2" >"$F/tests/$1"; chmod +x "$F/tests/$1"; }
mk test-pass 'echo fine'
mk test-fail 'echo first line; echo second line; exit 3'
mk test-skip 'echo "no widget on this machine"; exit 77'
# A "sanitizer report": a file where ASAN_OPTIONS' log_path points.
mk test-san 'p=${ASAN_OPTIONS##*log_path=}; p=${p%%:*}; echo "ERROR: AddressSanitizer: fake" >"$p.123"; exit 0'
# Each waits up to 10 s for the other's mark: done only when both run at once.
mk test-meet-a 'touch "$MEET/a"; i=0; while [ ! -f "$MEET/b" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; [ -f "$MEET/b" ]'
mk test-meet-b 'touch "$MEET/b"; i=0; while [ ! -f "$MEET/a" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; [ -f "$MEET/a" ]'
export MEET=$T/meet

rm -rf "$MEET"; mkdir -p "$MEET"
IOTAP_TEST_JOBS=2 sh "$IOTAP_SRC/tests/run.sh" "$F" 'test-*' >"$T/out" 2>&1
rc=$?
cat "$T/out"
check "exit status with a failure" 1 $rc
check "tally" "3 passed, 2 failed, 1 skipped" "$(tail -n 1 "$T/out")"
check "failed list" "failed: test-fail test-san" "$(grep '^failed:' "$T/out")"
check "the failure's output is shown" "    first line|    second line" \
    "$(sed -n '/^FAIL test-fail/,/^[A-Z]/p' "$T/out" | grep '^    ' | tr '\n' '|' | sed 's/|$//')"
grep -q '^FAIL test-fail (exit 3,' "$T/out" && ok "exit status of the failure" || fail "no 'FAIL test-fail (exit 3'"
check "skip reason" "SKIP test-skip: no widget on this machine" "$(grep '^SKIP' "$T/out")"
grep -q '^FAIL test-san (exit 86,' "$T/out" && ok "a sanitizer report fails a test that exited 0" || fail "sanitizer report not caught"
grep -q 'AddressSanitizer: fake' "$T/out" && ok "the report is shown" || fail "report not shown"
grep -q '^PASS test-meet-a' "$T/out" && grep -q '^PASS test-meet-b' "$T/out" \
    && ok "two tests ran side by side" || fail "tests did not overlap"
check "log of each test" "first line" "$(head -n 1 "$F/test-logs/test-fail.log")"
check "times kept for every test" 6 "$(wc -l <"$F/test-times")"

# One at a time: the first of the two waits in vain and fails (its mark
# then lets the second pass).
rm -rf "$MEET"; mkdir -p "$MEET"
IOTAP_TEST_JOBS=1 sh "$IOTAP_SRC/tests/run.sh" "$F" 'test-meet-*' >"$T/out1" 2>&1
check "IOTAP_TEST_JOBS=1 runs one test at a time" "1 passed, 1 failed, 0 skipped" "$(tail -n 1 "$T/out1")"

# The filter: only matching tests run and count.
IOTAP_TEST_JOBS=2 sh "$IOTAP_SRC/tests/run.sh" "$F" 'test-pass' >"$T/out2" 2>&1
check "filter: exit status" 0 $?
check "filter: only the matching test" "PASS|1 passed, 0 failed, 0 skipped" \
    "$(sed 's/^\(PASS\) .*/\1/' "$T/out2" | tr '\n' '|' | sed 's/|$//')"
done_testing
