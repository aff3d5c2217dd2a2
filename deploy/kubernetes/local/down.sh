#!/usr/bin/env bash
# Stops the cluster 'up.sh' started and undoes what it changed on the host. For the built-in cluster: the pods are
# deleted through the API first (the kubelet then tears their networks down through CNI), then every process is
# stopped. Whatever a crash left behind is swept: containers still running, shims, mounts under $STATE, the paths
# the kubelet and runtime create outside it, the bridge, the KUBE-*/CNI-* iptables chains and the tables that were
# not there before 'up'. The sysctls 'up' recorded are put back. It ends by checking each of these: when nothing is
# left, $STATE is removed; otherwise it says what is left and keeps $STATE.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ "$(running_cluster)" = kind ]; then
  kind delete cluster --name "$KIND_CLUSTER"
  exit 0
fi
[ -d "$STATE" ] || { say "No built-in cluster to stop ($STATE does not exist)."; exit 0; }
[ "$(id -u)" = 0 ] || fail "the built-in cluster runs as root: run down as root too"

# stop NAME [SECONDS]: SIGTERM, then SIGKILL after SECONDS (30).
stop() {
  alive "$1" || return 0
  local pid; pid="$(cat "$STATE/pids/$1")"
  kill -TERM "$pid" 2>/dev/null || true
  wait_for "${2:-30}" "$1 to stop" bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
  wait_for 5 "$1 to stop" bash -c "! kill -0 $pid 2>/dev/null" || true
  say "stopped $1"
}
tasks() { ctr_local tasks ls -q 2>/dev/null; }

# Controllers first, so nothing recreates the pods deleted next.
stop kube-scheduler
stop kube-controller-manager
if alive kube-apiserver && alive kubelet; then
  "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" delete pods --all --all-namespaces --wait=true --timeout=90s >/dev/null 2>&1 || true
  alive containerd && { wait_for 60 "pod sandboxes to stop" bash -c "[ -z \"\$(ctr --address '$CONTAINERD_SOCK' -n k8s.io tasks ls -q)\" ]" || true; }
fi
stop kubelet
if alive containerd; then
  # Anything still running (the kubelet was gone or too slow): killed and removed through the runtime.
  for task in $(tasks); do ctr_local tasks kill --signal SIGKILL "$task" >/dev/null 2>&1 || true; done
  wait_for 10 "tasks to exit" bash -c "! ctr --address '$CONTAINERD_SOCK' -n k8s.io tasks ls | grep -q RUNNING" || true
  for task in $(tasks); do ctr_local tasks delete --force "$task" >/dev/null 2>&1 || true; done
  for container in $(ctr_local containers ls -q 2>/dev/null); do ctr_local containers delete "$container" >/dev/null 2>&1 || true; done
fi
stop containerd
# The API server waits up to a minute for open watches (a learner's 'kubectl get -w') to end; its data is about to
# be deleted, so ten seconds are enough.
stop kube-apiserver 10
stop kine

# Containers a crash left running (their containerd or shim was gone): runc, which created them, kills them and
# removes their state in /run/containerd/runc and their cgroups. Their bundles in $STATE say which they are.
containers="$(ls "$STATE/containerd/state/io.containerd.runtime.v2.task/k8s.io" 2>/dev/null || true)"
for id in $containers; do
  runc --root /run/containerd/runc/k8s.io delete --force "$id" >/dev/null 2>&1 && say "removed container $id" || true
done
container_processes() { local id; for id in $containers; do cat /sys/fs/cgroup/*/k8s.io/"$id"/cgroup.procs 2>/dev/null; done | sort -u; }
# Processes that talk to this containerd: shims whose containerd was killed, clients.
leftover_processes() {
  local proc
  for proc in /proc/[0-9]*; do
    { tr '\0' ' ' <"$proc/cmdline"; } 2>/dev/null | grep -qF -- "$CONTAINERD_SOCK" && echo "${proc#/proc/}"
  done
  return 0
}
pids="$(leftover_processes)"
[ -z "$pids" ] || { kill -KILL $pids 2>/dev/null || true; say "killed  leftover processes $(tr '\n' ' ' <<<"$pids")"; }

# Sandboxes whose network was never torn down (CNI DEL did not run) leave the CNI library's cached results: those
# of this cluster's network, and the loopback results of the same sandboxes.
for result in /var/lib/cni/results/"$CNI_NETWORK"-*; do
  [ -e "$result" ] || continue
  sandbox="${result#/var/lib/cni/results/"$CNI_NETWORK"-}"
  rm -f "$result" "/var/lib/cni/results/cni-loopback-${sandbox%-*}-lo"
done

# Mounts under $STATE (container root file systems, shm, network namespaces, secret volumes), deepest first.
state_mounts() { awk -v state="$STATE" 'index($2, state "/") == 1 {print $2}' /proc/mounts | sort -r; }
for mount in $(state_mounts); do umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true; done

# The paths outside $STATE that 'up' created (see host_paths): sockets and empty directories, deepest first.
new_paths() { for path in $(host_paths); do [ ! -e "$path" ] || grep -qxF "$path" "$STATE/host/paths" || echo "$path"; done; }
for path in $(new_paths); do
  find "$path" -depth -type s -delete 2>/dev/null || true
  find "$path" -depth -type d -exec rmdir {} + 2>/dev/null || true
done

ip link delete "$BRIDGE" 2>/dev/null && say "removed the bridge $BRIDGE" || true

# The iptables chains that appeared since 'up': the rules that jump to them are deleted, then the chains.
new_chains() { list_chains | grep -vxF -f "$STATE/host/chains" || true; }
while read -r tool table chain; do
  [ -n "$chain" ] || continue
  "$tool" -t "$table" -F "$chain" 2>/dev/null || true
done <<<"$(new_chains)"
while read -r tool table chain; do
  [ -n "$chain" ] || continue
  "$tool-save" -t "$table" 2>/dev/null | sed -n -E "s/^-A (.* -j $chain)( .*)?\$/-D \1\2/p" \
    | while read -r rule; do xargs "$tool" -t "$table" <<<"$rule" 2>/dev/null || true; done
  "$tool" -t "$table" -X "$chain" 2>/dev/null || true
done <<<"$(new_chains)"

# Tables that appeared since 'up' and now hold only their built-in chains: nf_tables keeps them, nft removes them.
new_tables() { list_tables | grep -vxF -f "$STATE/host/tables" || true; }
if command -v nft >/dev/null 2>&1; then
  while read -r tool table; do
    [ -n "$table" ] || continue
    "$tool-save" -t "$table" 2>/dev/null | grep -qE '^-A |^:[^ ]+ - ' \
      || nft delete table "$([ "$tool" = iptables ] && echo ip || echo ip6)" "$table" 2>/dev/null || true
  done <<<"$(new_tables)"
fi

# The sysctls recorded before 'up', where they differ now.
while IFS='=' read -r key value; do
  [ -n "$key" ] || continue
  [ "$(sysctl -n "$key" 2>/dev/null)" = "$value" ] || { sysctl -qw "$key=$value" >/dev/null && say "restored $key=$value"; }
done <"$STATE/host/sysctls"

# What is left, if anything.
problems=()
[ -z "$(leftover_processes)$(container_processes)" ] || problems+=("processes: $({ leftover_processes; container_processes; } | tr '\n' ' ')")
for name in "$STATE"/pids/*; do [ -e "$name" ] && alive "$(basename "$name")" && problems+=("process $(basename "$name")"); done
[ -z "$(state_mounts)" ] || problems+=("mounts: $(state_mounts | tr '\n' ' ')")
[ -z "$(new_paths)" ] || problems+=("paths: $(new_paths | tr '\n' ' ')")
[ -z "$(new_tables)" ] || problems+=("iptables tables: $(new_tables | tr '\n' ' ')")
! ip link show "$BRIDGE" >/dev/null 2>&1 || problems+=("the bridge $BRIDGE")
[ -z "$(new_chains)" ] || problems+=("iptables chains: $(new_chains | tr '\n' ' ')")
while IFS='=' read -r key value; do
  [ -z "$key" ] || [ "$(sysctl -n "$key" 2>/dev/null)" = "$value" ] || problems+=("sysctl $key is $(sysctl -n "$key"), was $value")
done <"$STATE/host/sysctls"
if [ "${#problems[@]}" -gt 0 ]; then
  printf 'k8s: left behind (and %s kept so you can look):\n' "$STATE" >&2
  printf '  %s\n' "${problems[@]}" >&2
  exit 1
fi
rm -rf --one-file-system "$STATE"
say "The built-in cluster is down: no process, mount, path, bridge, iptables chain or table, or sysctl change is left;"
say "$STATE is gone."
