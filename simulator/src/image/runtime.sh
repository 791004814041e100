#!/bin/sh
# Builds the fleet image's root file system extras (Maven profile -Pimage, before Jib packs the image):
#   OUT/opt/java      a jlink'ed Java runtime made from the build's own JDK (JAVA_HOME)
#   OUT/<lib paths>   the glibc and zlib files that runtime and sqlite-jdbc's native library link to, copied from
#                     this build host at the same absolute paths (so the image runs FROM scratch)
#   OUT/tmp           an empty, world-writable /tmp (sqlite-jdbc extracts its native library there)
# Usage: runtime.sh JAVA_HOME OUT MODULES
# The image's platform is this host's: linux/amd64 on an x86-64 glibc host.
set -eu
java_home=$1
out=$2
modules=$3

if [ "$(uname -s)" != Linux ] || ! command -v ldd >/dev/null 2>&1; then
  echo "runtime.sh: the image's runtime is built from this host's glibc: needs Linux with ldd" >&2
  exit 1
fi

stamp="$out.modules"   # beside the root, not in the image
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$modules $java_home" ] && [ -x "$out/opt/java/bin/java" ]; then
  echo "runtime.sh: $out/opt/java is up to date"
else
  rm -rf "$out"
  mkdir -p "$out/opt"
  "$java_home/bin/jlink" --add-modules "$modules" --output "$out/opt/java" \
      --strip-debug --no-header-files --no-man-pages --compress=zip-6
  echo "$modules $java_home" >"$stamp"
fi

mkdir -p "$out/tmp"
chmod 1777 "$out/tmp"

# Every shared object the runtime's ELF files need, plus the interpreter; and what sqlite-jdbc's bundled
# libsqlitejdbc.so needs (libc, libm, libpthread, libdl: glibc's core, listed explicitly since it is extracted at
# run time and not visible to ldd here).
libs=$(
  # headless: the desktop toolkit's X11 and sound libraries are left out (java.awt.headless=true in the image)
  find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) ! -name 'libawt_xawt.so' \
      ! -name 'libjsound.so' ! -name 'libsplashscreen.so' ! -name 'libjawt.so' -exec ldd {} \; 2>/dev/null |
    awk '/=> \// {print $3} /^[[:space:]]*\/[^ ]*ld-linux/ {print $1}'
  for name in libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libz.so.1; do
    ldconfig -p 2>/dev/null | awk -v n="$name" '$1 == n && /x86-64|x86_64|64bit/ {print $NF; exit}'
  done
)
for lib in $(printf '%s\n' "$libs" | sort -u); do
  case "$lib" in "$out"/*) continue ;; esac   # the runtime's own libraries
  [ -e "$lib" ] || continue
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# the loader is reached through /lib64 on x86-64 (the path compiled into every executable)
interp=$(find "$out" -name 'ld-linux-x86-64.so.2' -type f | head -n 1)
if [ -n "$interp" ] && [ ! -e "$out/lib64/ld-linux-x86-64.so.2" ]; then
  mkdir -p "$out/lib64"
  cp "$interp" "$out/lib64/ld-linux-x86-64.so.2"
fi
echo "runtime.sh: $(du -sh "$out" | cut -f1) in $out (runtime: $modules)"
