#!/usr/bin/env bash
# Exercise 10 on a real cluster (./lab check 10 --cluster): validates a learner's pod.yaml on the API server, then runs
# it for real, in its own namespace next to the mock Cat API (images from the node, CAT_API_URL set to the mock), and
# shows the order in which the kubelet started and readied its containers. Removes the pod afterwards.
#   try-pod.sh POD_YAML
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_cluster "$(running_cluster)"
file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
NS=ambassador-lab
kn() { k --namespace "$NS" "$@"; }

"$LOCAL_DIR/validate.sh" "$file" || exit 1
"$LOCAL_DIR/images.sh" >/dev/null
"$LOCAL_DIR/deploy.sh" >/dev/null # the namespace, the mock Cat API and the key's Secret, as the lab's pod has them
mock_url="http://$(kn get pod mock-cat-api -o jsonpath='{.status.podIP}'):8080"

# The learner's pod, renamed and relabelled so the lab's Deployment never adopts it, with images from the node and the
# mock as its upstream.
pod="$(kn create --dry-run=client -o json -f "$file" | jq -c --arg mock "$mock_url" '
  def local: if . then map(.imagePullPolicy = "Never"
      | if .env then .env |= map(if .name == "CAT_API_URL" then .value = $mock else . end) else . end) else . end;
  .metadata.name = "exercise-10" | .metadata.labels = {"app.kubernetes.io/name": "exercise-10"}
  | .spec.initContainers |= local | .spec.containers |= local')"
kn delete pod exercise-10 --ignore-not-found --wait=true >/dev/null
kn apply -f - <<<"$pod" >/dev/null
say "Started your pod (as exercise-10 in namespace $NS); waiting until it is ready..."
ready=true
kn wait --for=condition=Ready pod/exercise-10 --timeout=120s >/dev/null || ready=false

# What the kubelet did, from the pod's status: when each container started, and whether it is ready.
kn get pod exercise-10 -o json | jq -r '
  [ (.status.initContainerStatuses // [] | .[] | . + {kind: "sidecar (init container)"}),
    (.status.containerStatuses // [] | .[] | . + {kind: "container"}) ]
  | sort_by(.state.running.startedAt // "~")
  | .[] | "  \(.state.running.startedAt // "not started")  \(.name) (\(.kind)): started=\(.started // false) ready=\(.ready)"'
kn delete pod exercise-10 --wait=false >/dev/null
if $ready; then
  say "Your pod got ready: the lines above are in start order. With a native sidecar, the ambassador comes first and the"
  say "app starts only after the ambassador's startup probe passed."
else
  say "Your pod did not get ready within 120 s: kubectl -n $NS describe pod exercise-10 says why (it is being removed)."
  exit 1
fi
