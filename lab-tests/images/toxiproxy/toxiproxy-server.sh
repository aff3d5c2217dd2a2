#!/usr/bin/env bash
# The real Toxiproxy server as a local binary, of the version the parent pom.xml names (toxiproxy.version).
#   toxiproxy-server.sh   prints the binary's path; the first call makes it, later calls and other clones reuse it
# It is cached by version outside the clone: ${XDG_CACHE_HOME:-~/.cache}/ambassador-lab/toxiproxy/VERSION/toxiproxy-server
# (LAB_TOXIPROXY_CACHE moves the cache). Made, in this order of preference:
#   - built from its Go module with a Go that ../go-toolchain.sh finds or fetches (Go 1.22.8 or newer; Go's caches
#     only while it builds): a static binary, which is also what ../images.sh puts in the ambassador-lab/toxiproxy image;
#   - copied out of a Toxiproxy image the Docker engine already has (the local stand-in, or the official one), when
#     no Go can be had;
#   - else it says what to do and fails.
# What it does is said on stderr; stdout holds only the path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
version="$(sed -n 's:.*<toxiproxy.version>\(.*\)</toxiproxy.version>.*:\1:p' "$root/pom.xml" | head -n 1)"
[ -n "$version" ] || { echo "no toxiproxy.version in $root/pom.xml" >&2; exit 1; }
cache="${LAB_TOXIPROXY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ambassador-lab/toxiproxy}/$version"
binary="$cache/toxiproxy-server"
module="github.com/Shopify/toxiproxy/v2"
go_needed=1.22.8   # the go line of the module's go.mod

say() { printf '%s\n' "$*" >&2; }

# build_with_go GO DIR: go install of the server into DIR; -X ...Version makes it report its real version at
# /version, as the released binaries do.
build_with_go() {
  local go="$1" dir="$2"
  say "build   Toxiproxy $version: $go install $module/cmd/server@v$version (about a minute the first time)"
  # Go's caches (about 270 MB) in DIR, removed with it: the binary is built once per version, they serve nothing after.
  GOMODCACHE="$dir/go/mod" GOCACHE="$dir/go/build" GOPATH="$dir/go/path" GOFLAGS=-modcacherw \
    GOBIN="$dir" CGO_ENABLED=0 "$go" install -trimpath -ldflags "-s -w -X $module.Version=$version" \
    "$module/cmd/server@v$version" >&2
  mv "$dir/server" "$dir/toxiproxy-server"
}

# copy_from_image DIR: /toxiproxy out of an image the engine has (never pulled: that is the other route's job).
copy_from_image() {
  local dir="$1" docker image container
  docker="$(command -v /usr/bin/docker || command -v docker || true)"
  [ -n "$docker" ] && "$docker" info >/dev/null 2>&1 || return 1
  for image in "ambassador-lab/toxiproxy:$version" "ghcr.io/shopify/toxiproxy:$version"; do
    "$docker" image inspect "$image" >/dev/null 2>&1 || continue
    say "copy    Toxiproxy $version: /toxiproxy out of the image $image"
    container="$("$docker" create "$image")"
    "$docker" cp "$container:/toxiproxy" "$dir/toxiproxy-server" >/dev/null && "$docker" rm "$container" >/dev/null \
      && return 0
    "$docker" rm "$container" >/dev/null 2>&1 || true
  done
  return 1
}

if [ ! -x "$binary" ]; then
  mkdir -p "$cache"
  # Made beside the cache, then moved in whole: two runs at once never see half a binary.
  work="$(mktemp -d "$cache/.make.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  if go="$("$root/lab-tests/images/go-toolchain.sh" "$go_needed")"; then
    build_with_go "$go" "$work"
  elif ! copy_from_image "$work"; then
    say "Toxiproxy $version cannot be had here: this machine can neither build it nor copy it out of an image. Either"
    say "  - install Go $go_needed or newer (https://go.dev/dl), or let the lab fetch it (why it could not is said above), or"
    say "  - have ghcr.io/shopify/toxiproxy:$version (./lab images --pull) in a running Docker engine."
    exit 1
  fi
  chmod +x "$work/toxiproxy-server"
  mv "$work/toxiproxy-server" "$binary"
fi
echo "$binary"
