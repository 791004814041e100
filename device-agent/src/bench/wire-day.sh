#!/usr/bin/env bash
# Wire bytes of one collar: the real agent (--simulated, the CLI as the .deb runs it, mutual TLS, Paho) against the
# local cloud (`pettysync cloud`) on loopback at the product defaults (5-minute windows, keep-alive 1200 s), for
# SECONDS of real time, captured with tshark on lo (the broker port only). Prints the capture as bursts (packets
# less than 2 s apart), each with the bytes up (collar -> broker) and down at two layers: TCP payload (= TLS
# records) and IP (TCP payload + IP and TCP headers), and what the cloud stored. wire-day.awk then names the
# bursts (connect, frame, shadow report, keep-alive) and extrapolates to a collar-day.
#
#   device-agent/src/bench/wire-day.sh [SECONDS=720] [OUT=target/wire-day]
#
# Run from the repository root as a user that may capture on lo (root, or in the wireshark group). Needs tshark and
# sqlite3 (Debian packages). Not part of any test: it takes SECONDS of wall time.
set -euo pipefail
seconds=${1:-720}
out=${2:-target/wire-day}
port=${PETTYSYNC_BENCH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
here=$(cd "$(dirname "$0")" && pwd)

. device-agent/src/bench/snapshot.sh

"$out/run.sh" "$out/lib-cloud" "-XX:+UseSerialGC" cloud --port "$port" --dir "$out/cloud" --duration $((seconds + 180)) >"$out/cloud.out" 2>"$out/cloud.log" &
cloud=$!
capture=""
trap 'kill $cloud $capture 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "$port" "$out/cloud.out" 2>/dev/null && break; sleep 1; done
"$out/run.sh" "$out/lib-cloud" "" cloud issue collar-wire-day --dir "$out/cloud" --port "$port" --out "$out/collar" >/dev/null 2>&1
# the defaults except the sensors: no windowS, no keepAliveS in the file
sed -i 's/"sensors" *: *"[a-z]*"/"sensors": "simulated"/' "$out/collar/agent.json"

tshark -q -i lo -f "tcp port $port" -w "$out/wire.pcapng" 2>"$out/tshark.log" &
capture=$!
for _ in $(seq 1 50); do grep -q "Capturing on" "$out/tshark.log" 2>/dev/null && break; sleep 0.1; done
started=$(date +%s%3N)
timeout -s TERM "$seconds" "$out/run.sh" "$out/lib-collar" "$flags" agent --config "$out/collar/agent.json" --simulated \
  >"$out/agent.out" 2>"$out/agent.log" || true
sleep 2
kill -INT "$capture"; wait "$capture" 2>/dev/null || true; capture=""

# one line per packet of the agent's connections (TCP streams whose SYN went to the broker port: another process's
# connection may use the port number as its ephemeral source port): epoch, direction (up = to the broker), IP length,
# TCP payload length, TCP flags
tshark -r "$out/wire.pcapng" -T fields -E separator=, -e frame.time_epoch -e tcp.stream -e tcp.dstport -e ip.len \
  -e tcp.len -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin 2>/dev/null | awk -F, -v port="$port" '
    $6 == 1 && $7 == 0 && $3 == port { ours[$2] = 1 }
    ours[$2] { printf "%s,%s,%s,%s,%s\n", $1, ($3 == port ? "up" : "down"), $4, $5, ($6 == 1 && $7 == 0 ? "S" : $8 == 1 ? "F" : "") }' \
  >"$out/packets.csv"
sqlite3 "$out/cloud/frames.db" "select received_at from telemetry order by received_at" >"$out/frames.txt" 2>/dev/null || true
{
  echo "== capture: $seconds s of the agent at the defaults, broker port $port, agent started at $started ms"
  awk -f "$here/wire-day.awk" -v frames="$out/frames.txt" "$out/packets.csv"
  echo "== cloud: stored"
  sqlite3 "$out/cloud/frames.db" "select 'telemetry frames', count(*) from telemetry" 2>/dev/null || echo "?"
  sqlite3 "$out/cloud/frames.db" "select 'events', count(*) from events" 2>/dev/null || echo "?"
} | tee "$out/summary.txt"
