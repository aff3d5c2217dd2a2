# shellcheck shell=bash disable=SC2034  # sourced: the scripts beside it use these
# Shared by the scripts beside it (sourced, not run): versions, where things live, small helpers.
# Kubernetes stays on 1.34: from 1.35 the kubelet refuses cgroup v1 hosts by default and drops containerd 1.x,
# and Debian bookworm has both.

K8S_VERSION=v1.34.4
K8S_STAGING_VERSION=v0.34.4   # the published k8s.io/* modules that match K8S_VERSION
KINE_VERSION=v0.17.5          # etcd's API on SQLite: one process instead of an etcd cluster
GO_NEEDED=1.26.5              # the highest go line of the modules built here: kine's (Kubernetes' is 1.24.0)
PAUSE_IMAGE=registry.k8s.io/pause:3.10

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
LOCAL_DIR="$REPO_ROOT/deploy/kubernetes/local"

# Binaries are cached by version outside the clone, so a second run and a second clone reuse them.
K8S_CACHE="${LAB_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ambassador-lab/k8s}"
K8S_BIN="$K8S_CACHE/kubernetes-$K8S_VERSION/bin"
KINE_BIN="$K8S_CACHE/kine-$KINE_VERSION/bin"
PAUSE_TAR="$K8S_CACHE/kubernetes-$K8S_VERSION/pause-${PAUSE_IMAGE##*:}.oci.tar"
CNI_BIN="$K8S_CACHE/cni/usr/lib/cni"
K8S_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl)

# Everything a running cluster owns (pids, certificates, logs, data) lives here; 'down' removes it.
STATE="${LAB_K8S_STATE:-/var/tmp/ambassador-lab-k8s}"
KUBECONFIG_FILE="$STATE/admin.kubeconfig"
CONTAINERD_SOCK="$STATE/containerd/containerd.sock"
BRIDGE=labk8s0
CNI_NETWORK=ambassador-lab   # the CNI network name: cached results are named after it
POD_SUBNET=10.244.0.0/24
SERVICE_SUBNET=10.96.0.0/12
NODE_NAME=ambassador-lab-node
DOCKER="${DOCKER:-$(command -v /usr/bin/docker || command -v docker || true)}"   # Debian's client where it exists

# Host settings the kubelet and the CNI bridge change; 'up' records them and 'down' puts them back.
HOST_SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory kernel.keys.root_maxkeys kernel.keys.root_maxbytes
  net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables)

say() { printf '%s\n' "$*"; }
fail() { printf 'k8s: %s\n' "$*" >&2; exit 1; }

ctr_local() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

# install_package PACKAGE: apt-get install as root on Debian or Ubuntu; says so and fails anywhere else.
install_package() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "install $1 (Debian's package)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq >/dev/null \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; }
  else
    fail "Debian's package $1 is needed: install it (as root: apt-get install $1)"
  fi
}
# need COMMAND PACKAGE and need_file FILE PACKAGE: install PACKAGE when the command or file is missing.
need() { command -v "$1" >/dev/null 2>&1 || install_package "$2"; command -v "$1" >/dev/null 2>&1 || fail "no '$1' after installing $2"; }
need_file() { [ -e "$1" ] || install_package "$2"; [ -e "$1" ] || fail "no $1 after installing $2"; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND every half second until it succeeds, or fails naming WHAT.
wait_for() {
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

# The address the node registers with: the kubelet refuses loopback, so it is the address of the default route.
node_ip() { ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n 1; }

# The ports the built-in cluster listens on (all but the kubelet's on loopback): 'up' refuses to start over them.
CLUSTER_PORTS=(2379 2381 6443 10257 10259 10248 10250)

# kind, where a learner has it: one cluster of this name, images loaded with 'kind load docker-image'.
KIND_CLUSTER=ambassador-lab
KIND_NODE="$KIND_CLUSTER-control-plane"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$REPO_ROOT/pom.xml" | head -n 1; }
image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
# WireMock for the mock Cat API: the public image when the engine has it, otherwise the local stand-in.
wiremock_image() {
  local public
  public="wiremock/wiremock:$(pom_property wiremock.version)"
  if image_exists "$public"; then echo "$public"; else echo "ambassador-lab/wiremock:$(pom_property wiremock.version)"; fi
}

# Paths outside $STATE that the kubelet and the runtime create whatever their configuration says: runc's state,
# one cgroup per controller, the CNI library's result cache, the kubelet's device-plugin socket. 'down' removes
# those that were not there before 'up' (only empty directories and sockets, so nothing else is ever deleted).
host_paths() {
  local controller
  printf '%s\n' /run/containerd/runc/k8s.io /run/containerd/runc /var/lib/cni/results /var/lib/cni /var/lib/kubelet
  for controller in /sys/fs/cgroup/*/; do echo "${controller}k8s.io"; done
}

# The iptables tables there are, as 'TOOL TABLE' lines: with iptables' nf_tables backend a table stays once created.
list_tables() {
  local tool
  for tool in iptables ip6tables; do
    command -v "$tool-save" >/dev/null 2>&1 && "$tool-save" 2>/dev/null | sed -n "s/^\*/$tool /p"
  done
  return 0
}

# The iptables chains the kubelet and the CNI plugins create, as 'TOOL TABLE CHAIN' lines.
list_chains() {
  local tool
  for tool in iptables ip6tables; do
    command -v "$tool-save" >/dev/null 2>&1 || continue
    "$tool-save" 2>/dev/null | awk -v tool="$tool" '/^\*/ {table = substr($0, 2)} /^:(KUBE-|CNI-)/ {print tool, table, substr($1, 2)}'
  done
}

alive() { [ -f "$STATE/pids/$1" ] && kill -0 "$(cat "$STATE/pids/$1")" 2>/dev/null; }

# The cluster the commands talk to: builtin while the built-in API server runs, kind while the lab's kind cluster
# exists, otherwise none.
running_cluster() {
  if alive kube-apiserver; then echo builtin
  elif command -v kind >/dev/null 2>&1 && kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; then echo kind
  else echo none
  fi
}

# The kubectl for a cluster (KUBECTL), and the commands that run where its pods are (NODE_CURL, NODE_CTR): on this
# host for the built-in cluster, inside kind's node container for kind. Arrays, so a background job's $! is the
# command itself.
use_cluster() {
  case "$1" in
    builtin)
      KUBECTL=("$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE")
      NODE_CURL=(curl)
      NODE_CTR=(ctr --address "$CONTAINERD_SOCK" --namespace k8s.io) ;;
    kind)
      KUBECTL=(kubectl --context "kind-$KIND_CLUSTER")
      NODE_CURL=("$DOCKER" exec "$KIND_NODE" curl)
      NODE_CTR=("$DOCKER" exec "$KIND_NODE" ctr --namespace k8s.io) ;;
    *) fail "no cluster is running: start one with ./lab k8s up" ;;
  esac
  CLUSTER="$1"
}
k() { "${KUBECTL[@]}" "$@"; }
