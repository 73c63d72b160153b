#!/usr/bin/env bash
# Fetches the Node.js binary of one release line from the npm registry (its node-linux-<arch> package) into a
# cache folder outside the repository, once, and prints the binary's path. Usage: scripts/fetch-node.sh 24
# CALDP_CACHE: the cache folder (default /var/cache/caldp for root, whose home other users cannot enter, and the
# tests run the binary as an unprivileged user; ${XDG_CACHE_HOME:-$HOME/.cache}/caldp for others).
set -euo pipefail
umask 022
line=${1:?usage: scripts/fetch-node.sh <major version, e.g. 24>}
case "$(uname -m)" in
x86_64) arch=x64 ;;
aarch64) arch=arm64 ;;
*)
  echo "fetch-node: the npm registry has no node-linux package for $(uname -m)" >&2
  exit 1
  ;;
esac
cache=${CALDP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/caldp}
[ -n "${CALDP_CACHE:-}" ] || [ "$(id -u)" != 0 ] || cache=/var/cache/caldp
prefix=$cache/node-$line
bin=$prefix/node_modules/.bin/node
if ! "$bin" --version >/dev/null 2>&1; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node-linux-$arch@^$line" >/dev/null
fi
echo "$bin"
