#!/usr/bin/env bash
# ./lab bench [--quick] [--profile]: the ambassador under load, next to same-run baselines, on this machine.
#
# Starts a fast static upstream (nginx), nginx as a reverse proxy in front of it (the physical reference), a bare
# Javalin + OkHttp proxy on the ambassador's own jars and server settings (the stack's ceiling), the ambassador and
# the app with their container JVM flags, and in the app's place the cheapest relays there are (the bare proxy, nginx),
# then loads each with wrk after a warm-up that lasts until the rate is steady. Then the latency of the direct
# upstream, the two proxies and the ambassador at a fixed request rate, open loop (bench/fixed-rate.sh, with Vegeta).
# Prints the tables and writes them as JSON to target/bench/. Numbers move from machine to machine: read the ratios.
# With --profile, a JFR recording of the ambassador during the /images/latest row at c=16, and its summary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quick=false profile=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --profile) profile=true ;;
    *) echo "bench: unknown option '$arg' (--quick, --profile)" >&2; exit 2 ;;
  esac
done
# The warm-up at c=64 and c=256 follows the one at c=16, so it needs less: at most high_warmup_max seconds.
if $quick; then window=3; row_seconds=5; warmup_min=15; warmup_max=45; high_warmup_max=12
else window=5; row_seconds=15; warmup_min=30; warmup_max=180; high_warmup_max=90; fi
# The c=16 rows that the ratios compare run in many short interleaved rounds (see "paired_ratio").
if $quick; then rounds=5; round_seconds=3; else rounds=11; round_seconds=7; fi
# The c=64 and c=256 rows, each paired with a c=16 row right after it, the same way.
if $quick; then high_rounds=3; high_round_seconds=3; else high_rounds=5; high_round_seconds=7; fi
# The relays in the app's place explain the end-to-end row; the quick run leaves them out to stay short.
relays=true; $quick && relays=false
UPSTREAM_PORT=18080 NGINX_PROXY_PORT=18081 FLAKY_PORT=18082 BARE_PORT=18083 BARE_RELAY_PORT=18084 NGINX_RELAY_PORT=18085
AMBASSADOR_PORT=18001 ADMIN_PORT=18901 APP_PORT=18000 UNTRACED_PORT=18002 UNTRACED_ADMIN_PORT=18902
out="$root/target/bench"
work="$(mktemp -d)"
chmod 755 "$work" # nginx's workers run as another user and must read the files
pids=()
# The process id of each service by name (ambassador, app, bare, untraced, bare_relay).
declare -A pid=()

say() { printf '%s\n' "$*"; }
fail() { printf 'bench: %s\n' "$*" >&2; exit 1; }

cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ "${#pids[@]}" -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
  [ -n "${images_dir:-}" ] && rm -rf "$images_dir"
}
trap cleanup EXIT

need_tools() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing ${missing[*]} (Debian's packages)..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    fail "the bench needs ${missing[*]}: install them (Debian/Ubuntu: apt-get install wrk nginx-light; macOS: brew install wrk nginx)"
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # NAME PORT PID
  for _ in $(seq 1 300); do
    port_open "$2" && return 0
    kill -0 "$3" 2>/dev/null || fail "$1 stopped while starting; its log: $work/$1.log"
    sleep 0.2
  done
  fail "$1 did not listen on $2 within 60 s; its log: $work/$1.log"
}

start() { # NAME PORT COMMAND...: starts a service in the background and waits until it listens
  local name="$1" port="$2"; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  pid["$name"]=$!
  wait_for "$name" "$port" "$!"
}

start_everything() {
  # A port that answers already belongs to something else, which the bench would measure in its service's place.
  local port; for port in "$UPSTREAM_PORT" "$NGINX_PROXY_PORT" "$FLAKY_PORT" "$BARE_PORT" "$BARE_RELAY_PORT" \
      "$NGINX_RELAY_PORT" "$AMBASSADOR_PORT" "$ADMIN_PORT" "$APP_PORT" "$UNTRACED_PORT" "$UNTRACED_ADMIN_PORT"; do
    port_open "$port" && fail "port $port is in use by another process: the bench needs it for its own services"
  done
  mkdir -p "$work/www/images" "$work/tmp"
  # The ambassador saves each image: on this kind of VM the root disk discards blocks on every unlink, which would
  # make the bench measure the disk. IMAGES_DIR goes on tmpfs when there is one; the table says which.
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then images_dir="$(mktemp -d /dev/shm/ambassador-bench.XXXXXX)"; else images_dir="$work/images"; fi
  images_fs="$(df -T "$images_dir" | awk 'NR == 2 {print $2}')"
  cp "$root/mock-cat-api/wiremock/__files/images/tabby.jpg" "$work/www/images/tabby.jpg"
  printf '[{"id":"tabby","url":"http://127.0.0.1:%s/images/tabby.jpg","width":400,"height":300}]' "$UPSTREAM_PORT" \
    >"$work/www/search.json"
  sed -e "s|@DIR@|$work|g" -e "s|@UPSTREAM_PORT@|$UPSTREAM_PORT|g" -e "s|@NGINX_PROXY_PORT@|$NGINX_PROXY_PORT|g" -e "s|@FLAKY_PORT@|$FLAKY_PORT|g" \
    -e "s|@AMBASSADOR_PORT@|$AMBASSADOR_PORT|g" -e "s|@NGINX_RELAY_PORT@|$NGINX_RELAY_PORT|g" \
    "$root/bench/nginx/nginx.conf" >"$work/nginx.conf"
  local nginx; nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  "$nginx" -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" || fail "nginx did not start: $work/nginx-error.log"
  for _ in $(seq 1 50); do port_open "$UPSTREAM_PORT" && break; sleep 0.1; done

  # A stateful upstream for the recovery row: 503, 503, then 200, over and over (a WireMock scenario).
  mkdir -p "$work/flaky/mappings"
  for step in 1 2 3; do
    local next=$((step % 3 + 1)) status=503; [ "$step" = 3 ] && status=200
    printf '{"scenarioName":"flaky","requiredScenarioState":"%s","newScenarioState":"%s","request":{"method":"GET","url":"/v1/flaky"},"response":{"status":%s,"body":"{}"}}' \
      "$([ "$step" = 1 ] && echo Started || echo "s$step")" "$([ "$next" = 1 ] && echo Started || echo "s$next")" "$status" \
      >"$work/flaky/mappings/$step.json"
  done
  start flaky "$FLAKY_PORT" java -jar "$root/mock-cat-api/target/wiremock-standalone.jar" --port "$FLAKY_PORT" \
    --bind-address 127.0.0.1 --root-dir "$work/flaky" --disable-banner --no-request-journal
  export MALLOC_ARENA_MAX=2 # as the Dockerfiles set it
  start bare "$BARE_PORT" java @"$root/ambassador/jvm.options" -jar "$root/bench/target/bare-proxy.jar" \
    "http://127.0.0.1:$UPSTREAM_PORT" "$BARE_PORT"
  start ambassador "$AMBASSADOR_PORT" env CAT_API_URL="http://127.0.0.1:$UPSTREAM_PORT" IMAGES_DIR="$images_dir" \
    AMBASSADOR_PORT="$AMBASSADOR_PORT" ADMIN_PORT="$ADMIN_PORT" java @"$root/ambassador/jvm.options" -jar "$root/ambassador/target/ambassador.jar"
  # The same ambassador with its request traces off (TRACE_BUFFER_SIZE=0): what keeping them costs.
  start untraced "$UNTRACED_PORT" env CAT_API_URL="http://127.0.0.1:$UPSTREAM_PORT" IMAGES_DIR="$images_dir/untraced" \
    AMBASSADOR_PORT="$UNTRACED_PORT" ADMIN_PORT="$UNTRACED_ADMIN_PORT" TRACE_BUFFER_SIZE=0 \
    java @"$root/ambassador/jvm.options" -jar "$root/ambassador/target/ambassador.jar"
  start app "$APP_PORT" env APP_PORT="$APP_PORT" AMBASSADOR_URL="http://127.0.0.1:$AMBASSADOR_PORT" \
    java @"$root/app/jvm.options" -jar "$root/app/target/app.jar"
  # The floor for the app's hop: the bare proxy, with the app's JVM flags, relaying to the ambassador in its place.
  if $relays; then
    start bare_relay "$BARE_RELAY_PORT" java @"$root/app/jvm.options" -jar "$root/bench/target/bare-proxy.jar" \
      "http://127.0.0.1:$AMBASSADOR_PORT" "$BARE_RELAY_PORT"
  fi
}

# A process and its children (nginx's workers), by PID.
family() { local pid; for pid in "$@"; do echo "$pid"; pgrep -P "$pid" || true; done; }
cpu_ticks() { local t=0 pid; for pid in $(family "$@"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$t"; }
rss_mb() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }
HZ="$(getconf CLK_TCK)"
jvm_flags() { grep -v '^#' "$root/ambassador/jvm.options" | tr '\n' ' ' | sed 's/ *$//'; }

# wrk_json CONCURRENCY SECONDS URL: one wrk run, its summary as one JSON line.
wrk_json() {
  local threads=2; [ "$1" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$1" -d"$2s" --timeout 10s -s "$root/bench/report.lua" "$3" | tail -n 1
}
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"; }
rate() { awk -v r="$(field requests "$1")" -v d="$(field duration_us "$1")" 'BEGIN {printf "%.0f", r / (d / 1e6)}'; }
# Answers per second that were 2xx/3xx: a fast refusal is not throughput.
ok_rate() { awk -v r="$(field requests "$1")" -v e="$(field non_2xx "$1")" -v d="$(field duration_us "$1")" 'BEGIN {printf "%.0f", (r - e) / (d / 1e6)}'; }

# warm_up NAME URL [CONCURRENCY [MIN_SECONDS [MAX_SECONDS]]]: load at that concurrency (16) in windows until three
# windows in a row are within 5% of each other, after at least MIN_SECONDS (warmup_min: the JIT is still compiling
# before that, and two early windows can agree by chance), or MAX_SECONDS (warmup_max) have passed. Records how long
# it took.
declare -A warmed
warm_up() {
  local name="$1" url="$2" c="${3:-16}" min="${4:-$warmup_min}" max="${5:-$warmup_max}"
  local older=0 previous=0 current elapsed=0 windows=0 steady=false
  while [ "$elapsed" -lt "$max" ]; do
    current="$(rate "$(wrk_json "$c" "$window" "$url")")"
    elapsed=$((elapsed + window)); windows=$((windows + 1))
    if [ "$elapsed" -ge "$min" ] && [ "$older" -gt 0 ] && within_5_percent "$current" "$previous" \
        && within_5_percent "$previous" "$older"; then
      steady=true; break
    fi
    older="$previous"; previous="$current"
  done
  warmed[$name]="$elapsed s ($windows windows of $window s$($steady || printf ', not steady yet'))"
  say "  warmed up $name: ${warmed[$name]}, last $current req/s"
}
within_5_percent() { awk -v a="$1" -v b="$2" 'BEGIN {d = (a - b) / b; exit !(d < 0.05 && d > -0.05)}'; }

rows=()
# measure WHAT CONCURRENCY URL PID...: one row of the table, $seconds long (default: row_seconds); CPU and RSS are
# read from the PIDs.
measure() {
  local what="$1" c="$2" url="$3"; shift 3
  local before; before="$(cpu_ticks "$@")"
  local json; json="$(wrk_json "$c" "${seconds:-$row_seconds}" "$url")"
  local ticks=$(( $(cpu_ticks "$@") - before ))
  local requests; requests="$(field requests "$json")"
  local cpu_us; cpu_us="$(awk -v t="$ticks" -v hz="$HZ" -v n="$requests" 'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')"
  local rss=0 pid; for pid in $(family "$@"); do rss=$((rss + $(rss_mb "$pid"))); done
  local row; row="$(printf '{"what":"%s","concurrency":%s,"rate":%s,"ok_rate":%s,"cpu_us_per_request":%s,"rss_mb":%s,%s' \
    "$what" "$c" "$(rate "$json")" "$(ok_rate "$json")" "$cpu_us" "$rss" "${json#\{}")"
  if [ -n "${collect:-}" ]; then eval "$collect+=(\"\$row\")"; else rows+=("$row"); fi
  printf '  %-44s c=%-4s %7s ok/s  p50 %6.1f ms  p99 %6.1f ms  non-2xx %s\n' "$what" "$c" "$(ok_rate "$json")" \
    "$(awk -v u="$(field p50_us "$json")" 'BEGIN {print u / 1000}')" \
    "$(awk -v u="$(field p99_us "$json")" 'BEGIN {print u / 1000}')" "$(field non_2xx "$json")"
}

# recovery: the time a warm ambassador takes to answer 200 when the upstream says 503, 503, then 200. The retries'
# path (and WireMock's scenario) is code the load never ran: ten runs first warm it up and are not counted. Then 2 s of
# load, so that the retry budget's window is full of requests and refuses none of the 40 retries measured.
recovery() {
  local times=() i
  for i in $(seq 1 10); do curl -s -o /dev/null "http://127.0.0.1:$AMBASSADOR_PORT/v1/flaky"; done
  wrk_json 16 2 "http://127.0.0.1:$AMBASSADOR_PORT$search" >/dev/null
  for i in $(seq 1 20); do
    times+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$AMBASSADOR_PORT/v1/flaky")")
  done
  printf '%s\n' "${times[@]}" | awk '{in_order = in_order (NR > 1 ? "," : "") $2; print}
    END {printf "in_order\t%s\n", in_order}' | sort -k2 -n | awk '$1 == "in_order" {order = $2; next}
    $1 != 200 {bad++} {a[++n] = $2}
    END {printf "{\"runs\":%d,\"not_200\":%d,\"p50_s\":%s,\"max_s\":%s,\"seconds_in_order\":[%s]}", n, bad, a[int((n + 1) / 2)], a[n], order}'
}

need_tools
# Vegeta, for the fixed-rate rows, is built the first time (about half a minute): here, before the long part, so that
# a machine that cannot build it says so at once. The other rows do not need it, and are measured without it.
vegeta_missing=""
"$root/bench/fixed-rate.sh" --vegeta >/dev/null || vegeta_missing="Vegeta could not be built (why is said above)"
[ -f "$root/ambassador/target/ambassador.jar" ] && [ -f "$root/app/target/app.jar" ] && [ -f "$root/bench/target/bare-proxy.jar" ] \
  || fail "the jars are missing: ./lab bench builds them (or ./mvnw -DskipTests package)"
say "Bench on $(nproc) cores, $(java -version 2>&1 | head -n 1); $($quick && echo 'quick run: short windows' || echo 'full run')"
# Start-up first, while nothing else runs.
startup_args=("$work/startup.json"); $quick && startup_args=(--quick "${startup_args[@]}")
"$root/bench/startup.sh" "${startup_args[@]}"
start_everything
threads_idle_ambassador="$(threads "${pid[ambassador]}")"; threads_idle_app="$(threads "${pid[app]}")"

search="/v1/images/search"
say "Warm-up (at least ${warmup_min} s, then until three ${window} s windows in a row agree within 5%):"
warm_up ambassador-images "http://127.0.0.1:$AMBASSADOR_PORT/images/latest"
warm_up ambassador-passthrough "http://127.0.0.1:$AMBASSADOR_PORT$search"
warm_up bare-proxy "http://127.0.0.1:$BARE_PORT$search"
warm_up untraced-images "http://127.0.0.1:$UNTRACED_PORT/images/latest"
warm_up untraced-passthrough "http://127.0.0.1:$UNTRACED_PORT$search"
warm_up app "http://127.0.0.1:$APP_PORT/images/latest"
if $relays; then warm_up bare-relay "http://127.0.0.1:$BARE_RELAY_PORT/images/latest"; fi

say "Measuring:"
# The rows the ratios compare (c=16 of the bare proxy, the pass-through, /images/latest, the app and the two relays in
# its place) are measured in $rounds short interleaved rounds: the machine's speed drifts over minutes and jumps
# within one (the same row read 0.75x and 1.05x of the row before it, two rounds apart), so each ratio is taken within
# a round, between rows measured one right after the other, and the table shows the median round's ratio. Every other
# round runs its rows in reverse order, so that each row of a pair goes first as often as second: a drift within a
# round, or whatever the first minutes after a pause cost, favours neither side of a ratio.
# Filled by measure, through the name in $collect.
# shellcheck disable=SC2034
declare -a round_bare round_passthrough round_images round_app round_bare_relay round_nginx_relay
# shellcheck disable=SC2034
declare -a round_passthrough_untraced round_images_untraced
round_row() { # NAME: measures one c=16 row of the current round
  case "$1" in
    bare) collect=round_bare measure "bare Javalin+OkHttp proxy: the search" 16 "http://127.0.0.1:$BARE_PORT$search" \
      "${pid[bare]}" ;;
    passthrough) collect=round_passthrough measure "ambassador pass-through: the search" 16 \
      "http://127.0.0.1:$AMBASSADOR_PORT$search" "${pid[ambassador]}" ;;
    images)
      local profiled=false
      if $profile && [ "$round" = "$rounds" ]; then profiled=true; fi
      if $profiled; then jcmd "${pid[ambassador]}" JFR.start name=bench settings=profile >/dev/null; fi
      collect=round_images measure "ambassador /images/latest" 16 "http://127.0.0.1:$AMBASSADOR_PORT/images/latest" \
        "${pid[ambassador]}"
      if $profiled; then
        mkdir -p "$out"
        jcmd "${pid[ambassador]}" JFR.stop name=bench filename="$out/ambassador-images.jfr" >/dev/null
      fi ;;
    passthrough_untraced) collect=round_passthrough_untraced measure "traces off: pass-through" 16 \
      "http://127.0.0.1:$UNTRACED_PORT$search" "${pid[untraced]}" ;;
    images_untraced) collect=round_images_untraced measure "traces off: /images/latest" 16 \
      "http://127.0.0.1:$UNTRACED_PORT/images/latest" "${pid[untraced]}" ;;
    app) collect=round_app measure "end to end: app /images/latest" 16 "http://127.0.0.1:$APP_PORT/images/latest" \
      "${pid[app]}" "${pid[ambassador]}" ;;
    # The same path with the app's hop replaced by the cheapest relays there are: what the app's hop could cost at best.
    bare_relay) collect=round_bare_relay measure "app's place: bare Javalin+OkHttp relay" 16 \
      "http://127.0.0.1:$BARE_RELAY_PORT/images/latest" "${pid[bare_relay]}" "${pid[ambassador]}" ;;
    nginx_relay) collect=round_nginx_relay measure "app's place: nginx relay" 16 \
      "http://127.0.0.1:$NGINX_RELAY_PORT/images/latest" "$(cat "$work/nginx.pid")" "${pid[ambassador]}" ;;
  esac
}
# Each ambassador row sits next to the same row with traces off, so that their ratio is the trace's cost.
row_order=(bare passthrough passthrough_untraced images images_untraced app)
if $relays; then row_order+=(bare_relay nginx_relay); fi
say "  c=16 rows in $rounds interleaved rounds of $round_seconds s per row, every other round in reverse order:"
seconds="$round_seconds"
for round in $(seq 1 "$rounds"); do
  names=("${row_order[@]}")
  if (( round % 2 == 0 )); then names=(); for (( i = ${#row_order[@]} - 1; i >= 0; i-- )); do names+=("${row_order[i]}"); done; fi
  for name in "${names[@]}"; do round_row "$name"; done
done
unset seconds
# median_round ROW...: the row whose ok_rate is the median, with every round's ok_rate added as "rounds".
median_round() {
  local sorted all
  sorted="$(for row in "$@"; do printf '%s\t%s\n' "$(field ok_rate "$row")" "$row"; done | sort -n | cut -f 2-)"
  all="$(for row in "$@"; do field ok_rate "$row"; done | paste -sd, -)"
  sed -n "$(( ($# + 1) / 2 ))p" <<<"$sorted" | sed "s/^{/{\"rounds\":[$all],/"
}
# paired_ratio ROWS DENOMINATOR_ROWS (array names): each round's ratio of two rows measured one after the other, and
# their median, as JSON fields. A ratio within a round cancels the drift between rounds; a ratio of two medians would
# pair rows from different minutes.
paired_ratio() {
  local -n numerators="$1" denominators="$2"
  local i ratios=()
  for i in "${!numerators[@]}"; do
    ratios+=("$(awk -v a="$(field ok_rate "${numerators[$i]}")" -v b="$(field ok_rate "${denominators[$i]}")" \
      'BEGIN {printf "%.3f", b ? a / b : 0}')")
  done
  printf '"round_ratios":[%s],"ratio":%s' "$(IFS=,; echo "${ratios[*]}")" \
    "$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (${#ratios[@]} + 1) / 2 ))p")"
}
# median_row ROWS [DENOMINATOR_ROWS]: the median round's row, with the paired ratio to the other rows when named.
median_row() {
  local -n all_rounds="$1"
  local row; row="$(median_round "${all_rounds[@]}")"
  if [ -n "${2:-}" ]; then row="{$(paired_ratio "$1" "$2"),${row#\{}"; fi
  echo "$row"
}
measure "nginx alone: the search" 16 "http://127.0.0.1:$UPSTREAM_PORT$search" "$(cat "$work/nginx.pid")"
measure "nginx reverse proxy: the search" 16 "http://127.0.0.1:$NGINX_PROXY_PORT$search" "$(cat "$work/nginx.pid")"
# Each row at c=64 and c=256 is warmed up at its own concurrency first: more callers than permits and threads run
# code that c=16 never ran (waiting for a bulkhead permit, queueing for a thread), and the JIT compiles it only then.
# Measured cold, the pass-through's c=64 row read 0.78x of its c=16 rate; after 20 s at c=64 it reads 0.9x or more.
# Each is then measured as the c=16 rows are, in rounds: a row at c=64 (or c=256) and a c=16 row of the same service
# right after it, $high_rounds times, the ratio the median of the rounds' ("c16_adjacent" in the JSON is the median
# round's c=16 rate). A single row against a c=16 row from minutes before compared the machine's drift (it slowed by a
# fifth in between once); a single pair still took a jump of the machine whole (0.87x in one run, 1.02x in the next).
# high_concurrency_rows WHAT NAME URL PID: the c=64 and c=256 rows of one service, each after its warm-up.
high_concurrency_rows() {
  local c i non_2xx row; for c in 64 256; do
    warm_up "$2 c=$c" "$3" "$c" $((3 * window)) "$high_warmup_max"
    local -a high=() low=()
    seconds="$high_round_seconds"
    for i in $(seq 1 "$high_rounds"); do
      collect=high measure "$1" "$c" "$3" "$4"
      collect=low measure "$1 (c=16 right after)" 16 "$3" "$4"
    done
    unset seconds
    # Every round's refusals count, not only the median round's: the goal is none at all.
    non_2xx=0; for row in "${high[@]}"; do non_2xx=$((non_2xx + $(field non_2xx "$row"))); done
    row="$(median_row high low)"
    rows+=("{\"c16_adjacent\":$(median_round "${low[@]}" | sed -n 's/.*"ok_rate":\([0-9]*\).*/\1/p'),\"non_2xx_all_rounds\":$non_2xx,${row#\{}")
  done
}
rows+=("$(median_row round_bare)")
high_concurrency_rows "bare Javalin+OkHttp proxy: the search" bare-proxy "http://127.0.0.1:$BARE_PORT$search" "${pid[bare]}"
rows+=("$(median_row round_passthrough round_bare)")
high_concurrency_rows "ambassador pass-through: the search" ambassador-passthrough "http://127.0.0.1:$AMBASSADOR_PORT$search" "${pid[ambassador]}"
rows+=("$(median_row round_images round_bare)")
high_concurrency_rows "ambassador /images/latest" ambassador-images "http://127.0.0.1:$AMBASSADOR_PORT/images/latest" "${pid[ambassador]}"
rows+=("$(median_row round_passthrough_untraced round_bare)")
rows+=("$(median_row round_images_untraced round_bare)")
rows+=("$(median_row round_app round_images)")
if $relays; then
  rows+=("$(median_row round_bare_relay round_images)")
  rows+=("$(median_row round_nginx_relay round_images)")
fi
recovery_json="$(recovery)"
say "  503, 503, 200 through the ambassador (20 runs): $recovery_json"
rss_ambassador="$(rss_mb "${pid[ambassador]}")"; rss_app="$(rss_mb "${pid[app]}")"
threads_busy_ambassador="$(threads "${pid[ambassador]}")"; threads_busy_app="$(threads "${pid[app]}")"
idle_wait=60; $quick && idle_wait=5
say "Waiting ${idle_wait} s without load, then counting threads again..."
sleep "$idle_wait"
threads_after_ambassador="$(threads "${pid[ambassador]}")"; threads_after_app="$(threads "${pid[app]}")"

# Latency at a fixed rate, open loop, after the saturation rows (the JVMs are warm) and the idle thread count.
fixed_rate="$work/fixed-rate.jsonl"
: >"$fixed_rate"
if [ -z "$vegeta_missing" ]; then
  fixed_rate_args=(); $quick && fixed_rate_args+=(--quick)
  fixed_rate_started="$SECONDS"
  "$root/bench/fixed-rate.sh" "${fixed_rate_args[@]}" --rows "$fixed_rate" \
    --direct "http://127.0.0.1:$UPSTREAM_PORT$search" --nginx-proxy "http://127.0.0.1:$NGINX_PROXY_PORT$search" \
    --bare "http://127.0.0.1:$BARE_PORT$search" --passthrough "http://127.0.0.1:$AMBASSADOR_PORT$search" \
    --images "http://127.0.0.1:$AMBASSADOR_PORT/images/latest" \
    || vegeta_missing="bench/fixed-rate.sh failed (why is said above)"
  say "  fixed-rate rows took $((SECONDS - fixed_rate_started)) s"
fi

# ---------------------------------------------------------------------------------------------------- the report
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
json="$out/bench-$stamp.json"
{
  printf '{"when":"%s","cores":%s,"quick":%s,"row_seconds":%s,"rounds":%s,"round_seconds":%s,"high_rounds":%s,"high_round_seconds":%s,"images_dir_fs":"%s",\n' \
    "$stamp" "$(nproc)" "$quick" "$row_seconds" "$rounds" "$round_seconds" "$high_rounds" "$high_round_seconds" "$images_fs"
  printf ' "jvm_flags":"%s",\n' "$(jvm_flags)"
  printf ' "warm_up":{'; sep=""
  for name in "${!warmed[@]}"; do printf '%s"%s":"%s"' "$sep" "$name" "${warmed[$name]}"; sep=","; done
  printf '},\n "recovery_503_503_200":%s,\n' "$recovery_json"
  printf ' "startup":%s,\n' "$(cat "$work/startup.json")"
  printf ' "ambassador":{"rss_mb":%s,"threads_idle":%s,"threads_loaded":%s,"threads_after_%ss":%s},\n' \
    "$rss_ambassador" "$threads_idle_ambassador" "$threads_busy_ambassador" "$idle_wait" "$threads_after_ambassador"
  printf ' "app":{"rss_mb":%s,"threads_idle":%s,"threads_loaded":%s,"threads_after_%ss":%s},\n' \
    "$rss_app" "$threads_idle_app" "$threads_busy_app" "$idle_wait" "$threads_after_app"
  printf ' "rows":[\n'; sep="  "
  for row in "${rows[@]}"; do printf '%s%s\n' "$sep" "$row"; sep=" ,"; done
  printf ' ],\n "fixed_rate":[\n'; sep="  "
  while IFS= read -r row; do printf '%s%s\n' "$sep" "$row"; sep=" ,"; done <"$fixed_rate"
  printf ' ]}\n'
} >"$json"
cp "$json" "$out/latest.json"

rate_of() { # WHAT CONCURRENCY: the rate of that row
  local row; for row in "${rows[@]}"; do
    [[ "$row" == *"\"what\":\"$1\",\"concurrency\":$2,"* ]] && { field ok_rate "$row"; return; }
  done
  echo 0
}
# The c=64 and c=256 rows show the refusals of all their rounds, the others those of their own row.
non_2xx_shown() { local all; all="$(field non_2xx_all_rounds "$1")"; echo "${all:-$(field non_2xx "$1")}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf b ? "%.2fx" : "-", a / b}'; }
round_ratio() { printf '%.2fx' "$(sed -n 's/.*"ratio":\([0-9.]*\).*/\1/p' <<<"$1")"; }

say ""
say "Ambassador bench, $(nproc) cores, wrk -t2 after warm-up. The c=16 rows of the proxies and the app: $rounds interleaved"
say "rounds of $round_seconds s per row, every other one in reverse order; ok/s is the median round's, the ratio the median"
say "of the rounds' ratios between rows measured one after the other. Each c=64 and c=256 row: $high_rounds rounds of"
say "$high_round_seconds s, each with a c=16 row of the same service right after it; ok/s and ratio as above, non-2xx of all"
say "its rounds. The nginx rows: $row_seconds s."
say "ok/s counts 2xx answers only; every ratio is to rows of the same run. IMAGES_DIR on $images_fs."
printf '\n| %-40s | %4s | %8s | %-22s | %8s | %8s | %8s | %7s | %8s | %6s |\n' what c "ok/s" "ratio" p50 p99 p99.9 non-2xx "CPU/req" RSS
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..42})" ------ ---------- ------------------------ ---------- ---------- ---------- --------- ---------- --------
for row in "${rows[@]}"; do
  what="$(sed -n 's/.*"what":"\([^"]*\)".*/\1/p' <<<"$row")"; c="$(field concurrency "$row")"; r="$(field ok_rate "$row")"
  case "$what/$c" in
    "ambassador pass-through"*/16) note="$(round_ratio "$row") of bare c=16" ;;
    "ambassador pass-through"* | "ambassador /images/latest"*/64 | "ambassador /images/latest"*/256)
      note="$(round_ratio "$row") of adjacent c=16" ;;
    "ambassador /images/latest"*/16 | "traces off"*) note="$(round_ratio "$row") of bare c=16" ;;
    "end to end"* | "app's place"*) note="$(round_ratio "$row") of /images c=16" ;;
    "bare"*) note="$(ratio "$r" "$(rate_of "nginx reverse proxy: the search" 16)") of nginx proxy" ;;
    *) note="" ;;
  esac
  printf '| %-40s | %4s | %8s | %-22s | %5.1f ms | %5.1f ms | %5.1f ms | %7s | %5s us | %3s MB |\n' "$what" "$c" "$r" "$note" \
    "$(awk -v u="$(field p50_us "$row")" 'BEGIN {print u / 1000}')" "$(awk -v u="$(field p99_us "$row")" 'BEGIN {print u / 1000}')" \
    "$(awk -v u="$(field p999_us "$row")" 'BEGIN {print u / 1000}')" "$(non_2xx_shown "$row")" \
    "$(field cpu_us_per_request "$row")" "$(field rss_mb "$row")"
done
# The trace's cost: each round's ratio of the ambassador with traces to the one without, measured one after the other.
trace_cost() { # TRACED UNTRACED (array names)
  sed -n 's/.*"ratio":\([0-9.]*\).*/\1/p' <<<"{$(paired_ratio "$1" "$2")}" | xargs printf '%.2fx'
}
say ""
say "Traces on (TRACE_BUFFER_SIZE=200) against off (0), paired within rounds: pass-through $(trace_cost round_passthrough round_passthrough_untraced), /images/latest $(trace_cost round_images round_images_untraced) (1.00x: no cost; the rounds' spread is the noise)."
say "503, 503, 200 recovered in $(printf '%.2f' "$(sed -n 's/.*"p50_s":\([0-9.]*\).*/\1/p' <<<"$recovery_json")") s (median of 20; max $(printf '%.2f' "$(sed -n 's/.*"max_s":\([0-9.]*\).*/\1/p' <<<"$recovery_json")") s)."
startup_ms() { sed -n "s/.*\"what\":\"$1\",\"starts\":[0-9]*,\"median_ms\":\([0-9]*\).*/\1/p" <<<"$(tr '}' '\n' <"$work/startup.json")"; }
say "Start-up (median of $($quick && echo 5 || echo 10)): the ambassador ready $(startup_ms 'ambassador: process start to ready, with the archive') ms from process start with its image's class archive, $(startup_ms 'ambassador: process start to ready, no archive') ms without; the app $(startup_ms 'app: process start to its first served request') ms to its first request."
say "Memory with the container's JVM flags ($(jvm_flags)): ambassador RSS $rss_ambassador MB, app $rss_app MB."
say "Threads: ambassador $threads_idle_ambassador idle, $threads_busy_ambassador loaded, $threads_after_ambassador ${idle_wait} s later; app $threads_idle_app, $threads_busy_app, $threads_after_app."
say "Warm-up needed: $(for name in "${!warmed[@]}"; do printf '%s %s; ' "$name" "${warmed[$name]}"; done)"
say ""
if [ -n "$vegeta_missing" ]; then say "Fixed-rate rows: not all measured, as $vegeta_missing."; fi
if [ -s "$fixed_rate" ]; then "$root/bench/fixed-rate.sh" --report "$fixed_rate"; fi
say ""
say "JSON: $json"
if $profile; then
  say ""
  say "Profile of the ambassador during /images/latest at c=16 ($out/ambassador-images.jfr):"
  "$root/bench/jfr-summary.sh" "$out/ambassador-images.jfr" 25
fi
