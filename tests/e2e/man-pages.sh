# Every program has a man page, every page renders without a groff warning,
# every page names options its program really has, and every option
# --help lists is on its page.
. "$(dirname "$0")/lib.sh"
command -v groff >/dev/null || skip "groff not installed"
cd "$IOTAP_SRC"
for src in analyze/iotap-*.c recorder/iotap-*.c; do
    prog=$(basename "$src" .c)
    page=$(ls man/"$prog".[18] 2>/dev/null | head -n 1)
    if [ -z "$page" ]; then fail "$prog has no man page"; continue; fi
    ok "$prog: $page"
    # Long options the page documents must be known to the program: it
    # must not answer "unrecognized option" for them.
    # Only definition lines (.B/.BR/.BI/.IP starting with the option), outside
    # .nf/.EX example blocks.
    for opt in $(awk '/^\.(nf|EX)/ { ex = 1 } /^\.(fi|EE)/ { ex = 0 }
                      !ex && /^\.(B|BR|BI|IP) "?\\-\\-[a-z]/ { print $2 }' "$page" |
                 grep -o '^"\{0,1\}\\-\\-[a-z][a-z-]*' | tr -d '"' | sed 's/\\-/-/g' | sort -u); do
        if timeout 5 "$IOTAP_BIN/$prog" "$opt" </dev/null 2>&1 | grep -q "unrecognized option\|unknown option"; then
            fail "$page documents $opt, which $prog does not know"
        fi
    done
    # And the other way: every long option --help lists is on the page
    # (written \-\-name in roff, or --name inside an example).
    for opt in $(timeout 5 "$IOTAP_BIN/$prog" --help 2>&1 | grep -o -e '--[a-z][a-z0-9-]*' | sort -u); do
        roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
        grep -q -e "$roff" -e "$opt" "$page" || fail "$prog --help lists $opt, which $page does not document"
    done
done
[ -f man/iotap.yaml.5 ] && ok "iotap.yaml(5)" || fail "man/iotap.yaml.5 missing"
for page in man/*.[158]; do
    out=$(groff -ww -man -z "$page" 2>&1)
    if [ -n "$out" ]; then fail "$page: $out"; else ok "$page renders cleanly"; fi
done
done_testing
