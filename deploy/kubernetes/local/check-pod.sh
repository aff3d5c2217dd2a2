#!/usr/bin/env bash
# The lab's pod running for real (deploy.sh --fresh), checked from outside: the start order from the pod's status
# as the API server saw it, HTTP on the pod's IP, files inside the containers (kubectl exec), and the stop order
# from the container runtime's own exit events. Ports and paths are read from the pod, not assumed: the admin port
# is the sidecar's port named 'admin' (else its probe's port), the app's port the one named 'http'.
# Prints PASS or FAIL per property; the exit status is 1 when any fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_cluster "$(running_cluster)"
NS=ambassador-lab
kn() { k --namespace "$NS" "$@"; }
work="$(mktemp -d)"
watchers=()
cleanup() { [ "${#watchers[@]}" -eq 0 ] || kill "${watchers[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
failures=0
pass() { say "PASS  $*"; }
failed() { say "FAIL  $*"; failures=$((failures + 1)); }

# What the API server and the container runtime see while the pod starts and stops: every change of the namespace's
# pods, and the runtime's task start and exit events (nanosecond times).
k create namespace "$NS" --dry-run=client -o yaml | k apply -f - >/dev/null
"${KUBECTL[@]}" --namespace "$NS" get pods --watch --output json >"$work/pods.json" 2>/dev/null &
watchers+=($!)
"${NODE_CTR[@]}" events >"$work/events.txt" 2>/dev/null &
watchers+=($!)

say "Deploying the lab's pod afresh (deploy/kubernetes, one replica, the mock Cat API beside it)..."
"$LOCAL_DIR/deploy.sh" --fresh
selector="$(kn get deployment -o json | jq -r '.items[0].spec.selector.matchLabels | to_entries | map("\(.key)=\(.value)") | join(",")')"
pod="$(kn get pods --selector "$selector" -o json | jq -c '[.items[] | select(.metadata.deletionTimestamp == null)] | .[0]')"
[ "$pod" != null ] || fail "no pod of the lab's Deployment is running"
name="$(jq -r .metadata.name <<<"$pod")"
uid="$(jq -r .metadata.uid <<<"$pod")"
ip="$(jq -r .status.podIP <<<"$pod")"
sidecar="$(jq -r '[.spec.initContainers // [] | .[] | select(.restartPolicy == "Always")][0].name // empty' <<<"$pod")"
app="$(jq -r '.spec.containers[0].name' <<<"$pod")"
[ -n "$sidecar" ] || fail "the pod $name has no native sidecar (an init container with restartPolicy: Always)"
# port_of CONTAINER_JSON PORT: a probe's port, a number or the name of one of the container's ports.
port_of() { jq -r --arg p "$2" 'if ($p | test("^[0-9]+$")) then $p else (.ports[] | select(.name == $p) | .containerPort) end' <<<"$1"; }
sidecar_spec="$(jq -c --arg n "$sidecar" '.spec.initContainers[] | select(.name == $n)' <<<"$pod")"
app_spec="$(jq -c --arg n "$app" '.spec.containers[] | select(.name == $n)' <<<"$pod")"
admin_port="$(jq -r '(.ports // [] | map(select(.name == "admin")) | .[0].containerPort)
  // ((.readinessProbe // .startupProbe // .livenessProbe).httpGet.port) // empty' <<<"$sidecar_spec")"
admin_port="$(port_of "$sidecar_spec" "$admin_port")"
app_port="$(jq -r '(.ports // [] | map(select(.name == "http")) | .[0].containerPort) // .ports[0].containerPort' <<<"$app_spec")"
say "The pod $name at $ip: sidecar '$sidecar' (admin port $admin_port), app '$app' (port $app_port)."

# 1. Start order, from the statuses the kubelet reported: one in which the sidecar was up while the app had not
#    started yet, before any in which the app runs. Up means started when the sidecar has a startup probe (the
#    kubelet marks it started once the probe passes, and only then starts the app); without one, started only
#    means its process runs, so up means ready.
if jq -e .startupProbe <<<"$sidecar_spec" >/dev/null; then up_field=started; probe_kind="startup probe"
else up_field=ready; probe_kind="readiness probe"; fi
order="$(jq -s -c --arg uid "$uid" --arg s "$sidecar" --arg a "$app" --arg up "$up_field" '
  [ .[] | select(.metadata.uid == $uid)
    | { side: ((.status.initContainerStatuses // []) | map(select(.name == $s)) | .[0]),
        app: ((.status.containerStatuses // []) | map(select(.name == $a)) | .[0]) } ]
  | (to_entries | map(select(.value.side[$up] == true)) | .[0]) as $sidecar_up
  | (to_entries | map(select(.value.app.state.running or .value.app.state.terminated)) | .[0]) as $app_up
  | { sidecar_up: $sidecar_up.key, app_up: $app_up.key,
      app_then: ($sidecar_up.value.app.state.waiting.reason // ($sidecar_up.value.app.state | keys | join(","))),
      side_started: $app_up.value.side.state.running.startedAt, app_started: $app_up.value.app.state.running.startedAt }' \
  "$work/pods.json")"
probe="$(jq -r '(.startupProbe // .readinessProbe // {httpGet: {path: "(none)", port: 0}}).httpGet
  | "GET \(.path) on port \(.port)"' <<<"$sidecar_spec")"
probe="$probe_kind ${probe% *} $(port_of "$sidecar_spec" "${probe##* }")"
if jq -e '.sidecar_up != null and .app_up != null and .sidecar_up < .app_up' <<<"$order" >/dev/null; then
  pass "start order: the $sidecar was $up_field (its $probe passed) while the $app was still" \
    "$(jq -r .app_then <<<"$order"); the $app started after it ($sidecar $(jq -r .side_started <<<"$order")," \
    "$app $(jq -r .app_started <<<"$order"))"
else
  failed "start order: the $app started before the $sidecar was $up_field (its $probe): no pod status showed" \
    "the $sidecar $up_field while the $app waited (statuses $order)"
fi

# 2. Both containers ready.
readiness="$(kn get pod "$name" -o json | jq -r --arg s "$sidecar" --arg a "$app" \
  '[(.status.initContainerStatuses[] | select(.name == $s)), (.status.containerStatuses[] | select(.name == $a))] | map("\(.name)=\(.ready)") | join(" ")')"
if [ "$readiness" = "$sidecar=true $app=true" ]; then pass "both containers ready ($readiness)"; else failed "not both ready: $readiness"; fi

# 3. A cat through the app, on the pod's IP: the app calls its ambassador on localhost, the ambassador the mock.
answer="$("${NODE_CURL[@]}" -sS -w '\n%{http_code}' --max-time 20 "http://$ip:$app_port/images/latest" 2>&1 || true)"
code="${answer##*$'\n'}"
body="${answer%$'\n'*}"
image_id="$(jq -r '.image_id // empty' <<<"$body" 2>/dev/null || true)"
if [ "$code" = 200 ] && [ -n "$image_id" ]; then
  pass "GET http://$ip:$app_port/images/latest through the $app: 200, image $image_id"
else
  failed "GET http://$ip:$app_port/images/latest answered $code: $(head -c 300 <<<"$body")"
fi

# 4. The image saved in the sidecar's images directory (IMAGES_DIR, as the sidecar sees it).
images_dir="$(kn exec "$name" -c "$sidecar" -- printenv IMAGES_DIR 2>/dev/null || true)"
saved="$(kn exec "$name" -c "$sidecar" -- ls -l "${images_dir:-/images}" 2>&1 || true)"
if [ -n "$image_id" ] && grep -q " $image_id\." <<<"$saved"; then
  pass "the image is saved in the $sidecar's ${images_dir:-/images}: $(grep " $image_id\." <<<"$saved" | awk '{print $NF, $5 " bytes"}')"
else
  failed "no file for image '${image_id:-?}' in the $sidecar's ${images_dir:-/images}: $saved"
fi

# 5. Metrics on the admin port, counting the request just made.
metrics="$("${NODE_CURL[@]}" -fsS --max-time 10 "http://$ip:$admin_port/metrics" 2>&1 || true)"
requests="$(awk '/^ambassador_requests_total[{ ]/ {s += $NF} END {print s + 0}' <<<"$metrics")"
saved="$(awk '/^ambassador_images_saved_total[{ ]/ {s += $NF} END {print s + 0}' <<<"$metrics")"
if awk -v r="$requests" -v s="$saved" 'BEGIN {exit !(r >= 1 && s >= 1)}'; then
  pass "GET http://$ip:$admin_port/metrics (the $sidecar's admin port) counts it: ambassador_requests_total $requests," \
    "ambassador_images_saved_total $saved"
else
  failed "GET http://$ip:$admin_port/metrics does not count the request: $(head -c 300 <<<"$metrics")"
fi

# 6. The proxy port adds the API key, so only the app beside it may reach it: closed on the pod's IP. Its port is
#    the one in the app's AMBASSADOR_URL.
proxy_port="$(jq -r '.env // [] | map(select(.name == "AMBASSADOR_URL"))[0].value // empty | capture(":(?<p>[0-9]+)").p // empty' <<<"$app_spec")"
if [ -z "$proxy_port" ]; then
  failed "the $app has no AMBASSADOR_URL with a port: how does it reach the $sidecar?"
elif "${NODE_CURL[@]}" -sS -o /dev/null --max-time 5 "http://$ip:$proxy_port/health" 2>/dev/null; then
  failed "the $sidecar's proxy port $proxy_port (it adds the API key) answers on the pod's IP $ip: bind it to loopback"
else
  pass "the $sidecar's proxy port $proxy_port (it adds the API key) is closed on the pod's IP; the $app reaches it on localhost"
fi

# 7. The Cat API key: a file in the sidecar, nowhere in the app (neither the file nor the environment).
key_file="$(kn exec "$name" -c "$sidecar" -- printenv CAT_API_KEY_FILE 2>/dev/null || true)"
if [ -z "$key_file" ]; then
  failed "the $sidecar has no CAT_API_KEY_FILE: where is its key?"
elif ! kn exec "$name" -c "$sidecar" -- test -s "$key_file" 2>/dev/null; then
  failed "the key file $key_file is missing or empty in the $sidecar"
elif kn exec "$name" -c "$app" -- test -e "$key_file" 2>/dev/null; then
  failed "the $app can read the key file $key_file: mount the Secret into the $sidecar only"
elif kn exec "$name" -c "$app" -- printenv 2>/dev/null | grep -q '^CAT_API_KEY'; then
  failed "the $app has a CAT_API_KEY variable: the key belongs to the $sidecar only"
else
  pass "the key file $key_file is in the $sidecar and not in the $app (nor in its environment)"
fi

# 8. Stop order, from the runtime's exit events: the app exits first, the sidecar after it.
side_id="$(jq -r --arg s "$sidecar" '.status.initContainerStatuses[] | select(.name == $s) | .containerID | sub(".*://"; "")' <<<"$(kn get pod "$name" -o json)")"
app_id="$(jq -r --arg a "$app" '.status.containerStatuses[] | select(.name == $a) | .containerID | sub(".*://"; "")' <<<"$(kn get pod "$name" -o json)")"
kn delete pod "$name" --wait=true >/dev/null
exited_at() { sed -n 's|^.*/tasks/exit ||p' "$work/events.txt" | jq -r --arg id "$1" 'select(.container_id == $id and .id == $id) | .exited_at'; }
both_exited() { [ -n "$(exited_at "$side_id")" ] && [ -n "$(exited_at "$app_id")" ]; }
wait_for 30 "the exit events" both_exited || true
side_exit="$(exited_at "$side_id")"
app_exit="$(exited_at "$app_id")"
if [ -n "$side_exit" ] && [ -n "$app_exit" ] && [ "$(date -d "$app_exit" +%s%N)" -lt "$(date -d "$side_exit" +%s%N)" ]; then
  pass "stop order: the $app exited at $app_exit, the $sidecar after it at $side_exit" \
    "($(( ($(date -d "$side_exit" +%s%N) - $(date -d "$app_exit" +%s%N)) / 1000000 )) ms later)"
else
  failed "stop order: the $app exited at ${app_exit:-?}, the $sidecar at ${side_exit:-?} (from the runtime's exit events)"
fi
say "(The Deployment starts a new pod in its place.)"
[ "$failures" -eq 0 ]
