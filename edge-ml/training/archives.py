"""Files packed inside archives that Debian packages ship: `.zip` (zipfile) and Qt resource files (`.rcc`).

    members(path) -> list of (inner path, reader)     reader() returns the member's bytes (decompressed)

Qt `.rcc` (binary resources written by Qt's `rcc -binary`), format versions 1 to 3:
    header   "qres", version, tree offset, data offset, names offset (4-byte big-endian each)
             and, from version 3, overall flags (4 bytes)
    tree     fixed-size nodes (14 bytes; 22 from version 2, which adds an 8-byte modification time):
             name offset (4), flags (2), then for a directory (flag 0x02) child count (4) and first child
             index (4), for a file country (2), language (2) and data offset (4). Node 0 is the root.
    names    length in UTF-16 units (2), hash (4), UTF-16BE characters
    data     size (4) and the bytes; flag 0x01: zlib (qCompress: 4-byte big-endian uncompressed length,
             then a zlib stream), flag 0x04: a zstd frame (decompressed with the `zstd` command).
An unknown version, a bad magic or an offset outside the file is an error that names the file.
"""
import os
import shutil
import struct
import subprocess
import zipfile
import zlib

RCC_MAGIC = b"qres"
RCC_VERSIONS = (1, 2, 3)
RCC_DIRECTORY = 0x02
RCC_ZLIB = 0x01
RCC_ZSTD = 0x04


class ArchiveError(Exception):
    pass


def members(path):
    """Every file inside the archive at path, as (inner path, reader) in stored order."""
    if path.lower().endswith(".zip"):
        return zip_members(path)
    if path.lower().endswith(".rcc"):
        return rcc_members(path)
    raise ArchiveError(f"{path}: not a .zip or .rcc archive")


def zip_members(path):
    z = zipfile.ZipFile(path)
    return [(i.filename, lambda i=i: z.read(i)) for i in z.infolist() if not i.is_dir()]


def rcc_members(path):
    with open(path, "rb") as f:
        blob = f.read()
    return [(name, lambda o=offset, fl=flags: rcc_data(blob, o, fl, path)) for name, flags, offset in rcc_files(blob, path)]


def rcc_files(blob, path="<rcc>"):
    """(path, flags, absolute data offset) of every file in an rcc image."""
    if len(blob) < 20 or blob[:4] != RCC_MAGIC:
        raise ArchiveError(f"{path}: not a Qt resource file (magic {blob[:4]!r}, expected {RCC_MAGIC!r})")
    version, tree, data, names = struct.unpack_from(">4I", blob, 4)
    if version not in RCC_VERSIONS:
        raise ArchiveError(f"{path}: Qt resource format version {version} is not supported (known: {RCC_VERSIONS})")
    node_size = 14 if version == 1 else 22
    for name, offset in (("tree", tree), ("data", data), ("names", names)):
        if offset >= len(blob):
            raise ArchiveError(f"{path}: {name} offset {offset} outside the file ({len(blob)} bytes)")

    def node(index):
        at = tree + index * node_size
        if at + 14 > len(blob):
            raise ArchiveError(f"{path}: tree node {index} outside the file")
        return at, struct.unpack_from(">IH", blob, at)

    def name_of(offset):
        at = names + offset
        if at + 6 > len(blob):
            raise ArchiveError(f"{path}: name offset {offset} outside the file")
        (length,) = struct.unpack_from(">H", blob, at)
        return blob[at + 6:at + 6 + 2 * length].decode("utf-16-be")

    out = []
    stack = [(0, "")]
    seen = set()
    while stack:
        index, prefix = stack.pop()
        if index in seen:
            raise ArchiveError(f"{path}: tree node {index} reached twice (corrupt tree)")
        seen.add(index)
        at, (name_offset, flags) = node(index)
        name = "" if index == 0 else name_of(name_offset)
        full = f"{prefix}/{name}" if index else ""
        if flags & RCC_DIRECTORY:
            count, first = struct.unpack_from(">II", blob, at + 6)
            for child in reversed(range(first, first + count)):
                stack.append((child, full))
        else:
            (offset,) = struct.unpack_from(">I", blob, at + 10)
            out.append((full.lstrip("/"), flags, data + offset))
    out.sort(key=lambda e: e[2])
    return out


def rcc_data(blob, at, flags, path="<rcc>"):
    if at + 4 > len(blob):
        raise ArchiveError(f"{path}: data offset {at} outside the file")
    (size,) = struct.unpack_from(">I", blob, at)
    raw = blob[at + 4:at + 4 + size]
    if len(raw) != size:
        raise ArchiveError(f"{path}: data at {at} runs past the end of the file")
    if flags & RCC_ZSTD:
        if shutil.which("zstd") is None:
            raise ArchiveError(f"{path}: a zstd-compressed entry needs the `zstd` command (apt-get install zstd)")
        return subprocess.run(["zstd", "-d", "-c", "-q"], input=raw, check=True, capture_output=True).stdout
    if flags & RCC_ZLIB:
        (length,) = struct.unpack(">I", raw[:4])
        out = zlib.decompress(raw[4:])
        if len(out) != length:
            raise ArchiveError(f"{path}: zlib entry at {at} gives {len(out)} bytes, header says {length}")
        return out
    return raw


def is_archive(name):
    return os.path.splitext(name)[1].lower() in (".zip", ".rcc")
