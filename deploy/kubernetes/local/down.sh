#!/usr/bin/env bash
# Stops the cluster 'up.sh' started and undoes what it changed on the host. For the built-in cluster: the pods are
# deleted through the API first (the kubelet then tears their networks down through CNI), then every process is
# stopped; whatever a crash left behind is swept (runtime tasks, processes inside $STATE, mounts, the paths the
# kubelet and runtime create outside $STATE, the bridge, the KUBE-*/CNI-* iptables chains and the tables that were
# not there before 'up'), the sysctls 'up' recorded are put back, and $STATE is removed. It ends by checking each of these and says what, if anything, is left.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ "$(running_cluster)" = kind ]; then
  kind delete cluster --name "$KIND_CLUSTER"
  exit 0
fi
[ -d "$STATE" ] || { say "No built-in cluster to stop ($STATE does not exist)."; exit 0; }
[ "$(id -u)" = 0 ] || fail "the built-in cluster runs as root: run down as root too"

# stop NAME: SIGTERM, then SIGKILL after 30 s.
stop() {
  alive "$1" || return 0
  local pid; pid="$(cat "$STATE/pids/$1")"
  kill -TERM "$pid" 2>/dev/null || true
  wait_for 30 "$1 to stop" bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
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
stop kube-apiserver
stop kine

# Processes a crash may have left: runtime shims of this containerd, and anything whose root is inside $STATE.
leftover_processes() {
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$CONTAINERD_SOCK" \
        || [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$STATE"/* ]]; then
      echo "$pid"
    fi
  done
}
pids="$(leftover_processes)"
[ -z "$pids" ] || { kill -KILL $pids 2>/dev/null || true; say "killed  leftover processes $(echo $pids)"; }

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
[ -z "$(leftover_processes)" ] || problems+=("processes: $(echo $(leftover_processes))")
for name in "$STATE"/pids/*; do [ -e "$name" ] && alive "$(basename "$name")" && problems+=("process $(basename "$name")"); done
[ -z "$(state_mounts)" ] || problems+=("mounts: $(echo $(state_mounts))")
[ -z "$(new_paths)" ] || problems+=("paths: $(echo $(new_paths))")
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
say "The built-in cluster is down: no process, mount, bridge, iptables chain or sysctl change is left, and $STATE is gone."
