"""Real recordings from Debian packages, reproducibly: download -> extract -> 16 kHz mono -> trim -> manifest.

Run from the repository root (root or sudo for apt-get update; needs `sox` and `dpkg-deb`):
    apt-get update && apt-get install -y sox
    /usr/bin/python3 edge-ml/training/realdata.py            # about 1.1 GB of .deb downloads, 5-10 min
Writes (all under edge-ml/training/data/, git-ignored):
    debs/<package>_<version>_<arch>.deb    what `apt-get download <package>` fetched (no install)
    tree/<package>/                       `dpkg-deb -x` of it
    clips/<package>/<n>.wav               16 kHz mono 16-bit, silence trimmed, at most MAX_SECONDS
    manifest.jsonl                        one JSON object per clip: package, version, path (inside the
                                          package), sha256 (of the original file), licence (from the package's
                                          debian/copyright), label, label_confidence, role, seconds, clip

Labels: the five classes of the model (bark, growl, whine, howl, other) for role "clip"; role "noise" files are
background for augmentation only and never a test example. `label_confidence` says how sure the label is
from the file's name and the package's description alone (no one listened to every file): 1.0 for
"this is not a dog", lower for dog labels inferred from a name such as wolf.wav.

Packages reserved for an independent evaluation are refused (RESERVED below): the script never downloads,
extracts or reads them, and stops if one is ever added to SOURCES. Identical files (same sha256) shipped in
several places or packages are kept once, under the first package that has them.
"""
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
MAX_SECONDS = 8.0
MIN_SECONDS = 0.15
AUDIO = re.compile(r"\.(wav|ogg|oga|flac|au)$", re.I)

# Reserved for an independent evaluation: never used for training or validation.
RESERVED = frozenset({
    "scratch", "lugaru-data", "qabcs-data", "scorched3d-data", "wesnoth-1.16-data", "widelands-data",
    "tuxpaint-stamps-default", "xemacs21-basesupport", "mate-media-common", "trophy-data", "etw-data",
    "wx3.2-examples",
})

# (package, role, path regex inside the package, label, label confidence, at most this many files).
# Rules are tried in order per file; the first match decides. Dog-audio is scarce outside the reserved set:
# see MODEL_CARD.md. "bark.ogg" of GNOME-derived sound themes (budgie, gnome-control-center, ukui) is the same
# recording as the reserved mate-media-common's alert, so it is excluded, not used.
SOURCES = [
    # real canid vocalisations
    ("megaglest-data", "clip", r"/sounds/wolf\.wav$", "howl", 0.7, 40),
    ("hyperrogue-music", "clip", r"seen-woof\.ogg$", "bark", 0.7, 5),
    ("pekka-kana-2-data", "clip", r"wolf_ko\.wav$", "whine", 0.4, 5),
    ("castle-game-engine-doc", "clip", r"werewolf_howling\.wav$", "howl", 0.6, 5),
    # everything else a collar hears: other animals, speech, household and outdoor sounds, signals
    ("megaglest-data", "noise", r"tilesets/[^/]+/sounds/.*(wind|rain|water|river|wave|storm|leaves|forest)", "other", 1.0, 40),
    ("megaglest-data", "clip", r"tilesets/[^/]+/sounds/", "other", 1.0, 120),
    ("megaglest-data", "clip", r"techs/.*/sounds/", "other", 1.0, 150),
    ("pekka-kana-2-data", "clip", r"", "other", 1.0, 60),
    ("libreoffice-common", "clip", r"gallery/sounds/", "other", 1.0, 40),
    ("ktuberling-data", "clip", r"sounds/(en|de|fr|es|it|nl|pl|ru)/", "other", 1.0, 160),
    ("klettres-data", "clip", r"/(en|de|fr|it|cs|nl)/", "other", 1.0, 120),
    ("asterisk-core-sounds-en-wav", "clip", r"", "other", 1.0, 150),
    ("codec2-examples", "noise", r"", "other", 1.0, 16),
    ("hedgewars-data", "clip", r"Sounds/voices/", "other", 1.0, 120),
    ("hedgewars-data", "clip", r"Sounds/[^/]+$", "other", 1.0, 80),
    ("sound-theme-freedesktop", "clip", r"", "other", 1.0, 40),
    ("oxygen-sounds", "clip", r"", "other", 1.0, 50),
    ("gnome-audio", "clip", r"", "other", 1.0, 16),
    ("alsa-utils", "noise", r"", "other", 1.0, 9),
    ("flare-game", "noise", r"environment/", "other", 1.0, 30),
    ("flare-game", "clip", r"soundfx/", "other", 1.0, 90),
    ("lincity-ng-data", "noise", r"", "other", 1.0, 60),
    ("freeciv-data", "clip", r"", "other", 1.0, 19),
    ("frozen-bubble-data", "clip", r"", "other", 1.0, 21),
    ("neverball-common", "clip", r"", "other", 1.0, 50),
    ("supertux-data", "clip", r"sounds/", "other", 1.0, 80),
]
EXCLUDE = re.compile(r"(^|/)bark\.og[ga]$|/music/", re.I)  # see SOURCES; long music tracks are not collar sounds


def refuse_reserved(packages):
    bad = sorted(set(packages) & RESERVED)
    if bad:
        sys.exit(f"refusing reserved evaluation packages {bad}: they must never be used for training or validation")


def run(*cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def download(package):
    refuse_reserved([package])
    debs = os.path.join(DATA, "debs")
    os.makedirs(debs, exist_ok=True)
    have = [f for f in os.listdir(debs) if f.startswith(package + "_") and f.endswith(".deb")]
    if not have:
        run("apt-get", "download", package, cwd=debs)
        have = [f for f in os.listdir(debs) if f.startswith(package + "_") and f.endswith(".deb")]
    deb = os.path.join(debs, sorted(have)[-1])
    version = os.path.basename(deb).split("_")[1]
    tree = os.path.join(DATA, "tree", package)
    if not os.path.isdir(tree):
        os.makedirs(tree)
        run("dpkg-deb", "-x", deb, tree)
    return tree, version


def licence(tree, package):
    """Licence short names from the package's machine-readable debian/copyright (or its first line)."""
    path = os.path.join(tree, "usr/share/doc", package, "copyright")
    if not os.path.exists(path):
        docs = os.path.join(tree, "usr/share/doc")
        linked = [d for d in os.listdir(docs)] if os.path.isdir(docs) else []
        return f"see /usr/share/doc/{linked[0] if linked else package}/copyright (link in package)"
    with open(path, errors="replace") as f:
        text = f.read()
    names = []
    for m in re.finditer(r"^License:\s*(\S.*)$", text, re.M):
        name = m.group(1).strip()
        if name not in names:
            names.append(name)
    return " | ".join(names) if names else text.strip().splitlines()[0][:120]


def convert(src, dst):
    """16 kHz mono 16-bit; leading and trailing silence (below 0.3 %) trimmed; at most MAX_SECONDS."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    subprocess.run(["sox", "-V1", src, "-r", "16000", "-c", "1", "-b", "16", dst,
                    "silence", "1", "0.02", "0.3%", "reverse", "silence", "1", "0.02", "0.3%", "reverse",
                    "trim", "0", str(MAX_SECONDS)], check=True, capture_output=True)
    out = run("soxi", "-D", dst).strip()
    return float(out) if out else 0.0


def main():
    refuse_reserved([p for p, *_ in SOURCES])
    packages = list(dict.fromkeys(p for p, *_ in SOURCES))
    seen = set()
    rows = []
    for package in packages:
        try:
            tree, version = download(package)
        except subprocess.CalledProcessError as e:
            print(f"{package}: download failed ({e.stderr.strip()[:200]}), skipped", file=sys.stderr)
            continue
        lic = licence(tree, package)
        files = []
        for dirpath, _, names in os.walk(tree):
            for name in sorted(names):
                full = os.path.join(dirpath, name)
                if AUDIO.search(name) and os.path.isfile(full) and not os.path.islink(full):
                    files.append(full)
        files.sort()
        used = {}
        for full in files:
            rel = "/" + os.path.relpath(full, tree)
            if EXCLUDE.search(rel):
                continue
            rule = next((r for r in SOURCES if r[0] == package and re.search(r[2], rel)), None)
            if rule is None:
                continue
            _, role, pattern, label, conf, cap = rule
            key = (role, pattern)
            if used.get(key, 0) >= cap:
                continue
            with open(full, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            clip = os.path.join("clips", package, f"{len(rows):05d}.wav")
            try:
                seconds = convert(full, os.path.join(DATA, clip))
            except subprocess.CalledProcessError:
                continue
            if seconds < MIN_SECONDS:
                os.remove(os.path.join(DATA, clip))
                continue
            used[key] = used.get(key, 0) + 1
            rows.append({"package": package, "version": version, "path": rel, "sha256": digest, "licence": lic,
                         "label": label, "label_confidence": conf, "role": role, "seconds": round(seconds, 3),
                         "clip": clip})
        print(f"{package} {version}: {sum(used.values())} files ({lic[:60]})")
    with open(os.path.join(DATA, "manifest.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    by = {}
    for r in rows:
        by.setdefault((r["role"], r["label"]), [0, 0.0])
        by[(r["role"], r["label"])][0] += 1
        by[(r["role"], r["label"])][1] += r["seconds"]
    for k, (n, s) in sorted(by.items()):
        print(f"{k[0]:5s} {k[1]:6s} {n:5d} files {s / 60:6.1f} min")


if __name__ == "__main__":
    main()
