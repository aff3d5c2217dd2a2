#!/usr/bin/env bash
# Server-side validation: the running API server decides (kubectl apply --dry-run=server: schema, unknown fields,
# defaults, admission), then one rule of the lab's own that the API server cannot know: the ambassador must be a
# native sidecar. Prints PASS or FAIL per manifest, with the reason; the exit status is 1 when any fails.
#   validate.sh [KUSTOMIZE_DIR | MANIFEST]...   (default: deploy/kubernetes and exercise 10's solution)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_cluster "$(running_cluster)"
[ "$#" -gt 0 ] || set -- "$REPO_ROOT/deploy/kubernetes" "$REPO_ROOT/solutions/10-sidecar-deployment/pod.yaml"

# The rule, over the objects the API server returned: every pod spec with an ambassador (a container whose name,
# or image name without its repository, says so) must list it under initContainers with restartPolicy Always. Prints one line per offence.
sidecar_offences() {
  jq -r 'def ambassador: (.name | test("ambassador")) or (.image | sub(":[^/]*$"; "") | split("/") | last | test("ambassador"));
    if .kind == "List" then .items[] else . end
    | . as $object | (if .kind == "Pod" then .spec else .spec.template.spec // empty end)
    | ([(.initContainers // [])[] | select(ambassador)]) as $inits
    | ([(.containers // [])[] | select(ambassador)]) as $plain
    | "\($object.kind)/\($object.metadata.name)" as $where
    | if ($inits | length) + ($plain | length) == 0 then "\($where) has no ambassador container"
      else ($plain[] | "\($where): the container \(.name) is listed under containers"),
           ($inits[] | select(.restartPolicy != "Always") | "\($where): the init container \(.name) has no restartPolicy: Always")
      end'
}

# Native sidecars without a startup probe: the kubelet starts the app once their process runs, not once they are
# ready, so the rule asks for one.
unprobed_sidecars() {
  jq -r 'if .kind == "List" then .items[] else . end | (if .kind == "Pod" then .spec else .spec.template.spec // empty end)
    | (.initContainers // [])[] | select(.restartPolicy == "Always" and .startupProbe == null) | .name'
}

failures=0
for path in "$@"; do
  target="$(realpath -m "$path")"
  target="${target#"$REPO_ROOT"/}"   # shown relative to the repository when inside it
  [ -e "$path" ] || { say "FAIL  $target: no such file or directory"; failures=$((failures + 1)); continue; }
  if [ -d "$path" ]; then source_flag=(-k "$path"); else source_flag=(-f "$path"); fi
  if ! out="$(k apply --dry-run=server -o json "${source_flag[@]}" 2>&1)"; then
    say "FAIL  $target: the API server refused it:"
    printf '%s\n' "$out" | sed 's/^/        /'
    failures=$((failures + 1))
    continue
  fi
  offences="$(printf '%s\n' "$out" | sidecar_offences; printf '%s\n' "$out" | unprobed_sidecars \
    | sed 's/$/ has no startupProbe: the kubelet would start the app once its process runs, before it is ready/')"
  if [ -n "$offences" ]; then
    say "FAIL  $target: accepted by the API server, but the ambassador must be a native sidecar: an initContainer"
    say "      with restartPolicy: Always and a startupProbe, so it starts and is ready before the app and stops after it."
    printf '%s\n' "$offences" | sed 's/^/        /'
    failures=$((failures + 1))
    continue
  fi
  say "PASS  $target: accepted by the API server ($(printf '%s\n' "$out" | jq -r '[if .kind == "List" then .items[] else . end
    | "\(.kind)/\(.metadata.name)"] | join(", ")')), the ambassador a native sidecar with a startup probe"
done
[ "$failures" -eq 0 ]
