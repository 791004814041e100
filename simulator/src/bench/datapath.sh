#!/bin/sh
# The data path after ingest at fleet size (DataPathBench): a synthetic hot store, the delivery report over it, the
# archive of part of it. Usage, from the repository root:
#   sh simulator/src/bench/datapath.sh [COLLARS [ARCHIVE_COLLARS [THREADS]]]     (default 28000 2000 4)
# Builds the modules (no tests), compiles the bench beside them and runs it niced; prints one JSON line.
set -eu
cd "$(dirname "$0")/../../.."
. ./.mvn/find-jdk.sh
pettysync_find_jdk
./mvnw -B -q -pl simulator -am -DskipTests package
CP=""
for m in cloud-contract sensor-drivers edge-ml device-agent provisioning simulator; do CP="$CP$PWD/$m/target/classes:"; done
CP="$CP$PWD/target/pettysync/lib/*"
OUT=simulator/target/bench-classes
mkdir -p "$OUT"
"$JAVA_HOME/bin/javac" --release 21 -d "$OUT" -cp "$CP" simulator/src/bench/java/com/pettysync/simulator/bench/DataPathBench.java
exec nice -n 10 "$JAVA_HOME/bin/java" -Xmx3g -Dtinylog.writer.level=warn --enable-native-access=ALL-UNNAMED \
  -cp "$OUT:$CP" com.pettysync.simulator.bench.DataPathBench "${1:-28000}" "${2:-2000}" "${3:-4}"
