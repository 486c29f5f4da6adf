#!/bin/sh
# install.sh - `make install PREFIX=... DESTDIR=...` of this build tree:
#  - every program (analyze/, recorder/) lands in PREFIX/bin, executable,
#    the same bytes as the build tree's;
#  - every man page lands in PREFIX/share/man/man1, man5 or man8 by its
#    suffix, and man reads it;
#  - /etc/iotap/iotap.yaml is the example, and a second install leaves an
#    existing (edited) iotap.yaml alone;
#  - the systemd unit lands in PREFIX/lib/systemd/system with @PREFIX@
#    replaced (checked with two prefixes, /usr and /opt/iotap);
#  - nothing is written outside DESTDIR (all files found under it).
. "$(dirname "$0")/lib.sh"
command -v make >/dev/null 2>&1 || skip "make not installed"
[ -x "$IOTAP_BIN/iotap-cat" ] || skip "programs not built"
# The install target depends on `all`: call make exactly as the tree was
# built so that nothing is rebuilt differently (a sanitizer tree needs
# SAN=1 and clang, or make would build plain objects into it).
if grep -q __asan_init "$IOTAP_BIN/iotap-cat" 2>/dev/null; then
    MK="SAN=1 CC=clang"
else
    MK=""
fi
unset MAKEFLAGS MFLAGS MAKELEVEL
# inst PREFIX ROOT : make install into ROOT, output in ROOT.log
inst() {
    # shellcheck disable=SC2086
    make -s -C "$IOTAP_SRC" BUILD="$IOTAP_BUILD" $MK install PREFIX="$1" DESTDIR="$2" \
        > "$2.log" 2>&1
}

R=$T/root
inst /usr "$R"; rc=$?
check "make install PREFIX=/usr: exit" 0 $rc
[ $rc = 0 ] || { cat "$R.log"; done_testing; }

# --- programs ---
np=0
for src in "$IOTAP_SRC"/analyze/iotap-*.c "$IOTAP_SRC"/recorder/iotap-*.c; do
    [ -f "$src" ] || continue
    p=$(basename "$src" .c)
    np=$((np + 1))
    f=$R/usr/bin/$p
    if [ ! -x "$f" ]; then fail "$p: not installed in /usr/bin (or not executable)"; continue; fi
    cmp -s "$IOTAP_BIN/$p" "$f" || fail "$p: installed bytes differ from $IOTAP_BIN/$p"
    check "$p: mode" 755 "$(stat -c %a "$f")"
done
[ "$np" -ge 9 ] || fail "only $np programs found in analyze/ and recorder/"
check "programs in /usr/bin" "$np" "$(ls "$R/usr/bin" | wc -l | tr -d ' ')"
[ -e "$R/usr/bin/iotap-synth" ] && fail "the test generator iotap-synth was installed"

# --- man pages ---
nm=0
for m in "$IOTAP_SRC"/man/*.[158]; do
    [ -f "$m" ] || continue
    nm=$((nm + 1))
    b=$(basename "$m"); s=${b##*.}
    f=$R/usr/share/man/man$s/$b
    if [ ! -f "$f" ]; then fail "$b: not in share/man/man$s"; continue; fi
    cmp -s "$m" "$f" || fail "$b: installed page differs"
    check "$b: mode" 644 "$(stat -c %a "$f")"
done
for s in 1 5 8; do
    n=$(ls "$R/usr/share/man/man$s" 2>/dev/null | wc -l | tr -d ' ')
    [ "$n" -gt 0 ] && ok "man$s: $n page(s)" || fail "man$s: no page installed"
done
check "man pages installed" "$nm" "$(find "$R/usr/share/man" -type f | wc -l | tr -d ' ')"
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man -l "$R/usr/share/man/man1/iotap-cat.1" 2>/dev/null | grep -q "iotap-cat" \
        && ok "man reads the installed iotap-cat(1)" || fail "man cannot read the installed iotap-cat(1)"
fi

# --- configuration ---
Y=$R/etc/iotap/iotap.yaml
cmp -s "$IOTAP_SRC/etc/iotap.yaml" "$Y" && ok "/etc/iotap/iotap.yaml = etc/iotap.yaml" \
    || fail "/etc/iotap/iotap.yaml missing or different"
check "iotap.yaml: mode" 644 "$(stat -c %a "$Y" 2>/dev/null)"
# the installed example is a valid configuration for the installed programs
mkdir -p "$T/nothing"
"$R/usr/bin/iotap-cat" --config "$Y" "$T/nothing" > "$T/empty.pcap" 2> "$T/err"
check "installed iotap.yaml is read without complaint" "0 " "$? $(cat "$T/err")"

# --- systemd unit ---
U=$R/usr/lib/systemd/system/iotap-record@.service
if [ -f "$U" ]; then
    check "unit: @PREFIX@ all replaced" 0 "$(grep -c '@PREFIX@' "$U")"
    grep -q '^ExecStart=/usr/bin/iotap-record ' "$U" && ok "unit: ExecStart=/usr/bin/iotap-record" \
        || fail "unit: ExecStart: $(grep ExecStart "$U")"
    check "unit: mode" 644 "$(stat -c %a "$U")"
    if command -v systemd-analyze >/dev/null 2>&1; then
        # verify wants the binary at the path it names: the DESTDIR copy
        # cannot be there, so only a syntax problem is a failure.
        systemd-analyze verify "$U" > "$T/verify" 2>&1
        grep -v -e 'not executable' -e 'No such file' -e 'Command .* is not' -e 'iotap-record@' \
            "$T/verify" | grep -i -e 'unknown' -e 'invalid' -e 'failed to parse' > "$T/verify.bad"
        check "unit: systemd-analyze finds no syntax problem" "" "$(head -c 300 "$T/verify.bad")"
    fi
else
    fail "no systemd unit in /usr/lib/systemd/system"
fi

# --- nothing outside DESTDIR, nothing unexpected inside ---
find "$R" -type f | sed "s|^$R||" | sort > "$T/files"
bad=$(grep -v -e '^/usr/bin/iotap-' -e '^/usr/share/man/man[158]/' -e '^/etc/iotap/iotap.yaml$' \
    -e '^/usr/lib/systemd/system/iotap-record@.service$' "$T/files")
check "only programs, man pages, iotap.yaml and the unit installed" "" "$bad"

# --- a second install keeps an edited iotap.yaml ---
printf '# edited by the admin\ndevices:\n  "aa:bb:cc:dd:ee:ff": kept\n' > "$Y"
cp "$Y" "$T/edited.yaml"
inst /usr "$R"; check "second make install: exit" 0 $?
cmp -s "$T/edited.yaml" "$Y" && ok "existing iotap.yaml not overwritten" \
    || fail "existing iotap.yaml overwritten: $(head -n 2 "$Y")"

# --- another prefix: the unit follows it ---
R2=$T/root2
inst /opt/iotap "$R2"; check "make install PREFIX=/opt/iotap: exit" 0 $?
[ -x "$R2/opt/iotap/bin/iotap-record" ] && ok "PREFIX=/opt/iotap: programs in /opt/iotap/bin" \
    || fail "PREFIX=/opt/iotap: no /opt/iotap/bin/iotap-record"
[ -f "$R2/opt/iotap/share/man/man8/iotap-record.8" ] && ok "PREFIX=/opt/iotap: man8" \
    || fail "PREFIX=/opt/iotap: no man8 page"
[ -f "$R2/etc/iotap/iotap.yaml" ] && ok "PREFIX=/opt/iotap: config still in /etc/iotap" \
    || fail "PREFIX=/opt/iotap: no /etc/iotap/iotap.yaml"
grep -q '^ExecStart=/opt/iotap/bin/iotap-record ' "$R2/opt/iotap/lib/systemd/system/iotap-record@.service" 2>/dev/null \
    && ok "PREFIX=/opt/iotap: unit runs /opt/iotap/bin/iotap-record" \
    || fail "PREFIX=/opt/iotap: unit ExecStart"
done_testing
