#!/usr/bin/env bash
# The chaos suite's container images. Versions come from the parent pom.xml.
#   images.sh --pull      pulls the public images (a trainer's step before a class)
#   images.sh --services  builds ambassador-lab/ambassador:latest and ambassador-lab/app:latest from the current jars
#                         (on the public JRE when it is here, else on the local stand-in): for ./lab grade and k8s
#   images.sh --offline   builds local stand-ins for them, for machines without a registry:
#     ambassador-lab/jre:17        Debian bookworm with OpenJDK 17's JRE (debootstrap, then docker import)
#     ambassador-lab/toxiproxy:V   the real Toxiproxy server, built from its Go module (static binary, FROM scratch;
#                                  toxiproxy/toxiproxy-server.sh builds and caches it, ./lab up runs the same one)
#     ambassador-lab/wiremock:V    the WireMock standalone jar from Maven Central on the JRE stand-in
#     ambassador-lab/prometheus:V  Debian's prometheus package (server and promtool), laid out as the official image
#   images.sh --naive     builds only the naive reference ambassador (--offline builds it too; it has no public image):
#     ambassador-lab/naive-ambassador:1   naive-ambassador/app.py on Debian's python3, Flask, requests, prometheus_client
#   Images that already exist are skipped; the naive one is rebuilt when its source changes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/lab-tests/images"
docker="${DOCKER:-$(command -v /usr/bin/docker || command -v docker || true)}"
[ -n "$docker" ] || { echo "No docker client found: install Docker first (./lab doctor says how)." >&2; exit 1; }

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1; }
toxiproxy_version="$(pom_property toxiproxy.version)"
wiremock_version="$(pom_property wiremock.version)"
prometheus_version="$(pom_property prometheus-server.version)"
jre_image="ambassador-lab/jre:17"
built=()

exists() { "$docker" image inspect "$1" >/dev/null 2>&1; }
# need TOOL DEBIAN_PACKAGE IMAGE HOW: the tool, installed from Debian's packages when this is a Debian host and we are root.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install $2 (Debian's package, for $3)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null && command -v "$1" >/dev/null 2>&1 && return 0
  fi
  echo "Building $3 needs '$1': $4" >&2
  exit 1
}

# debootstrap_image IMAGE PACKAGES CHANGES...: a Debian bookworm root file system with PACKAGES, imported as IMAGE.
debootstrap_image() {
  local image="$1" packages="$2"; shift 2
  need debootstrap debootstrap "$image" "apt-get install -y debootstrap (and run as root)"
  local rootfs; rootfs="$(mktemp -d)"
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" >"$rootfs.log" 2>&1 \
    || { tail -n 20 "$rootfs.log" >&2; echo "debootstrap failed (log above)" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  local changes=()
  for change in "$@"; do changes+=(--change "$change"); done
  tar -C "$rootfs" -c . | "$docker" import "${changes[@]}" - "$image" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  built+=("$image")
}

build_jre() {
  exists "$jre_image" && { echo "ok      $jre_image (already built)"; return; }
  echo "build   $jre_image: debootstrap bookworm with openjdk-17-jre-headless (about a minute)"
  debootstrap_image "$jre_image" openjdk-17-jre-headless,ca-certificates \
    'ENV LANG=C.UTF-8' 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' 'CMD ["java", "-version"]'
}

build_prometheus() {
  local image="ambassador-lab/prometheus:$prometheus_version"
  exists "$image" && { echo "ok      $image (already built)"; return; }
  echo "build   $image: debootstrap bookworm with Debian's prometheus $prometheus_version (about a minute)"
  debootstrap_image "$image" prometheus \
    'WORKDIR /prometheus' 'EXPOSE 9090' 'ENTRYPOINT ["/usr/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
  local installed; installed="$("$docker" run --rm --entrypoint /usr/bin/prometheus "$image" --version 2>&1 | head -n 1)"
  case "$installed" in
    *"version $prometheus_version"*) ;;
    *) echo "Debian's prometheus is not $prometheus_version ($installed): update prometheus-server.version in pom.xml" >&2; exit 1 ;;
  esac
}

build_toxiproxy() {
  local image="ambassador-lab/toxiproxy:$toxiproxy_version"
  exists "$image" && { echo "ok      $image (already built)"; return; }
  # The same static binary ./lab up runs, built from the Go module once and cached (toxiproxy/toxiproxy-server.sh).
  local server; server="$("$here/toxiproxy/toxiproxy-server.sh")"
  local work; work="$(mktemp -d)"
  echo "build   $image: $server, FROM scratch"
  cp "$server" "$work/toxiproxy"
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

# The naive reference ambassador is the repository's own code: a label holds a hash of its source, so an edit to
# app.py or its Dockerfile rebuilds it (in about a second, on the base image, which is kept).
build_naive() {
  local base="ambassador-lab/python-flask:bookworm" image="ambassador-lab/naive-ambassador:1"
  local source="$root/naive-ambassador" hash
  hash="$(cat "$source/Dockerfile" "$source/app.py" | sha256sum | cut -c1-16)"
  if exists "$image" && [ "$("$docker" image inspect -f '{{ index .Config.Labels "dev.ambassadorlab.source" }}' "$image")" = "$hash" ]; then
    echo "ok      $image (already built)"; return
  fi
  if ! exists "$base"; then
    echo "build   $base: debootstrap bookworm with python3, Flask, requests, prometheus_client (about a minute)"
    debootstrap_image "$base" python3,python3-flask,python3-requests,python3-prometheus-client,ca-certificates \
      'ENV LANG=C.UTF-8' 'CMD ["python3"]'
  fi
  echo "build   $image: naive-ambassador/app.py on $base"
  "$docker" build -q --build-arg "BASE_IMAGE=$base" --label "dev.ambassadorlab.source=$hash" -t "$image" "$source" >/dev/null
  built+=("$image")
}

pull_public() {
  local images=("$(pom_property jre.image)" "ghcr.io/shopify/toxiproxy:$toxiproxy_version"
                "wiremock/wiremock:$wiremock_version" "prom/prometheus:v$prometheus_version" "testcontainers/ryuk:0.14.0")
  for image in "${images[@]}"; do
    echo "pull    $image"
    "$docker" pull -q "$image" >/dev/null || { echo "Could not pull $image: is this machine online and logged in?" >&2; exit 1; }
  done
  echo "Pulled: ${images[*]}"
  echo "The naive reference ambassador has no public image: images.sh --naive (or --offline) builds it."
}

# The lab's own two services, as Compose and Kubernetes name them, from the jars the build left in target/.
build_services() {
  local jre; jre="$(pom_property jre.image)"
  exists "$jre" || { build_jre; jre="$jre_image"; }
  if [ ! -f "$root/ambassador/target/ambassador.jar" ] || [ ! -f "$root/app/target/app.jar" ]; then
    echo "build   the jars (./mvnw -DskipTests package)"
    (cd "$root" && ./mvnw -q -B -DskipTests package)
  fi
  for service in ambassador app; do
    "$docker" build -q --build-arg "JRE_IMAGE=$jre" -t "ambassador-lab/$service:latest" "$root/$service" >/dev/null
  done
  echo "ok      ambassador-lab/ambassador:latest and ambassador-lab/app:latest, on $jre"
}

case "${1:-}" in
  --services) build_services ;;
  --offline)
    build_jre
    build_toxiproxy
    build_wiremock
    build_prometheus
    build_naive
    if [ "${#built[@]}" -eq 0 ]; then echo "Every offline image already exists."; else echo "Built: ${built[*]}"; fi
    echo "The suite uses them when the public images cannot be pulled (LAB_IMAGES=offline forces them)."
    ;;
  --pull) pull_public ;;
  --naive)
    build_naive
    [ "${#built[@]}" -eq 0 ] || echo "Built: ${built[*]}"
    ;;
  *) echo "Usage: $0 --offline | --pull | --services | --naive" >&2; exit 2 ;;
esac
