#!/bin/sh
# iotap-domains' country, asn and as_org columns from MaxMind databases the
# test builds (geoip-fixture-reports.pl, MaxMind::DB::Writer), checked per
# row against mmdblookup (libmaxminddb's own CLI) on every remote address;
# databases given by flag and by the config file; LAN rows stay empty.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reports-lib.inc"
command -v iotap-domains >/dev/null || skip "iotap-domains not built"
command -v mmdblookup >/dev/null || skip "mmdblookup not installed"
perl -MMaxMind::DB::Writer::Tree -e1 2>/dev/null || skip "MaxMind::DB::Writer not installed (libmaxmind-db-writer-perl)"
D=$(synth_home) || { fail "iotap-synth failed"; done_testing; }
P=$D/home.pcap
perl "$IOTAP_SRC/tests/e2e/geoip-fixture-reports.pl" "$T" >"$T/table" || { fail "fixture"; done_testing; }

iotap-domains --geoip-country "$T/Country.mmdb" --geoip-asn "$T/ASN.mmdb" "$P" >"$T/dom.csv" 2>"$T/err"
check "exit status" 0 $?
check "no warnings with both databases" "" "$(cat "$T/err")"

# What mmdblookup says for one address: "country|asn|org" (empty parts when none).
lookup() {
    c=$(mmdblookup -f "$T/Country.mmdb" -i "$1" country iso_code 2>/dev/null | sed -n 's/^ *"\(.*\)" <utf8_string>/\1/p')
    n=$(mmdblookup -f "$T/ASN.mmdb" -i "$1" autonomous_system_number 2>/dev/null | sed -n 's/^ *\([0-9]*\) <uint32>/\1/p')
    o=$(mmdblookup -f "$T/ASN.mmdb" -i "$1" autonomous_system_organization 2>/dev/null | sed -n 's/^ *"\(.*\)" <utf8_string>/\1/p')
    # The report writes database display strings without commas (a comma is
    # a space, runs of spaces one): "Example Cloud, Inc." -> "Example Cloud Inc.".
    o=$(printf '%s' "$o" | tr ',' ' ' | tr -s ' ' | sed 's/^ //; s/ $//')
    echo "$c|$n|$o"
}
psv "$T/dom.csv" | awk -F'|' 'NR > 1 { print $6 "|" $7 "|" $8 "|" $9 }' >"$T/rows"
bad=0 named=0
while IFS='|' read -r addrs cc asn org; do
    want=""
    for a in $(echo "$addrs" | tr ';' ' '); do
        case $a in 192.168.*|224.*|239.*|255.*|fe80:*|ff0*) continue ;; esac
        want=$(lookup "$a")
    done
    [ -n "$want" ] && named=$((named + 1))
    [ -z "$want" ] && want="||"
    if [ "$want" != "$cc|$asn|$org" ]; then
        fail "$addrs: expected '$want', got '$cc|$asn|$org'"; bad=$((bad + 1))
    fi
done <"$T/rows"
check "every row's country/asn/as_org = mmdblookup of its address" 0 "$bad"
[ "$named" -ge 10 ] && ok "$named rows with outside addresses looked up" || fail "only $named outside rows"
check "all four networks of the fixture are hit" "DE JP NL US" \
    "$(psv "$T/dom.csv" | awk -F'|' 'NR > 1 && $7 != "" { print $7 }' | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "an AS name with a comma is written without it" 1 "$(grep -c '^6a:3f:91:c2:5e:07,,api.spotify.com,.*,US,64500,Example Cloud Inc\.,' "$T/dom.csv")"
check "no value holds a comma: every row has the header's 18 fields" "" \
    "$(awk -F, 'NF != 18 { print NR ": " $0 }' "$T/dom.csv" | head -3)"

# The README pipeline: `iotap-domains --device D ... | sort -t, -k14 -nr | head`
# picks the device's row with the most bytes_out, for every device (the
# Example Cloud rows must not shift the columns sort sees).
cat >"$T/labels.yaml" <<YAML
geoip:
  country: $T/Country.mmdb
  asn: $T/ASN.mmdb
devices:
  "6a:3f:91:c2:5e:07": phone
  "d0:d0:03:5c:88:02": tv
YAML
for dev in $(awk -F, 'NR > 1 && $1 != "" { print $1 }' "$T/dom.csv" | sort -u) phone tv; do
    iotap-domains --config "$T/labels.yaml" --device "$dev" "$P" 2>/dev/null >"$T/one.csv"
    want=$(psv "$T/one.csv" | awk -F'|' 'NR > 1 && $14 + 0 > m { m = $14 + 0 } END { print m + 0 }')
    got=$(awk 'NR > 1' "$T/one.csv" | sort -t, -k14 -nr | head -1 | psv | cut -d'|' -f14)
    check "--device $dev | sort -t, -k14 -nr | head -1: the row with the most bytes_out" "$want" "$got"
    check "--device $dev: cut -d, -f14 is bytes_out on every row" \
        "$(psv "$T/one.csv" | cut -d'|' -f14)" "$(cut -d, -f14 "$T/one.csv")"
done
check "the pipeline hits an Example Cloud row" 1 \
    "$(iotap-domains --config "$T/labels.yaml" --device phone "$P" 2>/dev/null | sort -t, -k14 -nr | head -1 | grep -c 'Example Cloud Inc\.')"

# Vendors from ieee-data keep no comma either ("Samsung Electronics Co.,LTD").
if [ -r /usr/share/ieee-data/oui.txt ] || [ -n "${IOTAP_IEEE_DATA:-}" ]; then
    iotap-devices "$P" >"$T/dev.csv"
    check "devices: every row has the header's 16 fields" "" "$(awk -F, 'NF != 16 { print NR ": " $0 }' "$T/dev.csv" | head -3)"
    check "a vendor with a comma is written without it" "Samsung Electronics Co. LTD" \
        "$(awk -F, '$1 == "d0:d0:03:5c:88:02" { print $2 }' "$T/dev.csv")"
else
    echo "ieee-data not installed: vendor check not run"
fi

cat >"$T/iotap.yaml" <<YAML
geoip:
  country: $T/Country.mmdb
  asn: $T/ASN.mmdb
YAML
check "databases from the config file" "$(cat "$T/dom.csv")" "$(iotap-domains --config "$T/iotap.yaml" "$P" 2>/dev/null)"
iotap-domains --geoip-asn "$T/ASN.mmdb" --geoip-country "$T/nonexistent.mmdb" "$P" >"$T/half.csv" 2>"$T/half.err"
check "a missing database is a warning, not an error" 0 $?
grep -q "nonexistent.mmdb" "$T/half.err" && ok "the missing file is named" || fail "no message naming the missing file"
check "ASN columns still filled without the country database" \
    "$(psv "$T/dom.csv" | cut -d'|' -f8,9)" "$(psv "$T/half.csv" | cut -d'|' -f8,9)"
done_testing
