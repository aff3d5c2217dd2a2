#!/usr/bin/env bash
# Runs the lab's pod in the running cluster, in the namespace ambassador-lab: deploy/kubernetes as it is, changed
# only where a cluster without a registry or DNS needs it (one replica, images from the node with imagePullPolicy
# Never, CAT_API_URL pointing at the mock Cat API by its pod IP), next to the mock Cat API: WireMock with the
# mappings and images of mock-cat-api/wiremock, from ConfigMaps.
#   deploy.sh           apply and wait until the pod is ready
#   deploy.sh --fresh   first remove the lab's Deployment and wait until its pods are gone, so a new pod starts
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_cluster "$(running_cluster)"
NS=ambassador-lab
kn() { k --namespace "$NS" "$@"; }
applied() { kn apply -f - >/dev/null; }

k create namespace "$NS" --dry-run=client -o yaml | k apply -f - >/dev/null
kn create configmap mock-cat-api-mappings --from-file="$REPO_ROOT/mock-cat-api/wiremock/mappings" \
  --dry-run=client -o yaml | applied
kn create configmap mock-cat-api-images --from-file="$REPO_ROOT/mock-cat-api/wiremock/__files/images" \
  --dry-run=client -o yaml | applied
applied <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: mock-cat-api
  labels: {app.kubernetes.io/name: mock-cat-api, app.kubernetes.io/part-of: ambassador-lab}
spec:
  containers:
    - name: wiremock
      image: $(wiremock_image)
      imagePullPolicy: Never
      ports: [{name: http, containerPort: 8080}]
      readinessProbe: {httpGet: {path: /__admin/health, port: http}, periodSeconds: 1}
      volumeMounts:
        - {name: mappings, mountPath: /home/wiremock/mappings}
        - {name: images, mountPath: /home/wiremock/__files/images}
  volumes:
    - {name: mappings, configMap: {name: mock-cat-api-mappings}}
    - {name: images, configMap: {name: mock-cat-api-images}}
EOF
kn wait --for=condition=Ready pod/mock-cat-api --timeout=120s >/dev/null \
  || fail "the mock Cat API did not get ready: kubectl -n $NS describe pod mock-cat-api"
mock_url="http://$(kn get pod mock-cat-api -o jsonpath='{.status.podIP}'):8080"

# The lab's manifests, rendered by kustomize and converted to JSON by the API server's client, then changed with jq.
manifests="$(k kustomize "$REPO_ROOT/deploy/kubernetes" | kn create --dry-run=client -o json -f - \
  | jq -c 'if .kind == "List" then .items[] else . end')"
deployment="$(jq -r 'select(.kind == "Deployment") | .metadata.name' <<<"$manifests" | head -n 1)"
[ -n "$deployment" ] || fail "deploy/kubernetes has no Deployment"
if [ "${1:-}" = --fresh ] && kn get deployment "$deployment" >/dev/null 2>&1; then
  kn delete deployment "$deployment" --wait=true >/dev/null
  selector="$(jq -r 'select(.kind == "Deployment") | .spec.selector.matchLabels | to_entries | map("\(.key)=\(.value)") | join(",")' <<<"$manifests")"
  kn wait --for=delete pod --selector "$selector" --timeout=120s >/dev/null 2>&1 || true
fi
jq -s --arg mock "$mock_url" '
  def never_pull: if . then map(.imagePullPolicy = "Never"
      | if .env then .env |= map(if .name == "CAT_API_URL" then .value = $mock else . end) else . end) else . end;
  { apiVersion: "v1", kind: "List", items: map(
      if .kind == "Deployment" then .spec.replicas = 1
        | .spec.template.spec.initContainers |= never_pull | .spec.template.spec.containers |= never_pull
      elif .kind == "ConfigMap" and .data.CAT_API_URL then .data.CAT_API_URL = $mock
      else . end) }' <<<"$manifests" | applied
kn rollout status "deployment/$deployment" --timeout=180s >/dev/null \
  || fail "the lab's pod did not get ready: kubectl -n $NS describe pods"
say "ok      the lab's pod runs in namespace $NS, its ambassador calling the mock Cat API at $mock_url"
