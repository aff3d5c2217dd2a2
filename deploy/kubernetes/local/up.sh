#!/usr/bin/env bash
# Starts a single-node Kubernetes for the lab and loads the lab's images into it.
#   kind, when it is installed (a learner's laptop with a registry): 'kind create cluster', 'kind load docker-image'.
#   Otherwise the built-in cluster (CI, air-gapped classrooms): kine, kube-apiserver, controller-manager and
#   scheduler on loopback, a containerd of its own with CRI on, and a kubelet; all state in $STATE.
# LAB_K8S=kind or LAB_K8S=builtin chooses; 'down.sh' stops either and undoes what 'up' changed on the host.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${LAB_K8S:-auto}" in
  auto) if command -v kind >/dev/null 2>&1 && command -v kubectl >/dev/null 2>&1; then wanted=kind; else wanted=builtin; fi ;;
  kind | builtin) wanted="$LAB_K8S" ;;
  *) fail "LAB_K8S is '$LAB_K8S': use kind, builtin or leave it unset" ;;
esac

# run_the_pod: the lab's images and pod in the cluster, and how to reach it.
run_the_pod() {
  "$LOCAL_DIR/images.sh"
  "$LOCAL_DIR/deploy.sh"
  use_cluster "$(running_cluster)"
  local ip; ip="$(k -n ambassador-lab get pods -o json | jq -r '[.items[] | select(.spec.initContainers)][0].status.podIP')"
  say ""
  if [ "$CLUSTER" = kind ]; then
    say "Try: kubectl --context kind-$KIND_CLUSTER -n ambassador-lab port-forward deployment/cat-app 5000 &"
    say "     curl -i localhost:5000/images/latest"
  else
    say "Try: curl -i http://$ip:5000/images/latest      (the app, on its pod's IP: no Service routing here)"
    say "     export KUBECONFIG=$KUBECONFIG_FILE PATH=$K8S_BIN:\$PATH"
    say "     kubectl -n ambassador-lab get pods"
  fi
  say "./lab k8s check checks it; ./lab k8s down removes the cluster."
}

running="$(running_cluster)"
if [ "$running" != none ]; then
  say "The $running cluster is already up: bringing the lab's images and pod up to date."
  run_the_pod
  exit 0
fi

if [ "$wanted" = kind ]; then
  say "Using kind ($(command -v kind)); LAB_K8S=builtin ./lab k8s up uses the built-in cluster instead."
  say "kind pulls its node image from Docker Hub: with no registry at hand, use the built-in cluster."
  kind create cluster --name "$KIND_CLUSTER" --wait 120s
  run_the_pod
  exit 0
fi

say "Using the built-in cluster (Kubernetes $K8S_VERSION built from source; no kind on this machine, or LAB_K8S=builtin)."
[ "$(uname -s)" = Linux ] || fail "the built-in cluster needs Linux (a kubelet and containerd): install kind instead"
[ "$(id -u)" = 0 ] || fail "the built-in cluster runs a kubelet and a container runtime, which need root: run as root"
need containerd containerd
need runc runc
need iptables iptables
need openssl openssl
need ip iproute2
need curl curl
need jq jq
"$LOCAL_DIR/build.sh"
# A cluster that died without 'down' left its state and perhaps mounts: 'down' sweeps them before anything is reused.
[ ! -d "$STATE" ] || { say "Cleaning up after an earlier cluster that was not stopped ($STATE)..."; "$LOCAL_DIR/down.sh"; }
for port in "${CLUSTER_PORTS[@]}"; do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port is in use: the built-in cluster needs it (is another cluster running?)"
done
NODE_IP="$(node_ip)"
[ -n "$NODE_IP" ] || fail "no default route: the kubelet needs a non-loopback address to register the node with"
t0=$SECONDS

mkdir -p "$STATE"/{pids,logs,kine,cni/net.d,cni/ipam,containerd,kubelet,pod-logs,host}
chmod 700 "$STATE"

# What 'down' puts back: the sysctls the kubelet and the CNI bridge set; what it leaves: the iptables tables and
# chains and the paths (see host_paths) already there.
for key in "${HOST_SYSCTLS[@]}"; do
  value="$(sysctl -n "$key" 2>/dev/null)" && printf '%s=%s\n' "$key" "$value"
done >"$STATE/host/sysctls"
list_chains >"$STATE/host/chains"
list_tables >"$STATE/host/tables"
for path in $(host_paths); do [ ! -e "$path" ] || echo "$path"; done >"$STATE/host/paths"

"$LOCAL_DIR/certs.sh" "$NODE_IP"
pki="$STATE/pki"

# daemon NAME COMMAND...: starts a component in its own session (Ctrl-C in this terminal does not reach it).
daemon() {
  local name="$1"; shift
  setsid "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/pids/$name"
}
# ready NAME SECONDS COMMAND...: waits for COMMAND to succeed; stops with the component's log if it died or timed out.
ready() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! alive "$name" || [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$STATE/logs/$name.log" >&2
      fail "$name did not get ready within $seconds s (log above: $STATE/logs/$name.log); ./lab k8s down cleans up"
    fi
    sleep 0.5
  done
  say "ready   $name ($((SECONDS - t0)) s)"
}
https_ok() { curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$1"; }

# etcd's API on SQLite. Its metrics move off :8080, where a lab service could listen.
daemon kine "$KINE_BIN/kine" --listen-address=127.0.0.1:2379 --metrics-bind-address=127.0.0.1:2381 \
  --endpoint="sqlite://$STATE/kine/state.db?_journal=WAL&cache=shared"
ready kine 30 bash -c '(exec 3<>/dev/tcp/127.0.0.1/2379)'

daemon kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=6443 \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/service-accounts.pub" --service-account-signing-key-file="$pki/service-accounts.key" \
  --service-cluster-ip-range="$SERVICE_SUBNET" --authorization-mode=Node,RBAC --allow-privileged=true \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$pki/ca.crt" --kubelet-preferred-address-types=InternalIP --profiling=false
ready kube-apiserver 90 https_ok https://127.0.0.1:6443/readyz

# Leader election is for several replicas; there is one of each. The controller manager signs with the cluster's CA.
daemon kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig="$STATE/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10257 --leader-elect=false --use-service-account-credentials=true \
  --service-account-private-key-file="$pki/service-accounts.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --service-cluster-ip-range="$SERVICE_SUBNET" --profiling=false
daemon kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$STATE/scheduler.kubeconfig" \
  --authentication-kubeconfig="$STATE/scheduler.kubeconfig" --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false --profiling=false
# Ready once it answers and has created the 'default' service account every pod needs.
controller_manager_ready() {
  curl -fsSk https://127.0.0.1:10257/healthz && "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get serviceaccount default
}
ready kube-controller-manager 60 controller_manager_ready
ready kube-scheduler 60 curl -fsSk https://127.0.0.1:10259/healthz

# A containerd of its own: Docker's has CRI turned off, and this one keeps every file under $STATE (network
# namespaces included), so 'down' finds all it mounted. The kubelet asks it for no OOM score it may not set (root
# here may lack CAP_SYS_RESOURCE), and no AppArmor profile is loaded into the host's kernel.
cat >"$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$STATE/cni/net.d"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
EOF
# One bridge for the node's pods; the firewall plugin lets them reach each other through a FORWARD chain whose
# policy may be DROP (Docker sets that). No masquerading: the pods need nothing outside the node.
cat >"$STATE/cni/net.d/10-$CNI_NETWORK.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_SUBNET"}]], "dataDir": "$STATE/cni/ipam"}
    },
    {"type": "firewall", "backend": "iptables"}
  ]
}
EOF
daemon containerd containerd --config "$STATE/containerd/config.toml"
ready containerd 30 ctr_local version
ctr_local images import "$PAUSE_TAR" >/dev/null

# cgroupfs and no per-QoS cgroups: what works on this host's cgroup v1 without systemd. The kubelet listens on the
# node's address with a certificate for it, so the API server reaches it for logs, exec and port-forward; only
# clients with a certificate from the cluster's CA get in.
cat >"$STATE/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: AlwaysAllow}
tlsCertFile: $pki/kubelet.crt
tlsPrivateKeyFile: $pki/kubelet.key
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
podLogsDirectory: $STATE/pod-logs
resolvConf: /etc/resolv.conf
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
localStorageCapacityIsolation: false
EOF
daemon kubelet "$K8S_BIN/kubelet" --config="$STATE/kubelet/config.yaml" --kubeconfig="$STATE/kubelet.kubeconfig" \
  --root-dir="$STATE/kubelet" --cert-dir="$STATE/kubelet/pki" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=2
node_ready() {
  [ "$("$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get node "$NODE_NAME" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}
ready kubelet 120 node_ready

say "The built-in cluster is up in $((SECONDS - t0)) s (Kubernetes $K8S_VERSION, node $NODE_NAME at $NODE_IP; state in $STATE)."
run_the_pod
