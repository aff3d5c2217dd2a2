#!/usr/bin/env bash
# A Go toolchain for what the lab builds from Go modules (Toxiproxy; the built-in cluster's Kubernetes and kine).
#   go-toolchain.sh MIN   prints the path of a `go` that is at least Go MIN (such as 1.22.8)
# In this order:
#   - a Go already here: the `go` on the PATH, /usr/local/go (the official tarball), /usr/lib/go-1.NN (Debian's
#     golang-1.NN-go), or the lab's own Go fetched before;
#   - else the lab's own Go, of the version the parent pom.xml names (go.version), fetched once: the toolchain module
#     golang.org/toolchain that Go itself downloads when GOTOOLCHAIN asks for a newer Go, from the Go module proxy
#     (where the modules come from anyway), checked against Go's checksum database. No Go is needed to fetch it, and
#     nothing is installed: it is cached by version outside the clone, in
#     ${XDG_CACHE_HOME:-~/.cache}/ambassador-lab/go/goVERSION.OS-ARCH (LAB_GO_CACHE moves the cache).
# Debian 12's own golang-go is Go 1.19, too old for both builds and too old to switch toolchains by itself.
# LAB_GO_SEARCH lists the Go binaries to try first (globs allowed); set it empty to take the lab's own Go only.
# GOPROXY is honoured when its first entry is a URL. What it does is said on stderr; stdout holds only the path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '%s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

if [ "$#" -ne 1 ] || ! [[ "$1" =~ ^1\.[0-9]+(\.[0-9]+)?$ ]]; then fail "usage: $0 MIN_GO_VERSION (such as 1.22.8)"; fi
needed="$1"
pinned="$(sed -n 's:.*<go.version>\(.*\)</go.version>.*:\1:p' "$root/pom.xml" | head -n 1)"
[ -n "$pinned" ] || fail "no go.version in $root/pom.xml"
cache="${LAB_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ambassador-lab/go}"

# at_least HAVE NEED: true when version HAVE (1.26.8, go1.22rc1, 1.22) is NEED or newer; a missing part counts as 0.
at_least() {
  local have="${1#go}" need="${2#go}" h n i
  IFS=. read -r -a h <<<"${have%%[!0-9.]*}"
  IFS=. read -r -a n <<<"$need"
  for i in 0 1 2; do
    [ "${h[i]:-0}" -gt "${n[i]:-0}" ] && return 0
    [ "${h[i]:-0}" -lt "${n[i]:-0}" ] && return 1
  done
  return 0
}
at_least "$pinned" "$needed" || fail "go.version in pom.xml is $pinned, older than the Go $needed that is needed: raise it"

# The version a go binary is, itself: from / (no go.mod to follow) and with GOTOOLCHAIN=local (no switching).
go_version() { (cd / && GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null) || true; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) fail "The lab fetches Go for Linux and macOS only: install Go $needed or newer (https://go.dev/dl)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  armv6* | armv7*) arch=armv6l ;;
  i?86) arch=386 ;;
  ppc64le | s390x | riscv64) arch="$(uname -m)" ;;
  *) fail "The lab does not know Go's name for this machine ($(uname -m)): install Go $needed or newer (https://go.dev/dl)" ;;
esac
toolchain="go$pinned.$os-$arch"
own="$cache/$toolchain/bin/go"

# A Go that is already here and new enough.
default_search="$(command -v go || true) /usr/local/go/bin/go /usr/lib/go-1.[0-9]*/bin/go"
older="" seen=" "
# shellcheck disable=SC2086  # the list is split into words and its globs expanded on purpose
for go in ${LAB_GO_SEARCH-$default_search} "$own"; do
  if [ ! -x "$go" ] || [[ "$seen" == *" $go "* ]]; then continue; fi
  seen+="$go "
  version="$(go_version "$go")"
  if [ -n "$version" ] && at_least "$version" "$needed"; then echo "$go"; exit 0; fi
  older+="; $go is ${version:-of no known version}"
done

# need COMMAND PACKAGE: the command, installed from Debian's packages when this is root on Debian or Ubuntu.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "install $2 (Debian's package, to fetch Go)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
  command -v "$1" >/dev/null 2>&1 || fail "Fetching Go needs '$1': install $2, or install Go $needed or newer (https://go.dev/dl)"
}
# unpack ZIP DIR: unzip, else the JDK's jar (the lab needs a JDK anyway), which drops the files' modes: the
# commands are made executable again.
unpack() {
  command -v unzip >/dev/null 2>&1 || command -v jar >/dev/null 2>&1 || need unzip unzip
  if command -v unzip >/dev/null 2>&1; then unzip -q "$1" -d "$2"; return; fi
  mkdir -p "$2" && (cd "$2" && jar xf "$1") && chmod +x "$2"/golang.org/*/bin/* "$2"/golang.org/*/pkg/tool/*/*
}
# download URL FILE: curl, else wget (a Debian desktop has wget; a minimal one may have neither).
download() {
  if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then wget -q -O "$2" "$1"
  else need curl curl && curl -fsSL --retry 3 -o "$2" "$1"
  fi
}

proxy="${GOPROXY:-https://proxy.golang.org}"
proxy="${proxy%%[,|]*}"
case "$proxy" in http://* | https://*) proxy="${proxy%/}" ;; *) proxy=https://proxy.golang.org ;; esac
module="golang.org/toolchain@v0.0.1-$toolchain"

why="there is no Go here"
[ -z "$older" ] || why="the Go here is too old${older}"
say "fetch   Go $pinned for the lab, as Go $needed or newer is needed and $why"
say "        ($module from $proxy, about 70 MB, checked against sum.golang.org; cached in $cache)"
mkdir -p "$cache"
# Unpacked beside the cache, then moved in whole: two runs at once never see half a toolchain.
work="$(mktemp -d "$cache/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
download "$proxy/golang.org/toolchain/@v/v0.0.1-$toolchain.zip" "$work/go.zip" \
  || fail "Could not download $module from $proxy: install Go $needed or newer (https://go.dev/dl)"
# The checksum database's hash (h1) of the module, through a proxy as Go asks for it, else from sum.golang.org itself.
for url in "$proxy/sumdb/sum.golang.org/lookup/$module" "https://proxy.golang.org/sumdb/sum.golang.org/lookup/$module" \
  "https://sum.golang.org/lookup/$module" ""; do
  [ -n "$url" ] || fail "Could not look $module up in Go's checksum database (sum.golang.org)"
  download "$url" "$work/sum" 2>/dev/null && break
done
expected="$(sed -n "s:^golang.org/toolchain v0.0.1-$toolchain h1\:\(.*\)$:\1:p" "$work/sum" | base64 -d | od -An -tx1 | tr -d ' \n')"
[ -n "$expected" ] || fail "Go's checksum database has no hash for $module"
unpack "$work/go.zip" "$work/unpacked"
rm "$work/go.zip"
# h1 is the SHA-256 of the sorted lines "SHA-256  NAME" of the module's files, which is what sha256sum prints.
if command -v sha256sum >/dev/null 2>&1; then sha256=(sha256sum); else sha256=(shasum -a 256); fi
actual="$(cd "$work/unpacked" && find golang.org -type f -print0 | LC_ALL=C sort -z | xargs -0 "${sha256[@]}" \
  | "${sha256[@]}" | cut -d' ' -f1)"
[ "$actual" = "$expected" ] || fail "$module does not match Go's checksum database: not used"
# A run beside this one may have put it in place already; a leftover that does not run is replaced.
[ "$(go_version "$own")" = "go$pinned" ] || { rm -rf "${cache:?}/$toolchain"; mv "$work/unpacked/$module" "$cache/$toolchain"; }
[ "$(go_version "$own")" = "go$pinned" ] || fail "the Go fetched into $cache/$toolchain does not run"
say "ok      Go $pinned in $cache/$toolchain"
echo "$own"
