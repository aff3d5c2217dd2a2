#!/usr/bin/env bash
# bench/startup.sh [--quick] OUT_JSON: how long the ambassador and the app take to start, on this machine.
#
# A sidecar starts with every pod and every rollout, and Kubernetes holds the app until the sidecar's startup probe
# passes. Measured, each the median of 10 starts (5 with --quick), with the JVM flags of the images:
#   - the ambassador: process start to GET /health/ready answering 200, without and with the class data sharing
#     archive that its image carries (built here the same way, by a training run of the jar);
#   - the app: process start to its first served request (GET /health answering 200);
#   - the ambassador's image: `docker start` of a created container to /health/ready answering 200, with and without
#     the archive (when a Docker engine is here; the image is built from the current jars).
# RSS is read once ready: the archive's pages are mapped from a file, and the pages of one image's archive are shared by
# every container started from it.
# Prints a table and writes the rows as a JSON array to OUT_JSON.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
starts=10
if [ "${1:-}" = --quick ]; then starts=5; shift; fi
[ "$#" -eq 1 ] || { echo "usage: $0 [--quick] OUT_JSON" >&2; exit 2; }
out_json="$1"
# Ports of their own, apart from the rest of the bench's.
PROXY_PORT=18031 ADMIN_PORT=18931 APP_PORT=18030 CONTAINER_ADMIN_PORT=18932
work="$(mktemp -d)"
container=""
cleanup() {
  [ -n "$container" ] && docker rm -f "$container" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
export MALLOC_ARENA_MAX=2 # as the Dockerfiles set it

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# answers_200 PORT PATH: true when GET PATH on 127.0.0.1:PORT answers 200 (bash's own TCP, no program to start). In
# a subshell: Docker's port proxy accepts a connection before the container listens and then closes it, and the
# write's SIGPIPE would end the script.
answers_200() (
  status=""
  exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  read -r -t 2 _ status _ <&3 || true
  [ "$status" = 200 ]
)

# await_200 PORT PATH PID|"" : polls every 5 ms, for at most 60 s; fails when the process (if any) ends first.
await_200() {
  local deadline=$(( $(now_ms) + 60000 ))
  until answers_200 "$1" "$2" 2>/dev/null; do
    [ -z "$3" ] || kill -0 "$3" 2>/dev/null || { echo "startup: the process stopped while starting; its log: $work/run.log" >&2; return 1; }
    [ "$(now_ms)" -lt "$deadline" ] || { echo "startup: nothing answered 200 on $1$2 within 60 s" >&2; return 1; }
    sleep 0.005
  done
}

rss_mb() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }

# time_process PORT PATH COMMAND...: one start, printed as "MS RSS_MB"; the process is stopped after.
time_process() {
  local port="$1" path="$2" begin pid ms rss; shift 2
  begin="$(now_ms)"
  "$@" >"$work/run.log" 2>&1 &
  pid=$!
  await_200 "$port" "$path" "$pid"
  ms=$(( $(now_ms) - begin ))
  rss="$(rss_mb "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $rss"
}

# time_container: one start of the created container, printed as "MS -"; the container is stopped after.
time_container() {
  local begin ms
  begin="$(now_ms)"
  docker start "$container" >/dev/null
  await_200 "$CONTAINER_ADMIN_PORT" /health/ready ""
  ms=$(( $(now_ms) - begin ))
  docker kill "$container" >/dev/null
  docker wait "$container" >/dev/null
  echo "$ms -"
}

rows=()
# row NAME COMMAND...: $starts starts of one kind; the median, min and max, and the RSS of the median start.
row() {
  local name="$1" results; shift
  results="$(for _ in $(seq 1 "$starts"); do "$@"; done | sort -n)"
  local median min max rss all
  median="$(sed -n "$(( (starts + 1) / 2 ))p" <<<"$results")"
  min="$(head -n 1 <<<"$results" | cut -d' ' -f1)"; max="$(tail -n 1 <<<"$results" | cut -d' ' -f1)"
  rss="${median#* }"; median="${median%% *}"
  all="$(cut -d' ' -f1 <<<"$results" | paste -sd, -)"
  rows+=("$(printf '{"what":"%s","starts":%s,"median_ms":%s,"min_ms":%s,"max_ms":%s,"rss_mb":%s,"all_ms":[%s]}' \
    "$name" "$starts" "$median" "$min" "$max" "$([ "$rss" = - ] && echo null || echo "$rss")" "$all")")
  printf '  %-58s median %5s ms  (%s-%s ms)  RSS %s MB\n' "$name" "$median" "$min" "$max" "$rss"
}

ambassador_env=(env CAT_API_URL=http://127.0.0.1:9/ IMAGES_DIR="$work/images" AMBASSADOR_PORT="$PROXY_PORT"
  ADMIN_PORT="$ADMIN_PORT")
jar="$root/ambassador/target/ambassador.jar"
# The archive, made as the image build makes it (ambassador/Dockerfile): a training run of the same jar.
java -XX:ArchiveClassesAtExit="$work/ambassador.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off @"$root/ambassador/jvm.options" \
  -cp "$jar" dev.ambassadorlab.ambassador.StartupTraining >"$work/training.log" 2>&1 \
  || { cat "$work/training.log" >&2; echo "startup: the training run for the archive failed" >&2; exit 1; }

echo "Start-up, median of $starts starts each:"
row "ambassador: process start to ready, no archive" time_process "$ADMIN_PORT" /health/ready \
  "${ambassador_env[@]}" java @"$root/ambassador/jvm.options" -jar "$jar"
row "ambassador: process start to ready, with the archive" time_process "$ADMIN_PORT" /health/ready \
  "${ambassador_env[@]}" java -XX:SharedArchiveFile="$work/ambassador.jsa" @"$root/ambassador/jvm.options" -jar "$jar"
row "app: process start to its first served request" time_process "$APP_PORT" /health \
  env APP_PORT="$APP_PORT" AMBASSADOR_URL="http://127.0.0.1:$PROXY_PORT" java @"$root/app/jvm.options" -jar "$root/app/target/app.jar"

if docker info >/dev/null 2>&1; then
  "$root/lab-tests/images/images.sh" --services >/dev/null
  for archive in with without; do
    # Without: the image's command line minus the archive.
    entrypoint=() command=()
    if [ "$archive" = without ]; then entrypoint=(--entrypoint java); command=(@jvm.options -jar ambassador.jar); fi
    container="$(docker create -p "127.0.0.1:$CONTAINER_ADMIN_PORT:9901" -e CAT_API_URL=http://127.0.0.1:9/ \
      "${entrypoint[@]}" ambassador-lab/ambassador:latest "${command[@]}")"
    row "ambassador image: docker start to ready, $archive the archive" time_container
    docker rm -f "$container" >/dev/null; container=""
  done
else
  echo "  (no Docker engine here: the container rows are left out; ./lab engine starts one)"
fi
printf '[%s]\n' "$(IFS=,; echo "${rows[*]}")" >"$out_json"
