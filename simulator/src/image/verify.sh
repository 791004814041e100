#!/bin/sh
# Runs the fleet image without a container engine: unpacks the image tarball's layers (in manifest order) into a
# root file system and runs the image's own entrypoint (from its config.json) in a chroot, as the image's user, with
# what a container runtime would provide: /proc, /dev, /sys, and the root as a mount point.
# Needs root (chroot, mount) and python3 (to read the JSON). Usage:
#   sudo sh simulator/src/image/verify.sh simulator/target/jib-image.tar            # java -version, simulate --help
#   sudo sh simulator/src/image/verify.sh simulator/target/jib-image.tar --run      # + a 20-collar simulation (~30 s)
set -eu
tarball=$1
run=${2:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/pettysync-image.XXXXXX")
root="$work/rootfs"
cleanup() {
  for m in "$root/sys" "$root/dev" "$root/proc" "$root"; do
    if grep -q " $m " /proc/self/mounts 2>/dev/null; then umount -R "$m" 2>/dev/null || umount -l "$m" || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$root"
tar -xf "$tarball" -C "$work" manifest.json config.json
for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' \
    "$work/manifest.json"); do
  tar -xf "$tarball" -C "$work" "$layer"
  tar --warning=no-unknown-keyword -xzf "$work/$layer" -C "$root"
  rm -f "$work/$layer"
done
echo "image: $(du -sh "$root" | cut -f1) unpacked, $(du -h "$tarball" | cut -f1) tarball," \
  "platform $(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["os"]+"/"+c["architecture"])' \
  "$work/config.json")"

mkdir -p "$root/proc" "$root/dev" "$root/sys"
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"

user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("User") or "0:0")' \
  "$work/config.json")
# the entrypoint, one argument per line (some contain spaces)
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["config"]["Entrypoint"]))' \
  "$work/config.json" >"$work/entrypoint"
in_image() {
  # "$@" after the entrypoint's arguments; the image's environment only
  python3 - "$work/config.json" "$work/entrypoint" "$root" "$user" "$@" <<'PY'
import json, os, shutil, sys
config, entry, root, user = sys.argv[1:5]
env = dict(e.split("=", 1) for e in json.load(open(config))["config"].get("Env", []))
args = open(entry).read().split("\n")[:-1] + sys.argv[5:]
os.execve(shutil.which("chroot"), ["chroot", "--userspec=" + user, root] + args, env)
PY
}

chroot --userspec="$user" "$root" /opt/java/bin/java -version
in_image simulate --help
if [ "$run" = "--run" ]; then
  in_image simulate --collars 20 --duration 15m --speedup 300 --ramp-per-s 50 --out /tmp/sim
fi
