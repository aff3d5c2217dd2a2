#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io when there is none, and starts dockerd when it is
# not running. For CI machines and fresh Debian hosts; on a laptop, start Docker Desktop instead.
set -euo pipefail
docker="$(command -v /usr/bin/docker || command -v docker || true)"
if [ -n "$docker" ] && "$docker" info >/dev/null 2>&1; then
  echo "Docker engine already running"
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "Installing Docker needs root: run as root or install Docker yourself" >&2; exit 1; }
  echo "Installing Debian's docker.io..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  docker=/usr/bin/docker
fi
echo "Starting dockerd..."
log="${TMPDIR:-/tmp}/dockerd.log"
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 120); do
  "$docker" info >/dev/null 2>&1 && { echo "Docker engine running ($("$docker" version --format '{{.Server.Version}}'))"; exit 0; }
  sleep 0.5
done
echo "dockerd did not answer within 60 s; its log ($log):" >&2
tail -n 30 "$log" >&2
exit 1
