#!/usr/bin/env bash
# The lab's images, from the local Docker engine into the running cluster (no registry): the ambassador and the app
# as the manifests name them, built from the current jars the way the chaos suite builds its own, and WireMock for
# the mock Cat API. Images the cluster already has, by image ID, are not loaded again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ -n "$DOCKER" ] && "$DOCKER" info >/dev/null 2>&1 || fail "no Docker engine answers: ./lab engine starts one"

# The Java runtime and WireMock: the public images when they are here, otherwise the local stand-ins.
jre="$(pom_property jre.image)"
image_exists "$jre" || jre=ambassador-lab/jre:17
if ! image_exists "$jre" || ! image_exists "$(wiremock_image)"; then
  say "build   the local stand-ins for the Java runtime and WireMock (lab-tests/images/images.sh --offline)"
  "$REPO_ROOT/lab-tests/images/images.sh" --offline
fi
"$REPO_ROOT/lab-tests/images/images.sh" --services >/dev/null
images=(ambassador-lab/ambassador:latest ambassador-lab/app:latest "$(wiremock_image)")

use_cluster "$(running_cluster)"
if [ "$CLUSTER" = kind ]; then
  kind load docker-image --name "$KIND_CLUSTER" "${images[@]}"
else
  # The image IDs last loaded: an image whose ID did not change is already in the cluster's containerd.
  wanted=()
  for image in "${images[@]}"; do
    id="$("$DOCKER" image inspect -f '{{.Id}}' "$image")"
    grep -qxF "$image $id" "$STATE/images" 2>/dev/null || wanted+=("$image")
  done
  if [ "${#wanted[@]}" -gt 0 ]; then
    say "load    ${wanted[*]} into the cluster's containerd"
    "$DOCKER" save "${wanted[@]}" | ctr_local images import - >/dev/null
    for image in "${images[@]}"; do printf '%s %s\n' "$image" "$("$DOCKER" image inspect -f '{{.Id}}' "$image")"; done >"$STATE/images"
  fi
fi
say "ok      images in the cluster: ${images[*]}"
