#!/bin/sh
# Runs the fleet image without a container engine: unpacks the image tarball's layers (in manifest order) into a
# root file system and runs the image's own entrypoint (from its config.json) in a chroot, as the image's user, with
# what a container runtime would provide: /proc, /dev, /sys, and the root as a mount point.
# Needs root (chroot, mount) and python3 (to read the JSON). Usage:
#   sudo sh simulator/src/image/verify.sh simulator/target/jib-image.tar            # java -version, simulate --help
#   sudo sh simulator/src/image/verify.sh simulator/target/jib-image.tar --run      # + a 20-collar simulation (~30 s)
#   sudo sh simulator/src/image/verify.sh simulator/target/jib-image.tar --shard fleet.yaml CA_DIR
#       + shard 0 of a manifest printed by 'simulate k8s' (python3-yaml): its volumes made as directories (the CA
#       copied in), its init containers run in order (sidecars left running in the background), its container run with the arguments the kubelet would
#       expand; the chroot shares this machine's network, so the pod's loopback port (8883) must be free here
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
if [ "$run" = "--shard" ]; then
  manifest=$3
  ca=$4
  # one line per container: "sidecar|main" TAB the expanded arguments, NUL-free, separated by \x1f
  python3 - "$manifest" "$ca" "$root" "$work/containers" <<'PY'
import os, re, shutil, sys, yaml
manifest, ca, root, out = sys.argv[1:5]
job = next(d for d in yaml.safe_load_all(open(manifest)) if d and d["kind"] == "Job")
pod = job["spec"]["template"]["spec"]
uid = pod["securityContext"]["runAsUser"]
volumes = {v["name"]: v for v in pod["volumes"]}
def expand(args, env):
    return [re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), a) for a in args]
with open(out, "w") as f:
    init = [("sidecar" if c.get("restartPolicy") == "Always" else "init", c) for c in pod.get("initContainers", [])]
    for kind, c in init + [("main", c) for c in pod["containers"]]:
        env = {"JOB_COMPLETION_INDEX": "0"}
        env.update({e["name"]: e["value"] for e in c.get("env", []) if "value" in e})
        for m in c.get("volumeMounts", []):
            path = root + m["mountPath"]
            os.makedirs(path, exist_ok=True)
            if "secret" in volumes[m["name"]]:
                for name in ("ca.pem", "ca.key"):
                    shutil.copy(os.path.join(ca, name), path)
                    os.chown(os.path.join(path, name), 0, uid)
                    os.chmod(os.path.join(path, name), 0o440)
            else:
                os.chown(path, uid, uid)
        f.write(kind + "\t" + "\x1f".join(expand(c["args"], env)) + "\n")
PY
  sidecars=""
  while IFS="$(printf '\t')" read -r kind args; do
    set -f
    old_ifs=$IFS; IFS="$(printf '\037')"
    # shellcheck disable=SC2086
    set -- $args
    IFS=$old_ifs; set +f
    if [ "$kind" = init ]; then
      echo "init container: $*"
      in_image "$@" </dev/null || { echo "init container failed"; exit 1; }
    elif [ "$kind" = sidecar ]; then
      in_image "$@" </dev/null >"$work/sidecar.log" 2>&1 &
      sidecars="$sidecars $!"
      echo "sidecar started: $* (its log follows when the shard fails)"
    else
      status=0
      echo "shard: $*"
      in_image "$@" </dev/null || status=$?
      for pid in $sidecars; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
      echo "shard exited with $status"
      [ "$status" = 0 ] || { tail -n 20 "$work/sidecar.log"; exit "$status"; }
    fi
  done <"$work/containers"
fi
