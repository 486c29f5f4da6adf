#!/bin/sh
# Coverage-guided fuzzing of every tests/fuzz/fuzz-*.c with libFuzzer.
#
#   sh tests/fuzz/run.sh [SECONDS] [TARGET...]    (make fuzz FUZZ_SECONDS=N)
#   sh tests/fuzz/run.sh --ci                     (each target ~20 s, -seed=1)
#   FUZZ_MERGE=1 sh tests/fuzz/run.sh ...         (then minimise new inputs
#                                                  into tests/fuzz/corpus/NAME)
#   FUZZ_JOBS=N   targets run at once (default 2; the machine has 2 cores)
#   FUZZ_SEED=N   libFuzzer -seed for every target (default: random; --ci: 1)
#   FUZZ_SKIP="fuzz-a fuzz-b"   targets left out (e.g. one with an open bug)
#
# Builds lib/ and each target with clang -fsanitize=fuzzer,address,undefined
# into build-fuzz/ (lib/ through the Makefile, so it is incremental), then
# runs each target for SECONDS with its dictionary (tests/fuzz/dict/), its
# seeds (tests/fuzz/corpus/NAME/) and, when ../shared/corpus exists, seeds
# derived from it (tests/fuzz/seeds.py: capture files up to 64 KiB for the
# reader, protocol payloads for the parsers) in build-fuzz/shared/NAME/.
# New inputs go to build-fuzz/corpus/NAME/ (libFuzzer writes only to the
# first corpus directory); the seed directories are only read.
#
# A crash, timeout or leak is copied to tests/fuzz/crashes/NAME/ (not
# replayed by make check until it is fixed and moved to corpus/NAME/), the
# end of the log is shown, and the exit status is 1. Logs:
# build-fuzz/logs/NAME.log.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
SECS=60
SEED=${FUZZ_SEED:-}   # libFuzzer -seed (--ci fixes it so a CI failure can be rerun)

while [ $# -gt 0 ]; do
    case $1 in
        --ci) SECS=20; SEED=${FUZZ_SEED:-1}; shift ;;
        [0-9]*) SECS=$1; shift ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) break ;;
    esac
done
TARGETS=$*
if [ -z "$TARGETS" ]; then
    for f in tests/fuzz/fuzz-*.c; do
        t=$(basename "$f" .c)
        case " ${FUZZ_SKIP:-} " in *" $t "*) echo "fuzz: skipping $t (FUZZ_SKIP)"; continue ;; esac
        TARGETS="$TARGETS $t"
    done
fi
OUT=$ROOT/build-fuzz
CC=${FUZZ_CC:-clang}
JOBS=${FUZZ_JOBS:-2}
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "fuzz: $CC not found (libFuzzer needs clang)" >&2
    exit 2
fi
PKGS="libpcap libzstd libmaxminddb yaml-0.1 zlib libbrotlidec libpsl libcrypto"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $SAN"

# lib/ with coverage instrumentation, through the Makefile (incremental).
echo "fuzz: building lib/ into build-fuzz/lib"
make -s BUILD="$OUT/lib" CC="$CC" OPT="$OPT" "$OUT/lib/libiotap.a" || exit 2
CFLAGS_ALL="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-missing-field-initializers -Ilib $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lcsv -lm"
mkdir -p "$OUT/bin" "$OUT/logs"
for t in $TARGETS; do
    src=tests/fuzz/$t.c
    [ -f "$src" ] || { echo "fuzz: no $src" >&2; exit 2; }
    bin=$OUT/bin/$t
    # Relink when the target, a helper header or the library changed.
    if [ ! -x "$bin" ] || [ -n "$(find "$src" tests/fuzz/*.h "$OUT/lib/libiotap.a" -newer "$bin" 2>/dev/null)" ]; then
        echo "fuzz: building $t"
        $CC $CFLAGS_ALL -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer $SAN \
            -o "$bin" "$src" "$OUT/lib/libiotap.a" $LIBS || exit 2
    fi
done

# Seeds derived from the shared corpus (read-only copies in build-fuzz).
SHARED=$ROOT/../shared/corpus
if [ -d "$SHARED" ] && { [ ! -f "$OUT/shared/.done" ] || [ tests/fuzz/seeds.py -nt "$OUT/shared/.done" ]; }; then
    if command -v python3 >/dev/null 2>&1; then
        echo "fuzz: deriving seeds from $SHARED"
        rm -rf "$OUT/shared"
        python3 tests/fuzz/seeds.py shared "$SHARED" "$OUT/shared" && touch "$OUT/shared/.done"
    else
        echo "fuzz: no python3; the shared corpus is not used as seeds"
    fi
fi

# Dictionary of a target: tests/fuzz/dict/NAME.dict, else the one it shares.
dict_of() {
    n=${1#fuzz-}
    case $n in
        reasm|hello|httpbody|session|report) n=http ;;
        config|sidecar) n=yaml ;;
        quic) n=tls ;;
        recover) n=capture ;;
    esac
    [ -f "tests/fuzz/dict/$n.dict" ] && echo "-dict=tests/fuzz/dict/$n.dict"
}

# Per-target libFuzzer options: the capture reader gets larger inputs.
opts_of() {
    case $1 in
        fuzz-capture|fuzz-recover) echo "-max_len=65536" ;;
        fuzz-session|fuzz-report) echo "-max_len=16384" ;;
        *) echo "-max_len=8192" ;;
    esac
}

run_one() {  # target
    t=$1 n=${1#fuzz-}
    log=$OUT/logs/$t.log
    art=$OUT/artifacts/$n
    rm -rf "$art"; mkdir -p "$art" "$OUT/corpus/$n" "tests/fuzz/corpus/$n"
    seeds="tests/fuzz/corpus/$n"
    [ -d "$OUT/shared/$n" ] && seeds="$seeds $OUT/shared/$n"
    # -close_fd_mask=2: the libraries' warnings would drown the output;
    # libFuzzer still prints its own reports (crash stacks included).
    "$OUT/bin/$t" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 ${SEED:+-seed=$SEED} \
        -close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$art/" \
        $(dict_of "$t") $(opts_of "$t") "$OUT/corpus/$n" $seeds >"$log" 2>&1
    rc=$?
    found=0
    for f in "$art"/crash-* "$art"/timeout-* "$art"/leak-* "$art"/oom-* "$art"/slow-unit-*; do
        [ -f "$f" ] || continue
        case $(basename "$f") in slow-unit-*) continue ;; esac
        mkdir -p "tests/fuzz/crashes/$n"
        cp "$f" "tests/fuzz/crashes/$n/"
        found=1
    done
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ $found = 1 ] || [ $rc != 0 ]; then
        echo "FUZZ FAIL $t (exit $rc; inputs saved in tests/fuzz/crashes/$n/; log $log)"
        grep -A 25 -m 1 'ERROR: \|runtime error\|==ERROR\|deadly signal\|Timeout' "$log" | sed 's/^/    /'
        return 1
    fi
    echo "FUZZ ok $t: ${execs:-?} runs, $cov, corpus $(ls "$OUT/corpus/$n" | wc -l) new"
    if [ "${FUZZ_MERGE:-0}" = 1 ]; then
        # Minimise seeds + new inputs into the committed corpus.
        "$OUT/bin/$t" -merge=1 -close_fd_mask=2 -rss_limit_mb=2048 -timeout=10 $(opts_of "$t") \
            "tests/fuzz/corpus/$n" "$OUT/corpus/$n" >>"$log" 2>&1 \
            && echo "    merged into tests/fuzz/corpus/$n ($(ls "tests/fuzz/corpus/$n" | wc -l) files, $(du -sk "tests/fuzz/corpus/$n" | cut -f1) KiB)"
    fi
    return 0
}

# At most JOBS targets at once; results collected from marker files (in a
# directory of this run's own, so two runs at once do not mix them up).
MARK=$(mktemp -d "$OUT/run.XXXXXX") || exit 2
trap 'rm -rf "$MARK"' EXIT
set -- $TARGETS
running=0
for t in "$@"; do
    ( run_one "$t" || touch "$MARK/$t" ) &
    running=$((running + 1))
    if [ $running -ge "$JOBS" ]; then
        wait
        running=0
    fi
done
wait
failed=$(ls "$MARK" | tr '\n' ' ')
if [ -n "$failed" ]; then
    echo "fuzz: failures in: $failed"
    exit 1
fi
echo "fuzz: no crash in $(echo $TARGETS | wc -w) targets (${SECS}s each)"
exit 0
