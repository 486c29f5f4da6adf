# Shared helpers for the end-to-end tests (sourced, not run).
# Environment from tests/run.sh: IOTAP_SRC, IOTAP_BUILD, IOTAP_BIN, TMPDIR,
# and IOTAP_CORPUS when ../shared/corpus exists.
set -u
: "${IOTAP_BUILD:?run through tests/run.sh (make check)}"
PATH=$IOTAP_BIN:$PATH
T=${TMPDIR:-/tmp}
nfail=0
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
ok()   { echo "ok: $*"; }
skip() { echo "$*"; exit 77; }
# check DESCRIPTION EXPECTED ACTUAL
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected '$2', got '$3'"; fi; }
done_testing() { if [ $nfail = 0 ]; then echo "all ok"; exit 0; fi; echo "$nfail failed"; exit 1; }
# synth_home [ARGS...]: the synthetic home generated once per build tree and
# argument set; prints the directory holding home.pcap and its truth files.
# Tests run side by side: each generates into its own directory and renames
# it into place (mv -T: rename(2), which fails on the non-empty directory a
# test that got there first published), so a published home never changes.
synth_home() {
    key=$(printf '%s' "default $*" | cksum | cut -d' ' -f1)
    d=$IOTAP_BUILD/synth/$key
    if [ ! -f "$d/.done" ]; then
        rm -rf "$d.tmp.$$"; mkdir -p "$d.tmp.$$"
        iotap-synth -o "$d.tmp.$$" "$@" >&2 || return 1
        touch "$d.tmp.$$/.done"
        mv -T "$d.tmp.$$" "$d" 2>/dev/null || rm -rf "$d.tmp.$$"
        [ -f "$d/.done" ] || return 1
    fi
    echo "$d"
}
