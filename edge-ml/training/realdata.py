"""Real recordings from Debian packages, reproducibly: download -> extract -> 16 kHz mono -> trim -> manifest.

Run from the repository root (root or sudo for apt-get update; needs `sox` and `dpkg-deb`):
    apt-get update && apt-get install -y sox
    /usr/bin/python3 edge-ml/training/realdata.py            # about 2.5 GB of .deb downloads, 10-15 min
Writes (all under edge-ml/training/data/, git-ignored):
    debs/<package>_<version>_<arch>.deb    what `apt-get download <package>` fetched (no install)
    tree/<package>/                       `dpkg-deb -x` of it
    clips/<package>/<n>.wav               16 kHz mono 16-bit, silence trimmed, at most MAX_SECONDS
    manifest.jsonl                        one JSON object per clip: package, version, path (inside the
                                          package), sha256 (of the original file), licence (from the package's
                                          debian/copyright), label, label_confidence, role, seconds, clip;
                                          for a file packed in an archive also archive (its path in the
                                          package) and archive_path (the file's path inside it)

Archives: some packages pack their audio, 0ad-data in a .zip, gcompris-qt-data in Qt .rcc resource files
(archives.py reads both). Those listed in ARCHIVES are opened; a member's path is "<archive>!/<inner path>" and
its licence is looked up per file in the package's machine-readable debian/copyright (member_licence).

Labels: the five classes of the model (bark, growl, whine, howl, other) for role "clip"; role "noise" files are
background for augmentation only and never a test example. `label_confidence` says how sure the label is
from the file's name and the package's description alone (no one listened to every file): 1.0 for
"this is not a dog", lower for dog labels inferred from a name such as wolf.wav.

Packages reserved for an independent evaluation are refused (RESERVED below): the script never downloads,
extracts or reads them, and stops if one is ever added to SOURCES. Identical files (same sha256) shipped in
several places or packages are kept once, under the first package that has them.
"""
import fnmatch
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import archives  # noqa: E402

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
# A file packed inside an archive (ARCHIVES) has the path "<archive path>!/<path inside the archive>".
# Rules are tried in order per file; the first match decides. Dog-audio is scarce outside the reserved set:
# see MODEL_CARD.md. "bark.ogg" of GNOME-derived sound themes (budgie, gnome-control-center, ukui) is the same
# recording as the reserved mate-media-common's alert, so it is excluded, not used.
SOURCES = [
    # real canid vocalisations
    ("megaglest-data", "clip", r"/sounds/wolf\.wav$", "howl", 0.7, 40),
    ("hyperrogue-music", "clip", r"seen-woof\.ogg$", "bark", 0.7, 5),
    ("pekka-kana-2-data", "clip", r"wolf_ko\.wav$", "whine", 0.4, 5),
    ("castle-game-engine-doc", "clip", r"werewolf_howling\.wav$", "howl", 0.6, 5),
    ("gcompris-qt-data", "clip", r"explore_farm_animals\.rcc!/.*/animals/dog\.ogg$", "bark", 0.9, 1),
    ("gcompris-qt-data", "clip", r"memory-sound\.rcc!/.*/LRBark_\d+_LA_cut\.ogg$", "bark", 0.9, 5),
    ("0ad-data", "clip", r"public\.zip!/audio/voice/global/civ_dog_bark\.ogg$", "bark", 0.8, 1),
    ("0ad-data", "clip", r"public\.zip!/audio/voice/global/civ_dog_move\.ogg$", "bark", 0.5, 1),
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
    # 0ad-data: a generic "animal death" could be any animal, a dog included: not labelled, not used
    ("0ad-data", "skip", r"!/audio/actor/fauna/death/Animal_death_generic", "other", 1.0, 0),
    ("0ad-data", "noise", r"!/audio/ambient/", "other", 1.0, 40),
    ("0ad-data", "clip", r"!/audio/actor/fauna/", "other", 1.0, 60),
    ("0ad-data", "clip", r"!/audio/voice/greek/", "other", 1.0, 10),
    ("0ad-data", "clip", r"!/audio/voice/latin/", "other", 1.0, 10),
    ("0ad-data", "clip", r"!/audio/voice/napatan/", "other", 1.0, 10),
    ("0ad-data", "clip", r"!/audio/voice/persian/", "other", 1.0, 10),
    ("0ad-data", "clip", r"!/audio/actor/(human|mounted|gate|ship)/", "other", 1.0, 20),
    ("0ad-data", "clip", r"!/audio/resource/(construction|farming)/", "other", 1.0, 10),
    ("0ad-data", "clip", r"!/audio/resource/", "other", 1.0, 15),
    ("0ad-data", "clip", r"!/audio/interface/", "other", 1.0, 8),
    ("0ad-data", "clip", r"!/audio/actor/singlesteps/", "other", 1.0, 8),
    ("gcompris-qt-data", "clip", r"explore_farm_animals\.rcc!/.*/animals/", "other", 1.0, 10),
    ("gcompris-qt-data", "clip", r"memory-sound\.rcc!/.*/LR[^/]*\.ogg$", "other", 1.0, 40),
    ("gcompris-qt-data", "clip", r"\.rcc!/.*\.wav$", "other", 1.0, 30),
]
# Archives opened per package (path regex inside the package); their audio members are matched like files.
ARCHIVES = {
    "0ad-data": r"/mods/public/public\.zip$",
    "gcompris-qt-data": r"/rcc/[^/]+\.rcc$",
}
EXCLUDE = re.compile(r"(^|/)bark\.og[ga]$|/music/|explore_world_music|instruments\.rcc|melody\.rcc", re.I)  # see SOURCES; long music tracks are not collar sounds


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


def copyright_stanzas(tree, package):
    """(file patterns, licence) of each Files stanza of a machine-readable debian/copyright, in order."""
    path = os.path.join(tree, "usr/share/doc", package, "copyright")
    if not os.path.exists(path):
        return []
    stanzas = []
    for block in re.split(r"\n\s*\n", open(path, errors="replace").read()):
        files = re.search(r"^Files:(.*(?:\n[ \t]+.*)*)", block, re.M)
        lic = re.search(r"^License:\s*(\S.*)$", block, re.M)
        if files and lic:
            stanzas.append((files.group(1).split(), lic.group(1).strip()))
    return stanzas


def member_licence(stanzas, inner, fallback):
    """Licence of a file packed in an archive: the archive keeps the upstream source layout, so the DEP-5
    stanzas (last match wins, `*` also matches `/`) apply to its path, or to the path without leading
    directories (gcompris packs src/... as gcompris/src/...). A stanza more specific than `Files: *` wins;
    without one, `Files: *`; without that, the package's list of licences."""
    parts = inner.split("/")
    general = None
    for k in range(len(parts)):
        candidate = "/".join(parts[k:])
        found = None
        for patterns, lic in stanzas:
            if any(fnmatch.fnmatchcase(candidate, pat) for pat in patterns):
                found = (patterns, lic)
        if found and found[0] != ["*"]:
            return found[1]
        if found and general is None:
            general = found[1]
    return general or fallback


def convert(src, dst):
    """16 kHz mono 16-bit; leading and trailing silence (below 0.3 %) trimmed; at most MAX_SECONDS."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    subprocess.run(["sox", "-V1", src, "-r", "16000", "-c", "1", "-b", "16", dst,
                    "silence", "1", "0.02", "0.3%", "reverse", "silence", "1", "0.02", "0.3%", "reverse",
                    "trim", "0", str(MAX_SECONDS)], check=True, capture_output=True)
    out = run("soxi", "-D", dst).strip()
    return float(out) if out else 0.0


def audio_files(package, tree, lic):
    """(path inside the package, reader of the bytes, licence) of every audio file, loose or in ARCHIVES."""
    out = []
    opened = ARCHIVES.get(package)
    stanzas = copyright_stanzas(tree, package) if opened else []
    for dirpath, _, names in os.walk(tree):
        for name in sorted(names):
            full = os.path.join(dirpath, name)
            if not os.path.isfile(full) or os.path.islink(full):
                continue
            rel = "/" + os.path.relpath(full, tree)
            if AUDIO.search(name):
                out.append((rel, lambda full=full: open(full, "rb").read(), lic))
            elif opened and re.search(opened, rel) and not EXCLUDE.search(rel):
                for inner, reader in archives.members(full):
                    if AUDIO.search(inner):
                        out.append((f"{rel}!/{inner}", reader, member_licence(stanzas, inner, lic)))
    out.sort(key=lambda e: e[0])
    return out


def main():
    refuse_reserved([p for p, *_ in SOURCES])
    packages = list(dict.fromkeys(p for p, *_ in SOURCES))
    seen = set()
    rows = []
    scratch = tempfile.mkdtemp(prefix="realdata-")
    for package in packages:
        try:
            tree, version = download(package)
        except subprocess.CalledProcessError as e:
            print(f"{package}: download failed ({e.stderr.strip()[:200]}), skipped", file=sys.stderr)
            continue
        lic = licence(tree, package)
        used = {}
        for rel, reader, file_lic in audio_files(package, tree, lic):
            if EXCLUDE.search(rel):
                continue
            rule = next((r for r in SOURCES if r[0] == package and re.search(r[2], rel)), None)
            if rule is None or rule[1] == "skip":
                continue
            _, role, pattern, label, conf, cap = rule
            key = (role, pattern)
            if used.get(key, 0) >= cap:
                continue
            content = reader()
            digest = hashlib.sha256(content).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            src = os.path.join(scratch, "in" + os.path.splitext(rel)[1])
            with open(src, "wb") as f:
                f.write(content)
            clip = os.path.join("clips", package, f"{len(rows):05d}.wav")
            try:
                seconds = convert(src, os.path.join(DATA, clip))
            except subprocess.CalledProcessError:
                continue
            finally:
                os.remove(src)
            if seconds < MIN_SECONDS:
                os.remove(os.path.join(DATA, clip))
                continue
            used[key] = used.get(key, 0) + 1
            row = {"package": package, "version": version, "path": rel, "sha256": digest, "licence": file_lic,
                   "label": label, "label_confidence": conf, "role": role, "seconds": round(seconds, 3),
                   "clip": clip}
            if "!/" in rel:
                row["archive"], row["archive_path"] = rel.split("!/", 1)
            rows.append(row)
        print(f"{package} {version}: {sum(used.values())} files ({lic[:60]})")
    os.rmdir(scratch)
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
