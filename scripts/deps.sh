#!/bin/sh
# Installs the Debian packages iotap builds and tests with, if any is missing.
# Called by `make` (once per build tree); apt-get when root, sudo otherwise
# (neither: says what to install, as root, and fails). Run it by hand as root
# on a minimal Debian 12, where `make` itself is missing: it installs
# build-essential (make, gcc) with the rest.
set -u
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
updated=no
install() {  # packages...
    if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then
        echo "iotap: missing Debian packages: $*" >&2
        echo "iotap: not root and sudo is not installed: as root, run" \
             "'apt-get install $*' (or 'sh scripts/deps.sh'), then make again" >&2
        exit 1
    fi
    echo "iotap: installing missing packages: $*" >&2
    # tshark asks whether non-root users may capture; answer no without a prompt.
    echo "wireshark-common wireshark-common/install-setuid boolean false" |
        $SUDO debconf-set-selections 2>/dev/null || true
    if [ $updated = no ]; then $SUDO apt-get update -q >&2 || exit 1; updated=yes; fi
    $SUDO apt-get install -y -q --no-install-recommends "$@" >&2 || exit 1
}
need=""
for p in build-essential pkg-config libpcap-dev libzstd-dev libmaxminddb-dev libcsv-dev \
         libyaml-dev zlib1g-dev libbrotli-dev libpsl-dev libssl-dev ieee-data zstd tcpdump tshark \
         tcpreplay libmaxmind-db-writer-perl mmdb-bin iproute2 clang time perl groff-base; do
    have_pkg "$p" || need="$need $p"
done
# shellcheck disable=SC2086
[ -z "$need" ] || install $need
# clang's sanitizer and libFuzzer runtimes come in a package of their own
# (not pulled in by clang on Debian 12), named after clang's major version.
if command -v clang >/dev/null; then
    v=$(clang -dumpversion | cut -d. -f1)
    have_pkg "libclang-rt-$v-dev" || install "libclang-rt-$v-dev"
fi
exit 0
