#!/bin/sh
# Every saved fuzz input (tests/fuzz/corpus/NAME/: seeds, and crash inputs
# once their bug is fixed) replayed through its target built without
# libFuzzer (BUILD/fuzz/fuzz-NAME, tests/fuzz/replay.c). Passes when no
# input crashes, hangs or (in the SAN build) draws a sanitizer report.
# Inputs in tests/fuzz/crashes/ are bugs still open and are not run here.
. "$IOTAP_SRC/tests/e2e/lib.sh"
n=0
for src in "$IOTAP_SRC"/tests/fuzz/fuzz-*.c; do
    [ -f "$src" ] || continue
    t=$(basename "$src" .c)
    name=${t#fuzz-}
    bin=$IOTAP_BUILD/fuzz/$t
    dir=$IOTAP_SRC/tests/fuzz/corpus/$name
    if [ ! -x "$bin" ]; then
        fail "$t: not built ($bin; make check builds it)"
        continue
    fi
    if [ ! -d "$dir" ] || [ -z "$(ls "$dir")" ]; then
        fail "$t: no saved inputs in tests/fuzz/corpus/$name"
        continue
    fi
    count=$(ls "$dir" | wc -l)
    # The libraries warn about every damaged input; keep that in a file.
    if timeout 300 "$bin" "$dir" >"$T/$t.out" 2>&1; then
        ran=$(sed -n 's/^replay: \([0-9]*\) inputs ran$/\1/p' "$T/$t.out")
        check "$t replayed every input" "$count" "$ran"
    else
        rc=$?
        fail "$t: exit $rc on tests/fuzz/corpus/$name"
        grep -B 2 -A 30 -m 1 'ERROR\|runtime error\|replay: .*bytes' "$T/$t.out" | tail -n 40
        tail -n 30 "$T/$t.out"
    fi
    n=$((n + 1))
done
[ $n -gt 0 ] || skip "no fuzz targets in tests/fuzz"
done_testing
