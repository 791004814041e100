#!/usr/bin/env bash
# Runs one of the simulator's bench mains (src/bench/java/.../bench) without the other modules' benchmarks: the
# bench sources of every module are compiled (test-compile, -Pbench, tests skipped), the simulator's test class path
# is resolved in the same reactor (the modules are not installed in ~/.m2), then the main runs in a JVM of its own.
#
#   simulator/src/bench/run-bench.sh FenceLatency 100 3000
#   simulator/src/bench/run-bench.sh EscapeFleet 1000 10 10 60
#
# Run from the repository root.
set -euo pipefail
main=$1; shift
cp_file="$PWD/simulator/target/bench-classpath.txt"
./mvnw -q -B -pl simulator -am -Pbench -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
. .mvn/find-jdk.sh
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -Dtinylog.writer.level=warn \
  -cp "simulator/target/test-classes:simulator/target/classes:$(cat "$cp_file")" \
  "com.pettysync.simulator.bench.$main" "$@"
