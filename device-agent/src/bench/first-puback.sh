#!/usr/bin/env bash
# Process start to first PUBACK of the real `pettysync agent` (the CLI, as the .deb runs it) with a frame waiting in
# its outbox, against `pettysync cloud` on loopback: RUNS times, each after an offline run that leaves a frame.
# "PUBACK" is read at the cloud: the local IoT Core stores a frame (received_at, ms) before it sends the PUBACK,
# so received_at - process start is an upper bound of start -> PUBACK minus the PUBACK's trip back (< 1 ms here).
#
#   device-agent/src/bench/first-puback.sh [RUNS=5] [OUT=target/first-puback]
#   PETTYSYNC_BENCH_FLAGS="..." overrides the JVM flags (default: the systemd unit's, read from its file);
#   PETTYSYNC_BENCH_CDS=1 adds an application class-data archive (-XX:+AutoCreateSharedArchive) kept in OUT.
set -euo pipefail
runs=${1:-5}
out=${2:-target/first-puback}
port=${PETTYSYNC_BENCH_PORT:-18893}

. device-agent/src/bench/snapshot.sh
if [ "${PETTYSYNC_BENCH_CDS:-0}" = 1 ]; then
  flags="$flags -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$out/agent.jsa -Xlog:cds*=off"
fi

"$out/run.sh" "$out/lib-cloud" "-XX:+UseSerialGC" cloud --port "$port" --dir "$out/cloud" --duration 1800 >"$out/cloud.out" 2>"$out/cloud.log" &
cloud=$!
agent=""
trap 'kill $cloud $agent 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "$port" "$out/cloud.out" 2>/dev/null && break; sleep 1; done
"$out/run.sh" "$out/lib-cloud" "" cloud issue collar-first-puback --dir "$out/cloud" --port "$port" --out "$out/collar" >/dev/null 2>&1
sed -i 's/"sensors" *: *"[a-z]*"/"sensors": "simulated"/; s/^{/{\n  "windowS": 5,/' "$out/collar/agent.json"
sed "s/\"port\" *: *$port/\"port\" : $((port + 1))/" "$out/collar/agent.json" >"$out/collar/offline.json"

stored() { sqlite3 "$out/cloud/frames.db" "select count(*) from telemetry" 2>/dev/null || echo 0; }
for i in $(seq 1 "$runs"); do
  # offline: nothing listens on port+1, so the window's frame stays in the outbox
  timeout -s TERM 8 "$out/run.sh" "$out/lib-collar" "$flags" agent --config "$out/collar/offline.json" --simulated \
    >>"$out/offline.log" 2>&1 || true
  before=$(stored)
  start=$(date +%s%3N)
  "$out/run.sh" "$out/lib-collar" "$flags" agent --config "$out/collar/agent.json" --simulated >>"$out/agent.log" 2>&1 &
  agent=$!
  for _ in $(seq 1 400); do [ "$(stored)" -gt "$before" ] && break; sleep 0.05; done
  first=$(sqlite3 "$out/cloud/frames.db" "select min(received_at) from telemetry where received_at >= $start")
  kill -TERM "$agent"; wait "$agent" || true; agent=""
  echo "run $i: start to first PUBACK $((first - start)) ms" | tee -a "$out/summary.txt"
done
