#!/usr/bin/env bash
# CPU and memory of the agent over real time: the local cloud in one process, the agent (--simulated: twins ->
# real drivers -> edge-ml -> outbox -> Paho/mTLS) in another, with the systemd unit's JVM flags, for SECONDS of
# wall time at the real window length. Prints /usr/bin/time -v of the agent, the CPU share over the whole run and
# over the steady state (after the first window), an RSS series, and what the cloud stored.
#
#   device-agent/src/bench/cpu-hour.sh [SECONDS=3600] [WINDOW_S=300] [OUT=target/cpu-hour]
#
# Run from the repository root. Not part of any test: it takes SECONDS of wall time.
set -euo pipefail
seconds=${1:-3600}
window=${2:-300}
out=${3:-target/cpu-hour}
port=${PETTYSYNC_BENCH_PORT:-18883}

. device-agent/src/bench/snapshot.sh

"$out/run.sh" "$out/lib-cloud" "-XX:+UseSerialGC" cloud --port "$port" --dir "$out/cloud" --duration $((seconds + 180)) >"$out/cloud.out" 2>"$out/cloud.log" &
cloud=$!
trap 'kill $cloud 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "$port" "$out/cloud.out" 2>/dev/null && break; sleep 1; done
"$out/run.sh" "$out/lib-cloud" "" cloud issue collar-cpu-hour --dir "$out/cloud" --port "$port" --out "$out/collar" >/dev/null 2>&1
sed -i "s/\"sensors\" *: *\"[a-z]*\"/\"sensors\": \"simulated\"/; s/^{/{\n  \"windowS\": $window,/" "$out/collar/agent.json"

/usr/bin/time -v -o "$out/time.txt" \
  timeout -s TERM "$seconds" "$out/run.sh" "$out/lib-collar" "$flags" agent --config "$out/collar/agent.json" --simulated \
  >"$out/agent.out" 2>"$out/agent.log" &
runner=$!
pid=""
for _ in $(seq 1 100); do
  pid=$( (pgrep -f "collar/agent.json --simulated" || true) | while read -r p; do
    case "$(readlink "/proc/$p/exe" 2>/dev/null)" in */java) echo "$p" ;; esac; done | head -1)
  [ -n "$pid" ] && break; sleep 0.1
done
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0; }
echo "elapsed_s,cpu_ticks,rss_kb" >"$out/series.csv"
start=$(date +%s)
steady_cpu=""; steady_t=""
while kill -0 "$runner" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  c=$(cpu); r=$(rss)
  [ -d "/proc/$pid" ] && echo "$now,$c,$r" >>"$out/series.csv"
  if [ -z "$steady_cpu" ] && [ "$now" -ge $((window + 10)) ]; then steady_cpu=$c; steady_t=$now; fi
  sleep 30
done
wait "$runner" || true
last=$(tail -1 "$out/series.csv")
last_t=${last%%,*}; rest=${last#*,}; last_cpu=${rest%%,*}
sql() { sqlite3 "$out/cloud/frames.db" "$1" 2>/dev/null || echo "?"; }
{
  echo "== agent: /usr/bin/time -v (whole run, JVM start included)"
  cat "$out/time.txt"
  echo "== CPU share of one core"
  awk -v t="$(grep 'User time' "$out/time.txt" | awk '{print $NF}')" \
      -v s="$(grep 'System time' "$out/time.txt" | awk '{print $NF}')" -v w="$seconds" \
      'BEGIN { printf "whole run: %.2f s CPU in %d s = %.3f %%\n", t + s, w, 100 * (t + s) / w }'
  if [ -n "$steady_cpu" ]; then
    awk -v a="$steady_cpu" -v b="$last_cpu" -v ta="$steady_t" -v tb="$last_t" -v hz="$tick" \
      'BEGIN { printf "steady state (%d s .. %d s): %.2f s CPU = %.3f %%\n", ta, tb, (b - a) / hz, 100 * (b - a) / hz / (tb - ta) }'
  fi
  echo "== RSS (kB): first, max, last sample"
  awk -F, 'NR == 2 { f = $3 } NR > 1 { if ($3 > m) m = $3; l = $3 } END { print f, m, l }' "$out/series.csv"
  echo "== cloud: stored frames"
  sql "select 'telemetry frames', count(*), 'seq', min(seq), max(seq) from telemetry"
  sql "select 'events', count(*) from events"
  sql "select 'duplicates dropped', coalesce(sum(count), 0) from duplicates"
  sql "select 'rejects', count(*) from rejects"
} | tee "$out/summary.txt"
