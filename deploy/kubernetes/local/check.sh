#!/usr/bin/env bash
# The Kubernetes check against the running cluster (./lab k8s check):
#   1. server-side validation of deploy/kubernetes and exercise 10's solution (validate.sh);
#   2. proof that it can fail: each manifest in broken/ must fail, for the reason its name gives;
#   3. the lab's pod running for real (check-pod.sh).
# With arguments, only validates those manifests or kustomize directories (./lab k8s check my-pod.yaml).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ "$(running_cluster)" != none ] || fail "no cluster is running: ./lab k8s up starts one"
[ "$#" -eq 0 ] || exec "$LOCAL_DIR/validate.sh" "$@"
t0=$SECONDS
results=()
record() { results+=("$(printf '%-4s  %s' "$1" "$2")"); }

say "== Server-side validation"
if "$LOCAL_DIR/validate.sh"; then record PASS "server-side validation of deploy/kubernetes and exercise 10's solution"
else record FAIL "server-side validation of deploy/kubernetes and exercise 10's solution"; fi

say ""
say "== The validation can fail: each manifest in deploy/kubernetes/local/broken must FAIL (its output, indented):"
# broken MANIFEST REASON: the manifest must fail validation, and the output must give REASON.
broken() {
  local out code=0
  out="$("$LOCAL_DIR/validate.sh" "$LOCAL_DIR/broken/$1")" || code=$?
  sed 's/^/    /' <<<"$out"
  if [ "$code" -eq 0 ]; then record FAIL "broken/$1 passed the validation"
  elif grep -qF "$2" <<<"$out"; then record PASS "broken/$1 refused: $2"
  else record FAIL "broken/$1 refused, but not because of: $2"
  fi
}
broken unknown-field.yaml 'unknown field "spec.initContainers[0].restartpolicy"'
broken ambassador-as-ordinary-container.yaml 'the ambassador must be a native sidecar'

say ""
say "== The lab's pod, running"
"$LOCAL_DIR/images.sh"
if "$LOCAL_DIR/check-pod.sh"; then record PASS "the lab's pod running: start and stop order, HTTP, metrics, files, key"
else record FAIL "the lab's pod running (the FAIL lines above say what)"; fi

say ""
say "Summary of ./lab k8s check ($((SECONDS - t0)) s, $(running_cluster) cluster)"
printf '  %s\n' "${results[@]}"
! printf '%s\n' "${results[@]}" | grep -q '^FAIL'
