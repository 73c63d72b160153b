#!/usr/bin/env bash
# Installs the Debian packages the test suite and benchmarks use as independent oracles and peers, and the
# second Node.js line the suite runs on (scripts/fetch-node.sh, cached outside the repository).
# Idempotent: what is already present is not touched. Needs root (as in CI) when a package is missing.
set -euo pipefail
# oracles and peers: astropy, numpy, Pillow, fitsverify, GNU time, python-drizzle and its test data (WCS);
# servers and browser for the integration tests: Ceph RGW (S3), Redis (batch queues), Chromium (dashboard); the container image: mmdebstrap, buildah;
# the zsh completion: zsh
packages=(python3-astropy python3-numpy python3-pil fitsverify fitscut time
  python3-drizzle python-drizzle-testdata
  ceph-mon ceph-osd radosgw ceph-common redis-server chromium mmdebstrap buildah zsh)
node24=$(bash "$(dirname "$0")/fetch-node.sh" 24)
echo "second Node.js for the tests: $("$node24" --version)"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies present: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run this script as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
