#!/usr/bin/env bash
# The real Toxiproxy server as a local binary, of the version the parent pom.xml names (toxiproxy.version).
#   toxiproxy-server.sh   prints the binary's path; the first call makes it, later calls and other clones reuse it
# It is cached by version outside the clone: ${XDG_CACHE_HOME:-~/.cache}/ambassador-lab/toxiproxy/VERSION/toxiproxy-server
# (LAB_TOXIPROXY_CACHE moves the cache). Made, in this order of preference:
#   - built from its Go module with Go 1.22 or newer (a `go` on the PATH, else /usr/local/go or Debian's golang-1.2x-go):
#     a static binary, which is also what ../images.sh puts in the ambassador-lab/toxiproxy image;
#   - copied out of a Toxiproxy image the Docker engine already has (the local stand-in, or the official one);
#   - else it says what to install and fails.
# What it does is said on stderr; stdout holds only the path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
version="$(sed -n 's:.*<toxiproxy.version>\(.*\)</toxiproxy.version>.*:\1:p' "$root/pom.xml" | head -n 1)"
[ -n "$version" ] || { echo "no toxiproxy.version in $root/pom.xml" >&2; exit 1; }
cache="${LAB_TOXIPROXY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ambassador-lab/toxiproxy}/$version"
binary="$cache/toxiproxy-server"
module="github.com/Shopify/toxiproxy/v2"

say() { printf '%s\n' "$*" >&2; }

# The first Go that is 1.22 or newer (the module declares go 1.22.8; Go switches up to it by itself from 1.22 on).
# Debian 12's golang-go is 1.19, so the PATH alone is not enough: the official tarball and Debian's backports
# install elsewhere.
find_go() {
  local go minor
  for go in "$(command -v go || true)" /usr/local/go/bin/go /usr/lib/go-1.[2-9][0-9]/bin/go; do
    [ -n "$go" ] && [ -x "$go" ] || continue
    minor="$("$go" env GOVERSION 2>/dev/null || true)"
    minor="${minor#go1.}"; minor="${minor%%[!0-9]*}"
    [ "${minor:-0}" -ge 22 ] && { echo "$go"; return 0; }
  done
  return 1
}

# build_with_go GO DIR: go install of the server into DIR; -X ...Version makes it report its real version at
# /version, as the released binaries do.
build_with_go() {
  local go="$1" dir="$2"
  say "build   Toxiproxy $version: $go install $module/cmd/server@v$version (about a minute the first time)"
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
  if go="$(find_go)"; then
    build_with_go "$go" "$work"
  elif ! copy_from_image "$work"; then
    say "Toxiproxy $version cannot be had here: this machine can neither build it nor copy it out of an image. Either"
    say "  - install Go 1.22 or newer (https://go.dev/dl; on Debian 12: golang-1.22-go from bookworm-backports), or"
    say "  - have ghcr.io/shopify/toxiproxy:$version (./lab images --pull) in a running Docker engine."
    exit 1
  fi
  chmod +x "$work/toxiproxy-server"
  mv "$work/toxiproxy-server" "$binary"
fi
echo "$binary"
