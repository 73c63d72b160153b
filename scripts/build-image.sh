#!/usr/bin/env bash
# Builds caldp's container image from the Dockerfile with buildah, without a registry: the base image is made
# from Debian's packages by mmdebstrap (cached) unless CALDP_IMAGE_BASE names one. Needs root (as in CI).
# Usage: scripts/build-image.sh [tag, default caldp:<version>]
#   CALDP_IMAGE_BASE   base image to use instead (e.g. docker.io/library/debian:bookworm-slim)
#   CALDP_IMAGE_NODE   Node.js line in the image (default 24)
#   CALDP_CACHE        cache folder for the base rootfs and Node.js (default: scripts/fetch-node.sh's)
#   STORAGE_DRIVER     buildah's storage driver (default vfs, which works inside containers and CI runners;
#                      passed as --storage-driver, which buildah 1.28 needs: it ignores the variable)
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p 'require("./package.json").version')
tag=${1:-caldp:$version}
suite=bookworm
cache=${CALDP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/caldp}
[ -n "${CALDP_CACHE:-}" ] || [ "$(id -u)" != 0 ] || cache=/var/cache/caldp
storage_driver=${STORAGE_DRIVER:-vfs}
buildah() { command buildah --storage-driver "$storage_driver" "$@"; }
for tool in buildah mmdebstrap npm; do
  command -v "$tool" >/dev/null || {
    echo "build-image: $tool is missing (run scripts/install-test-deps.sh as root)" >&2
    exit 1
  }
done

base=${CALDP_IMAGE_BASE:-localhost/caldp-base:$suite-minbase}
if [ -z "${CALDP_IMAGE_BASE:-}" ] && ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  rootfs=$cache/$suite-minbase.tar
  if [ ! -s "$rootfs" ]; then
    mkdir -p "$cache"
    partial=$cache/.$suite-minbase.$$.tar
    # debian:*-slim's trimming: no manuals, translations or documentation besides the copyright files
    mmdebstrap --quiet --variant=minbase \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      "$suite" "$partial"
    mv "$partial" "$rootfs"
  fi
  container=$(buildah from scratch)
  buildah add --quiet "$container" "$rootfs" / >/dev/null
  buildah config --env PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$container"
  buildah commit --quiet --rm "$container" "$base" >/dev/null
fi

context=$(mktemp -d "${TMPDIR:-/tmp}/caldp-image.XXXXXX")
trap 'rm -rf "$context"' EXIT
# what `npm pack` ships (its prepack builds dist/), plus the production dependencies of the lockfile
npm pack --silent --pack-destination "$context" >/dev/null
mkdir "$context/app"
tar -xzf "$context/caldp-$version.tgz" -C "$context/app" --strip-components=1
cp package-lock.json "$context/app/"
(cd "$context/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
rm "$context/app/package-lock.json" "$context/app/node_modules/.package-lock.json"
node_bin=$(CALDP_CACHE=$cache bash scripts/fetch-node.sh "${CALDP_IMAGE_NODE:-24}")
node_package=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
mkdir -p "$context/node/bin"
cp "$node_package/bin/node" "$node_package/LICENSE" "$context/node/bin/"

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || revision=$revision-dirty
source=$(git config --get remote.origin.url || node -p 'require("./package.json").repository?.url ?? "unknown"')
buildah bud --quiet --isolation chroot --layers=false -f "$PWD/Dockerfile" \
  --build-arg BASE_IMAGE="$base" --build-arg VERSION="$version" --build-arg REVISION="$revision" \
  --build-arg SOURCE="$source" -t "$tag" "$context" >/dev/null
echo "$tag"
