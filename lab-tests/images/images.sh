#!/usr/bin/env bash
# The chaos suite's container images. Versions come from the parent pom.xml.
#   images.sh --pull      pulls the public images (a trainer's step before a class)
#   images.sh --offline   builds local stand-ins for them, for machines without a registry:
#     ambassador-lab/jre:17        Debian bookworm with OpenJDK 17's JRE (debootstrap, then docker import)
#     ambassador-lab/toxiproxy:V   the real Toxiproxy server, built from its Go module (static binary, FROM scratch)
#     ambassador-lab/wiremock:V    the WireMock standalone jar from Maven Central on the JRE stand-in
#   Images that already exist are skipped.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/lab-tests/images"
docker="${DOCKER:-$(command -v /usr/bin/docker || command -v docker || true)}"
[ -n "$docker" ] || { echo "No docker client found: install Docker first (./lab doctor says how)." >&2; exit 1; }

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1; }
toxiproxy_version="$(pom_property toxiproxy.version)"
wiremock_version="$(pom_property wiremock.version)"
jre_image="ambassador-lab/jre:17"
built=()

exists() { "$docker" image inspect "$1" >/dev/null 2>&1; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "Building $2 needs '$1': $3" >&2; exit 1; }; }

build_jre() {
  exists "$jre_image" && { echo "ok      $jre_image (already built)"; return; }
  need debootstrap "$jre_image" "apt-get install -y debootstrap (and run as root)"
  local rootfs; rootfs="$(mktemp -d)"
  echo "build   $jre_image: debootstrap bookworm with openjdk-17-jre-headless (about a minute)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$rootfs" >"$rootfs.log" 2>&1 \
    || { tail -n 20 "$rootfs.log" >&2; echo "debootstrap failed (log above)" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "$docker" import \
    --change 'ENV LANG=C.UTF-8' --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    --change 'CMD ["java", "-version"]' - "$jre_image" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  built+=("$jre_image")
}

build_toxiproxy() {
  local image="ambassador-lab/toxiproxy:$toxiproxy_version"
  exists "$image" && { echo "ok      $image (already built)"; return; }
  need go "$image" "install Go 1.22 or newer (https://go.dev/dl, or apt-get install golang)"
  local work; work="$(mktemp -d)"
  echo "build   $image: go install github.com/Shopify/toxiproxy/v2/cmd/server@v$toxiproxy_version"
  # -X ...Version makes the server report its real version at /version, as the released binaries do.
  GOBIN="$work" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X github.com/Shopify/toxiproxy/v2.Version=$toxiproxy_version" \
    "github.com/Shopify/toxiproxy/v2/cmd/server@v$toxiproxy_version"
  mv "$work/server" "$work/toxiproxy"
  cp "$here/toxiproxy/Dockerfile" "$work/Dockerfile"
  "$docker" build -q -t "$image" "$work" >/dev/null
  rm -rf "$work"
  built+=("$image")
}

build_wiremock() {
  local image="ambassador-lab/wiremock:$wiremock_version"
  exists "$image" && { echo "ok      $image (already built)"; return; }
  local jar="$root/mock-cat-api/target/wiremock-standalone.jar"
  if [ ! -f "$jar" ]; then
    echo "fetch   WireMock $wiremock_version from Maven Central"
    (cd "$root" && ./mvnw -q -B -pl mock-cat-api package)
  fi
  local work; work="$(mktemp -d)"
  echo "build   $image: wiremock-standalone $wiremock_version on $jre_image"
  cp "$jar" "$work/wiremock-standalone.jar"
  cp "$here/wiremock/Dockerfile" "$work/Dockerfile"
  "$docker" build -q --build-arg "JRE_IMAGE=$jre_image" -t "$image" "$work" >/dev/null
  rm -rf "$work"
  built+=("$image")
}

pull_public() {
  local images=("$(pom_property jre.image)" "ghcr.io/shopify/toxiproxy:$toxiproxy_version"
                "wiremock/wiremock:$wiremock_version" "testcontainers/ryuk:0.14.0")
  for image in "${images[@]}"; do
    echo "pull    $image"
    "$docker" pull -q "$image" >/dev/null || { echo "Could not pull $image: is this machine online and logged in?" >&2; exit 1; }
  done
  echo "Pulled: ${images[*]}"
}

case "${1:-}" in
  --offline)
    build_jre
    build_toxiproxy
    build_wiremock
    if [ "${#built[@]}" -eq 0 ]; then echo "Every offline image already exists."; else echo "Built: ${built[*]}"; fi
    echo "Use them with: LAB_IMAGES=offline ./mvnw verify"
    ;;
  --pull) pull_public ;;
  *) echo "Usage: $0 --offline | --pull" >&2; exit 2 ;;
esac
