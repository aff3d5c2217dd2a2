#!/usr/bin/env bash
# Latency at a fixed request rate, coordinated omission counted: the rows ./lab bench adds after its saturation rows.
#   fixed-rate.sh --vegeta                  prints the path of the Vegeta binary; the first call builds it
#   fixed-rate.sh [--quick] --rows FILE --direct URL --nginx-proxy URL --bare URL --passthrough URL --images URL
#                                           measures each URL at 1,000 and 5,000 req/s (--quick: 1,000 only, shorter),
#                                           one JSON object per row into FILE, progress on stdout
#   fixed-rate.sh --report FILE             prints FILE's rows as a table, and the pass-through's goal line (FILE: the
#                                           rows file, or the JSON of a bench run, such as target/bench/latest.json)
#
# wrk (the saturation rows) is a closed loop: a caller sends its next request only when the last one is answered, so a
# stall delays the requests that would have been sent meanwhile, and their wait is never measured (coordinated
# omission). Vegeta is an open loop: it sends at the set rate whatever the answers, and adds workers when all of its
# workers wait (-max-workers is unbounded by default). What is left is its own lateness: a send can leave after its
# time when the generator is busy (two cores here, shared with nginx and the JVMs), and its pacer sleeps between sends
# with Go's timers, which on Linux wake about 1 ms late when the process is idle (a 0.2 ms sleep took 1.09 ms here):
# at 5,000 req/s the sends leave in bursts of about five a millisecond, up to 1 ms late. That is counted as wrk2 does:
# the intended send time of request seq is the first send's time + seq / rate, and a request's latency is what Vegeta
# measured plus how late it left. The percentiles are of those corrected latencies; the lateness is shown (p99, max),
# so that the reader sees whether the generator kept up, and the JSON keeps Vegeta's own latencies' percentiles too.
#
# Vegeta is built from its Go module (github.com/tsenart/vegeta, of the version the parent pom.xml names,
# vegeta.version) with a Go that lab-tests/images/go-toolchain.sh finds or fetches, and cached by version outside the
# clone: ${XDG_CACHE_HOME:-~/.cache}/ambassador-lab/vegeta/vVERSION/vegeta (LAB_VEGETA_CACHE moves the cache).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf '%s\n' "$*"; }
fail() { printf 'fixed-rate: %s\n' "$*" >&2; exit 1; }

version="$(sed -n 's:.*<vegeta.version>\(.*\)</vegeta.version>.*:\1:p' "$root/pom.xml" | head -n 1)"
[ -n "$version" ] || fail "no vegeta.version in $root/pom.xml"
module="github.com/tsenart/vegeta/v${version%%.*}"
go_needed=1.22 # the go line of the module's go.mod
cache="${LAB_VEGETA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ambassador-lab/vegeta}/v$version"

# vegeta_binary: the binary's path on stdout; the first call builds it (what it does is said on stderr).
vegeta_binary() {
  local binary="$cache/vegeta"
  if [ ! -x "$binary" ]; then
    local go dir
    go="$("$root/lab-tests/images/go-toolchain.sh" "$go_needed")" || fail "no Go $go_needed or newer to build Vegeta with (see above)"
    mkdir -p "$cache"
    # Built beside the cache, then moved in whole: two runs at once never see half a binary.
    dir="$(mktemp -d "$cache/.build.XXXXXX")"
    # shellcheck disable=SC2064 # the directory is known now
    trap "rm -rf '$dir'" EXIT
    say "build   Vegeta $version, the fixed-rate rows' load generator, once: $go install $module@v$version" >&2
    say "        (Go's caches only while it builds; the binary is kept in $cache)" >&2
    # The machine's GOPROXY and GOFLAGS hold; Go's caches (a few hundred MB) go with the build directory, as the binary
    # is built once per version and they serve nothing after. -X main.Version: `vegeta -version` says which it is.
    GOMODCACHE="$dir/go/mod" GOCACHE="$dir/go/build" GOPATH="$dir/go/path" GOFLAGS="${GOFLAGS:+$GOFLAGS }-modcacherw" \
      GOTOOLCHAIN=local GOBIN="$dir" CGO_ENABLED=0 "$go" install -trimpath -ldflags "-s -w -X main.Version=v$version" \
      "$module@v$version" >&2 || fail "go install $module@v$version failed"
    mv "$dir/vegeta" "$binary"
    rm -rf "$dir"
    say "ok      Vegeta $version in $binary" >&2
  fi
  echo "$binary"
}

# ------------------------------------------------------------------------------------------------------ the report
jfield() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2"; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a - b}'; }
signed() { awk -v a="$1" 'BEGIN {printf "%+.3f", a}'; }
jtext() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$2"; }

report() { # FILE: the rows file, or a bench JSON (target/bench/latest.json), whose fixed_rate rows are one a line
  local rows row first
  rows="$(grep '"key":"' "$1" | sed 's/^[ ,]*//' || true)"
  [ -n "$rows" ] || { say "Fixed-rate rows: none in $1."; return 0; }
  first="$(head -n 1 <<<"$rows")"
  say "Latency at a fixed rate, open loop (Vegeta $(jtext vegeta "$first"): $(jfield workers "$first") workers to start, more when all of"
  say "them wait; keep-alive): each row $(jfield seconds "$first") s at its rate, after $(jfield warmup_seconds "$first") s at that rate that are not counted."
  say "Latency in ms, coordinated omission counted (as wrk2 does): a request's latency is Vegeta's plus how late it"
  say "was sent after its time (first send + seq / rate); \"late\" is that delay, its p99 and largest: the generator's"
  say "own, on the same two cores (its pacer's sleeps wake in steps of about 1 ms: at 5,000 req/s the sends leave in"
  say "bursts, up to 1 ms late even on an idle machine). \"+\" columns: the row's percentile minus the direct row's at"
  say "the same rate; /images/latest is no pass-through (a search and an image download upstream, a file written), so"
  say "it has none. achieved: requests sent after the warm-up's, per counted second (below the rate when the generator"
  say "fell behind: the attack ends on time). gen CPU: Vegeta's own, in % of one core."
  printf '\n| %-37s | %5s | %8s | %9s | %9s | %9s | %9s | %7s | %7s | %7s | %7s | %7s | %9s | %9s | %7s |\n' \
    what "req/s" achieved p50 p90 p99 p99.9 +p50 +p90 +p99 +p99.9 "non-2xx" "late p99" "late max" "gen CPU"
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..39})" ------- ---------- \
    ----------- ----------- ----------- ----------- --------- --------- --------- --------- --------- ----------- ----------- ---------
  while IFS= read -r row; do
    local added=() name; for name in added_p50_ms added_p90_ms added_p99_ms added_p999_ms; do
      local v; v="$(jfield "$name" "$row")"; if [ "$v" = null ]; then v=""; else v="$(signed "$v")"; fi; added+=("$v")
    done
    printf '| %-37s | %5s | %8s | %9s | %9s | %9s | %9s | %7s | %7s | %7s | %7s | %7s | %9s | %9s | %6s%% |\n' \
      "$(jtext what "$row")" "$(jfield rate "$row")" "$(jfield achieved_rate "$row")" "$(jfield p50_ms "$row")" \
      "$(jfield p90_ms "$row")" "$(jfield p99_ms "$row")" "$(jfield p999_ms "$row")" "${added[@]}" \
      "$(jfield non_2xx "$row")/$(jfield errors "$row")" "$(jfield late_p99_ms "$row")" "$(jfield late_max_ms "$row")" \
      "$(jfield generator_cpu_percent "$row")"
  done <<<"$rows"
  say "(non-2xx: answers that were not 2xx / requests that got no answer.)"
  local passthrough direct p90 p99 u90 u99 verdict
  passthrough="$(grep '"key":"passthrough","rate":1000,' <<<"$rows" | head -n 1 || true)"
  direct="$(grep '"key":"direct","rate":1000,' <<<"$rows" | head -n 1 || true)"
  [ -n "$passthrough" ] && [ -n "$direct" ] || return 0
  p90="$(jfield added_p90_ms "$passthrough")"; p99="$(jfield added_p99_ms "$passthrough")"
  u90="$(minus "$(jfield uncorrected_p90_ms "$passthrough")" "$(jfield uncorrected_p90_ms "$direct")")"
  u99="$(minus "$(jfield uncorrected_p99_ms "$passthrough")" "$(jfield uncorrected_p99_ms "$direct")")"
  verdict="$(awk -v a="$p90" -v b="$p99" 'BEGIN {print (a <= 0.3 && b <= 1) ? "met" : "not met"}')"
  say ""
  say "Ambassador pass-through at 1,000 req/s, added over nginx direct: p90 $(signed "$p90") ms, p99 $(signed "$p99") ms (Istio's published"
  say "figure for its pair of Envoy sidecars at 1,000 req/s: +0.23 ms p90, +0.30 ms p99). Goal, at most +0.3 ms p90 and"
  say "+1 ms p99: $verdict. Without the sends' lateness (Vegeta's latencies as measured): p90 $(signed "$u90") ms, p99 $(signed "$u99") ms."
  say "In those two rows the sends left up to $(jfield late_max_ms "$direct") and $(jfield late_max_ms "$passthrough") ms late (p99 $(jfield late_p99_ms "$direct") and $(jfield late_p99_ms "$passthrough") ms). Vegeta's"
  say "pacing alone makes a p99 of up to about 1 ms; well above that, the machine was busy and the tails say more about"
  say "it than about the proxy."
}

# ----------------------------------------------------------------------------------------------------- measuring
workers=16
# row_stats CSV RATE SKIP SECONDS OUT: from Vegeta's CSV (timestamp in unix ns, status code, latency in ns, bytes out, bytes
# in, error, body, attack, seq, method, url, headers), the requests of seq SKIP and after: "corrected measured late"
# in ns per request into OUT, and on stdout "requests achieved_rate non_2xx errors", the achieved rate being the
# requests counted per counted second: Vegeta stops at the attack's end, so a generator that fell behind sent fewer. The error can hold commas (in
# quotes), so seq is read from the end of the line: the method, URL and headers (base64) that follow it hold none.
row_stats() {
  awk -F, -v rate="$2" -v skip="$3" -v seconds="$4" -v out="$5" '
    # A timestamp (19 digits) is more than a double holds exactly: it is kept as its digits above and below 10^12 ns.
    {
      n++; d = length($1) - 12
      hi[n] = substr($1, 1, d) + 0; lo[n] = substr($1, d + 1) + 0
      code[n] = $2 + 0; lat[n] = $3 + 0; err[n] = ($6 != ""); seq[n] = $(NF - 3) + 0
      if (seq[n] == 0) { hi0 = hi[n]; lo0 = lo[n] }
    }
    END {
      interval = 1e9 / rate
      for (i = 1; i <= n; i++) {
        if (seq[i] < skip) continue
        t = (hi[i] - hi0) * 1e12 + lo[i] - lo0
        late = t - seq[i] * interval; if (late < 0) late = 0
        printf "%.0f %.0f %.0f\n", lat[i] + late, lat[i], late > out
        m++
        # Vegeta gives an answer that is not 2xx an error too (its status line): an error without a code got no answer.
        if (code[i] != 0 && (code[i] < 200 || code[i] > 299)) non2xx++
        if (code[i] == 0 && err[i]) errors++
      }
      printf "%d %.1f %d %d\n", m, m / seconds, non2xx, errors
    }' "$1"
}
# percentiles FILE COLUMN: p50 p90 p99 p99.9 of that column (ns) in ms, nearest rank.
percentiles() {
  cut -d' ' -f"$2" "$1" | sort -n | awk '{v[NR] = $1} END {
    split("500 900 990 999", p, " ")
    for (i = 1; i <= 4; i++) { k = int((p[i] * NR + 999) / 1000); printf "%.3f%s", v[k] / 1e6, i < 4 ? " " : "\n" }
  }'
}

# measure_row KEY WHAT RATE URL: one row. A single attack of warm-up + row seconds: the requests sent in the warm-up
# (seq below rate x warm-up) are not counted, and the counted ones find Vegeta's connections and workers already there.
measure_row() {
  local key="$1" what="$2" rate="$3" url="$4" tmp="$work/$1-$3"
  local TIMEFORMAT='%U %S %R'
  { time "$vegeta" attack -rate "$rate/1s" -duration "$((warmup + seconds))s" -workers "$workers" -timeout 10s \
      -max-body 0 -output "$tmp.bin" <<<"GET $url" 2>"$tmp.err"; } 2>"$tmp.time" \
    || fail "vegeta attack on $url failed: $(cat "$tmp.err")"
  "$vegeta" encode --to csv --output "$tmp.csv" "$tmp.bin"
  local requests achieved non_2xx errors
  read -r requests achieved non_2xx errors < <(row_stats "$tmp.csv" "$rate" "$((rate * warmup))" "$seconds" "$tmp.lat")
  if [ "$requests" -eq 0 ]; then # no row: the generator fell further behind than the warm-up lasted
    say "  $what at $rate req/s: not one request after the warm-up's was sent (the generator fell behind)"
    rm -f "$tmp".*; return 0
  fi
  local p50 p90 p99 p999 u50 u90 u99 u999 l99 lmax cpu
  read -r p50 p90 p99 p999 < <(percentiles "$tmp.lat" 1)
  read -r u50 u90 u99 u999 < <(percentiles "$tmp.lat" 2)
  read -r _ _ l99 _ < <(percentiles "$tmp.lat" 3)
  lmax="$(sort -n -k3,3 "$tmp.lat" | tail -n 1 | awk '{printf "%.3f", $3 / 1e6}')"
  cpu="$(awk '{printf "%.0f", ($3 > 0 ? ($1 + $2) * 100 / $3 : 0)}' "$tmp.time")"
  local added_json='"added_p50_ms":null,"added_p90_ms":null,"added_p99_ms":null,"added_p999_ms":null'
  if [ "$key" = direct ]; then
    direct=("$p50" "$p90" "$p99" "$p999")
  elif [ "$key" != images ]; then
    added_json="$(printf '"added_p50_ms":%s,"added_p90_ms":%s,"added_p99_ms":%s,"added_p999_ms":%s' "$(minus "$p50" "${direct[0]}")" \
      "$(minus "$p90" "${direct[1]}")" "$(minus "$p99" "${direct[2]}")" "$(minus "$p999" "${direct[3]}")")"
  fi
  printf '{"what":"%s","key":"%s","rate":%s,"seconds":%s,"warmup_seconds":%s,"vegeta":"%s","workers":%s,"requests":%s,"achieved_rate":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"p999_ms":%s,%s,"uncorrected_p50_ms":%s,"uncorrected_p90_ms":%s,"uncorrected_p99_ms":%s,"uncorrected_p999_ms":%s,"non_2xx":%s,"errors":%s,"late_p99_ms":%s,"late_max_ms":%s,"generator_cpu_percent":%s}\n' \
    "$what" "$key" "$rate" "$seconds" "$warmup" "$version" "$workers" "$requests" "$achieved" "$p50" "$p90" "$p99" "$p999" \
    "$added_json" "$u50" "$u90" "$u99" "$u999" "$non_2xx" "$errors" "$l99" "$lmax" "$cpu" >>"$rows_file"
  printf '  %-37s %5s req/s: p50 %7s  p90 %7s  p99 %7s  p99.9 %8s ms  late max %8s ms  non-2xx %s/%s  Vegeta %s%% CPU\n' \
    "$what" "$rate" "$p50" "$p90" "$p99" "$p999" "$lmax" "$non_2xx" "$errors" "$cpu"
  rm -f "$tmp".*
}

quick=false rows_file="" report_file=""
declare -A urls=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --vegeta) vegeta_binary; exit 0 ;;
    --report) [ "$#" -ge 2 ] || fail "--report needs a file"; report_file="$2"; shift 2 ;;
    --quick) quick=true; shift ;;
    --rows) [ "$#" -ge 2 ] || fail "--rows needs a file"; rows_file="$2"; shift 2 ;;
    --direct | --nginx-proxy | --bare | --passthrough | --images)
      [ "$#" -ge 2 ] || fail "$1 needs a URL"; urls[${1#--}]="$2"; shift 2 ;;
    *) fail "unknown option '$1' (--vegeta; [--quick] --rows FILE --direct URL --nginx-proxy URL --bare URL --passthrough URL --images URL; --report FILE)" ;;
  esac
done
if [ -n "$report_file" ]; then report "$report_file"; exit 0; fi
[ -n "$rows_file" ] || fail "--rows FILE is needed (or --vegeta, or --report FILE)"
keys=(direct nginx-proxy bare passthrough images)
for key in "${keys[@]}"; do [ -n "${urls[$key]:-}" ] || fail "--$key URL is needed"; done
declare -A labels=([direct]="nginx alone (direct): the search" [nginx-proxy]="nginx reverse proxy: the search"
  [bare]="bare Javalin+OkHttp proxy: the search" [passthrough]="ambassador pass-through: the search"
  [images]="ambassador /images/latest")

if $quick; then rates=(1000); seconds=5; warmup=3; else rates=(1000 5000); seconds=10; warmup=5; fi
vegeta="$(vegeta_binary)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$rows_file"
direct=()
say "  fixed rate, Vegeta $version: each row ${warmup} s of warm-up at its rate, then ${seconds} s counted"
for rate in "${rates[@]}"; do
  # The direct row first: the others' "+" columns subtract its percentiles.
  for key in "${keys[@]}"; do measure_row "$key" "${labels[$key]}" "$rate" "${urls[$key]}"; done
done
