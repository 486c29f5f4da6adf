#!/bin/sh
# Installs the Debian packages iotap builds and tests with, if any is missing.
# Called by `make` (once per build tree); apt-get when root, sudo otherwise.
set -u
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
for p in build-essential pkg-config libpcap-dev libzstd-dev libmaxminddb-dev libcsv-dev \
         libyaml-dev zlib1g-dev libpsl-dev libssl-dev ieee-data zstd tcpdump tshark \
         tcpreplay libmaxmind-db-writer-perl iproute2 clang time; do
    have_pkg "$p" || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "iotap: installing missing packages:$need" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -q >&2 || exit 1
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $need >&2 || exit 1
