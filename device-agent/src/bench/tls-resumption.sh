#!/usr/bin/env bash
# Handshake bytes and CPU with and without TLS session resumption (TlsHandshakeBench: the agent's own PemTls factory,
# N MQTT 5 connects with a fresh SSLContext each vs N through one kept SSLContext) against two real brokers on
# loopback: the local cloud (`pettysync cloud`: HiveMQ CE on the JDK's TLS) and Debian's Mosquitto (OpenSSL) with a
# broker certificate from the same CA. The collar identity is the one `pettysync cloud issue` writes (EC P-256).
#
#   device-agent/src/bench/tls-resumption.sh [N=200] [OUT=target/tls-resumption]
#
# Run from the repository root. Needs mosquitto, openssl and sqlite3 (Debian packages).
set -euo pipefail
n=${1:-200}
out=${2:-target/tls-resumption}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
bench=device-agent/src/bench/java/com/pettysync/agent/uplink/TlsHandshakeBench.java

. device-agent/src/bench/snapshot.sh

"$out/run.sh" "$out/lib-cloud" "-XX:+UseSerialGC" cloud --port "$port" --dir "$out/cloud" --duration 1800 >"$out/cloud.out" 2>"$out/cloud.log" &
cloud=$!
mosq=""
trap 'kill $cloud $mosq 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "$port" "$out/cloud.out" 2>/dev/null && break; sleep 1; done
"$out/run.sh" "$out/lib-cloud" "" cloud issue collar-tls-bench --dir "$out/cloud" --port "$port" --out "$out/collar" >/dev/null 2>&1
c=$out/collar
cloud_java=$(pgrep -P "$cloud" java || echo "$cloud")
[ -d "/proc/$cloud_java" ] || cloud_java=$cloud

echo "== local cloud (HiveMQ CE, JDK TLS), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/summary.txt"
"$JAVA_HOME/bin/java" -cp "$out/lib-collar/*" "$bench" localhost "$port" collar-tls-bench "$c/certificate.pem" \
  "$c/private-key.pem" "$c/ca.pem" "$n" "$cloud_java" 2>"$out/bench-cloud.log" | tee -a "$out/summary.txt"

# Mosquitto: a broker certificate for localhost from the cloud's CA, client certificates required
m=$out/mosquitto; mkdir -p "$m"
openssl ecparam -name prime256v1 -genkey -noout -out "$m/broker.key"
openssl req -new -key "$m/broker.key" -subj "/CN=localhost" -out "$m/broker.csr"
printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n" >"$m/broker.ext"
openssl x509 -req -in "$m/broker.csr" -CA "$out/cloud/ca/ca.pem" -CAkey "$out/cloud/ca/ca.key" -CAcreateserial \
  -days 2 -extfile "$m/broker.ext" -out "$m/broker.pem" 2>/dev/null
chmod 755 "$m"; chmod 644 "$m/broker.key" # mosquitto drops to its own user when started as root
mport=$(free_port)
cat >"$m/mosquitto.conf" <<CONF
per_listener_settings false
allow_anonymous true
persistence false
listener $mport 127.0.0.1
cafile $out/cloud/ca/ca.pem
certfile $m/broker.pem
keyfile $m/broker.key
require_certificate true
use_identity_as_username true
CONF
/usr/sbin/mosquitto -c "$m/mosquitto.conf" >"$m/mosquitto.log" 2>&1 &
mosq=$!
for _ in $(seq 1 50); do ss -ltnH "sport = :$mport" | grep -q . && break; sleep 0.1; done
echo "== Mosquitto $(/usr/sbin/mosquitto -h | head -1 | awk '{print $3}') (OpenSSL), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/summary.txt"
"$JAVA_HOME/bin/java" -cp "$out/lib-collar/*" "$bench" localhost "$mport" collar-tls-bench "$c/certificate.pem" \
  "$c/private-key.pem" "$c/ca.pem" "$n" "$mosq" 2>"$out/bench-mosquitto.log" | tee -a "$out/summary.txt"
