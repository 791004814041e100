# Sourced by ./mvnw, ./pettysync and .ci/run (POSIX sh). Exports JAVA_HOME pointing at a JDK >= 21:
# JAVA_HOME if it already is one, else the newest JDK >= 21 under /usr/lib/jvm (or
# $PETTYSYNC_JVM_DIR), else it stops with a message saying what to install.
pettysync_jdk_feature() {
  # prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
pettysync_find_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(pettysync_jdk_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then PETTYSYNC_JDK_FEATURE=$v; return 0; fi
  fi
  best=""; bestv=0
  case $- in *f*) noglob=1; set +f ;; *) noglob=0 ;; esac
  for d in "${PETTYSYNC_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$d" ] || continue
    v=$(pettysync_jdk_feature "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  [ "$noglob" = 1 ] && set -f
  if [ -z "$best" ]; then
    echo "pettysync: a JDK 21 or newer is required (found none in JAVA_HOME or ${PETTYSYNC_JVM_DIR:-/usr/lib/jvm})." >&2
    echo "pettysync: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21/25, or set JAVA_HOME." >&2
    exit 1
  fi
  JAVA_HOME=$best
  PETTYSYNC_JDK_FEATURE=$bestv
}
pettysync_find_jdk
export JAVA_HOME
PATH="$JAVA_HOME/bin:$PATH"
export PATH
# Maven 3.9's Guice uses sun.misc.Unsafe; JDK 24+ warns about it on every build unless told to allow it.
if [ "$PETTYSYNC_JDK_FEATURE" -ge 24 ]; then
  case "${MAVEN_OPTS-}" in *sun-misc-unsafe-memory-access*) ;; *)
    MAVEN_OPTS="${MAVEN_OPTS-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;; esac
fi
