#!/usr/bin/env bash
# Builds what the built-in cluster runs, from sources a machine without a container registry can reach: the Kubernetes
# binaries and kine from the Go module proxy, the pause image from its C source, the CNI plugins from Debian.
# Everything lands in a cache by version (see common.sh); what is already there is skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Go's own caches live beside the binaries: one directory to remove, and a cold build here is really cold.
export GOMODCACHE="$K8S_CACHE/go/mod" GOCACHE="$K8S_CACHE/go/build" GOPATH="$K8S_CACHE/go/path"
export GOTOOLCHAIN=local GOFLAGS=-modcacherw

missing_kubernetes() { local c; for c in "${K8S_COMPONENTS[@]}"; do [ -x "$K8S_BIN/$c" ] || return 0; done; return 1; }

plan=()
missing_kubernetes && plan+=("Kubernetes $K8S_VERSION: ${K8S_COMPONENTS[*]} (about 6 minutes on 2 cores, 1 GB of modules)")
[ -x "$KINE_BIN/kine" ] || plan+=("kine $KINE_VERSION with SQLite (about 2 minutes)")
[ -f "$PAUSE_TAR" ] || plan+=("$PAUSE_IMAGE from build/pause/linux/pause.c (seconds)")
[ -x "$CNI_BIN/bridge" ] || plan+=("CNI plugins from Debian's containernetworking-plugins (seconds)")
if [ "${#plan[@]}" -eq 0 ]; then
  say "ok      everything is built (in $K8S_CACHE)"
  exit 0
fi
say "Building into $K8S_CACHE:"
printf '  - %s\n' "${plan[@]}"

need gcc gcc   # kine's SQLite is C (cgo); pause is a static C binary
# GO names a Go to use; else one that is here and new enough, or the lab's own, fetched once (go-toolchain.sh).
if [ -z "${GO:-}" ]; then
  GO="$("$REPO_ROOT/lab-tests/images/go-toolchain.sh" "$GO_NEEDED")" \
    || fail "Go $GO_NEEDED or newer is needed to build Kubernetes and kine (why none could be had is said above)"
fi
[ -x "$GO" ] || fail "GO=$GO is not a Go binary"
say "go      $GO ($("$GO" env GOVERSION))"

# The module's directory in the module cache (downloaded once, about 8 s).
kubernetes_module() {
  (cd "$K8S_CACHE" && "$GO" mod download -json "k8s.io/kubernetes@$K8S_VERSION") | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}

build_kubernetes() {
  local module work="$WORK/kubernetes"
  module="$(kubernetes_module)"
  [ -d "$module" ] || fail "could not download k8s.io/kubernetes@$K8S_VERSION from the Go module proxy"
  # 'go install k8s.io/kubernetes/cmd/...@version' does not work: the module zip has no staging/ directory, and its
  # go.mod replaces every k8s.io/* module with ./staging/src/... So build a copy whose replaces point at the
  # published modules of the same release instead.
  mkdir -p "$work"
  cp -r "$module" "$work/src"
  chmod -R u+w "$work/src"
  rm -rf "$work/src/vendor" "$work/src/go.work" "$work/src/go.work.sum"
  sed -i -E "s#^(\s+)(k8s\.io/[a-z0-9-]+) => \./staging/src/k8s\.io/[a-z0-9-]+\$#\1\2 => \2 $K8S_STAGING_VERSION#" "$work/src/go.mod"
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  say "build   ${K8S_COMPONENTS[*]} $K8S_VERSION"
  mkdir -p "$work/bin"
  local targets=() c
  for c in "${K8S_COMPONENTS[@]}"; do targets+=("./cmd/$c"); done
  (cd "$work/src" && GOBIN="$work/bin" CGO_ENABLED=0 "$GO" install -mod=mod -trimpath -ldflags "$ldflags" "${targets[@]}") \
    >"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; fail "building Kubernetes failed (log above: $LOG)"; }
  mkdir -p "$K8S_BIN"
  for c in "${K8S_COMPONENTS[@]}"; do mv "$work/bin/$c" "$K8S_BIN/$c"; done
}

build_kine() {
  say "build   kine $KINE_VERSION"
  mkdir -p "$KINE_BIN"
  GOBIN="$KINE_BIN" CGO_ENABLED=1 "$GO" install -trimpath \
    -ldflags "-s -w -X github.com/k3s-io/kine/pkg/version.Version=$KINE_VERSION" "github.com/k3s-io/kine@$KINE_VERSION" \
    >"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; fail "building kine failed (log above: $LOG)"; }
}

# The pod sandbox image, compiled from the same release's source and packed as an OCI image archive by hand:
# one layer holding /pause, no registry and no Docker image involved.
build_pause() {
  local module work="$WORK/pause"
  module="$(kubernetes_module)"
  say "build   $PAUSE_IMAGE from $module/build/pause/linux/pause.c"
  need_file "/usr/lib/$(gcc -dumpmachine)/libc.a" libc6-dev   # for -static
  mkdir -p "$work/rootfs" "$work/oci/blobs/sha256"
  gcc -Os -Wall -Werror -static -DVERSION="${PAUSE_IMAGE##*:}" -o "$work/rootfs/pause" "$module/build/pause/linux/pause.c"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$work/rootfs" -cf "$work/layer.tar" pause
  gzip -n -9 <"$work/layer.tar" >"$work/layer.tar.gz"
  local arch; arch="$("$GO" env GOARCH)"
  blob() { local d; d="$(sha256sum "$1" | cut -d' ' -f1)"; cp "$1" "$work/oci/blobs/sha256/$d"; echo "$d"; }
  size() { stat -c %s "$1"; }
  printf '{"architecture":"%s","os":"linux","config":{"Entrypoint":["/pause"],"User":"65535:65535"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$arch" "$(sha256sum "$work/layer.tar" | cut -d' ' -f1)" >"$work/config.json"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$(blob "$work/config.json")" "$(size "$work/config.json")" "$(blob "$work/layer.tar.gz")" "$(size "$work/layer.tar.gz")" >"$work/manifest.json"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$(blob "$work/manifest.json")" "$(size "$work/manifest.json")" "$arch" "$PAUSE_IMAGE" "${PAUSE_IMAGE##*:}" >"$work/oci/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
  mkdir -p "$(dirname "$PAUSE_TAR")"
  tar -C "$work/oci" -cf "$PAUSE_TAR.next" oci-layout index.json blobs
  mv "$PAUSE_TAR.next" "$PAUSE_TAR"
}

# Debian's package, unpacked into the cache rather than installed: nothing on the host changes.
build_cni() {
  local work="$WORK/cni"
  mkdir -p "$work"
  say "fetch   Debian's containernetworking-plugins"
  need apt-get apt
  if ! (cd "$work" && apt-get download containernetworking-plugins >/dev/null 2>&1); then
    [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null
    (cd "$work" && apt-get download containernetworking-plugins >/dev/null)
  fi
  rm -rf "$K8S_CACHE/cni"
  dpkg -x "$work"/containernetworking-plugins_*.deb "$K8S_CACHE/cni"
}

mkdir -p "$K8S_CACHE"
WORK="$(mktemp -d)"
LOG="$K8S_CACHE/build.log"
trap 'rm -rf "$WORK"' EXIT
start=$SECONDS
missing_kubernetes && build_kubernetes
[ -x "$KINE_BIN/kine" ] || build_kine
[ -f "$PAUSE_TAR" ] || build_pause
[ -x "$CNI_BIN/bridge" ] || build_cni
say "Built in $((SECONDS - start)) s: $K8S_BIN, $KINE_BIN, $PAUSE_TAR, $CNI_BIN"
say "(Go's caches, $(du -sh "$K8S_CACHE/go" | cut -f1) in $K8S_CACHE/go, are needed only to build again: rm -rf removes them.)"
