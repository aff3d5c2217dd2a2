#!/usr/bin/env bash
# Summarises a JFR recording's CPU samples: where time is spent itself (top frames, by method), and which parts of
# the stack each sample passes through (inclusive, by library or by the ambassador's own classes).
#   bench/jfr-summary.sh RECORDING.jfr [TOP]
set -euo pipefail
recording="$1"; top="${2:-25}"
jfr print --events jdk.ExecutionSample --stack-depth 96 "$recording" | awk -v top="$top" '
  /stackTrace = \[/ { in_stack = 1; first = 1; owned = 0; delete seen; samples++; next }
  in_stack && /^[[:space:]]*\]/ { in_stack = 0; if (!owned) owner["other"]++; next }
  in_stack {
    frame = $0; sub(/^[[:space:]]+/, "", frame); sub(/[[:space:]]+line:.*/, "", frame); sub(/\(.*$/, "", frame)
    if (frame == "...") next
    part = frame
    if (frame ~ /^dev\.ambassadorlab\./) { part = frame; sub(/\.[^.]*$/, "", part) }      # our class
    else if (frame ~ /^com\.fasterxml\.jackson/) part = "jackson"
    else if (frame ~ /^okhttp3\.|^okio\./) part = "okhttp/okio"
    else if (frame ~ /^dev\.failsafe\./) part = "failsafe"
    else if (frame ~ /^org\.eclipse\.jetty\./) part = "jetty"
    else if (frame ~ /^io\.javalin\./) part = "javalin"
    else if (frame ~ /^io\.prometheus\./) part = "prometheus client"
    else if (frame ~ /^kotlin\./) part = "kotlin stdlib"
    else if (frame ~ /^(java|jdk|sun)\./) part = "jdk"
    else part = ""
    if (first) { self[frame]++; first = 0 }
    # The JDK works for whoever called it: a sample belongs to the first frame from the top that is not the JDK.
    if (!owned && part != "jdk" && part != "") { owner[part]++; owned = 1 }
    if (part != "" && part != "jdk" && !(part in seen)) { seen[part] = 1; inclusive[part]++ }
  }
  END {
    printf "%d CPU samples\n\nSelf time, top %d methods:\n", samples, top
    n = 0; for (f in self) lines[++n] = sprintf("%6.1f%%  %s", 100 * self[f] / samples, f)
    cmd = "sort -rn | head -n " top; for (i = 1; i <= n; i++) print lines[i] | cmd; close(cmd)
    printf "\nSelf time, by part (JDK frames counted for the part that called them):\n"
    k = 0; for (p in owner) sp[++k] = sprintf("%6.1f%%  %s", 100 * owner[p] / samples, p)
    cmd = "sort -rn | head -n 25"; for (i = 1; i <= k; i++) print sp[i] | cmd; close(cmd)
    printf "\nInclusive, by part (a sample counts once per part on its stack):\n"
    m = 0; for (p in inclusive) parts[++m] = sprintf("%6.1f%%  %s", 100 * inclusive[p] / samples, p)
    cmd = "sort -rn | head -n 40"; for (i = 1; i <= m; i++) print parts[i] | cmd; close(cmd)
  }'
