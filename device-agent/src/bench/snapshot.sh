#!/usr/bin/env bash
# Sourced by the bench scripts, with $out set: empties $out (made absolute), builds if needed, then snapshots the jars
# so that a rebuild of the checkout during a long run cannot touch the running JVMs. Needs the sqlite3 command
# (Debian package sqlite3) for the scripts' counts at the cloud.
#   $out/lib-cloud  everything (the local IoT Core needs the simulator module)
#   $out/lib-collar what the .deb ships: device-agent and its runtime dependencies only
#   $out/run.sh LIBDIR "JVM FLAGS" COMMAND...   runs com.pettysync.cli.Pettysync as ./pettysync does
#   $unit_flags   the -X and -D flags of the systemd unit's PETTYSYNC_JAVA_OPTS (what the collar runs), read from the unit file
#   $flags        $PETTYSYNC_BENCH_FLAGS if set, else $unit_flags
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
./pettysync --version >/dev/null
unit_flags=$(sed -n 's/^Environment="PETTYSYNC_JAVA_OPTS=\(.*\)"$/\1/p' device-agent/src/deb/pettysync-agent.service \
  | tr ' ' '\n' | grep -E '^-(X|D)' | tr '\n' ' ')
mkdir -p "$out/lib-cloud" "$out/lib-collar"
cp target/pettysync/lib/*.jar "$out/lib-cloud/"
for jar in */target/*.jar; do
  case "$jar" in *-tests.jar|*-sources.jar|*-javadoc.jar|*/benchmarks.jar) ;; *) cp "$jar" "$out/lib-cloud/" ;; esac
done
# -am with package: the project's own modules resolve to the reactor's jars (nothing is installed in ~/.m2); each
# module writes the file in turn, device-agent last
./mvnw -q -B -o -pl device-agent -am -Dmaven.test.skip=true package dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$out/collar-classpath.txt" >/dev/null
tr ':' '\n' <"$out/collar-classpath.txt" | while read -r jar; do
  name=$(basename "$jar")
  # the project's own modules come from the checkout's build, not from ~/.m2
  case "$name" in
    cloud-contract-*|sensor-drivers-*|edge-ml-*) cp "$out/lib-cloud/$name" "$out/lib-collar/" ;;
    *) cp "$jar" "$out/lib-collar/" ;;
  esac
done
for jar in device-agent/target/device-agent-*.jar; do
  case "$jar" in *-tests.jar|*-sources.jar) ;; *) cp "$jar" "$out/lib-collar/" ;; esac
done
. .mvn/find-jdk.sh
unsafe=""; [ "$PETTYSYNC_JDK_FEATURE" -ge 24 ] && unsafe="--sun-misc-unsafe-memory-access=allow"
cat >"$out/run.sh" <<RUN
#!/bin/sh
lib=\$1; flags=\$2; shift 2
exec "$JAVA_HOME/bin/java" $unsafe \$flags -Dtinylog.configuration="$PWD/target/pettysync/tinylog-cli.properties" \\
  --enable-native-access=ALL-UNNAMED -cp "\$lib/*" com.pettysync.cli.Pettysync "\$@"
RUN
chmod +x "$out/run.sh"
flags=${PETTYSYNC_BENCH_FLAGS:-$unit_flags}
