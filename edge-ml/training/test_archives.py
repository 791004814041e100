"""Checks archives.py on archives built here (no package needed):
    /usr/bin/python3 -m unittest discover -s edge-ml/training -p 'test_*.py'
"""
import io
import os
import struct
import sys
import tempfile
import unittest
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import archives  # noqa: E402
import realdata  # noqa: E402


def rcc_image(files, version=3):
    """A Qt binary resource image holding files {"dir/name": (bytes, compress)} in one directory level."""
    dirs = sorted({p.split("/")[0] for p in files})
    names, data = io.BytesIO(), io.BytesIO()
    name_at = {}

    def name(text):
        if text not in name_at:
            name_at[text] = names.tell()
            encoded = text.encode("utf-16-be")
            names.write(struct.pack(">HI", len(text), 0) + encoded)
        return name_at[text]

    node_size = 14 if version == 1 else 22
    pad = b"\0" * (node_size - 14)
    nodes = [None]  # root first; its children are the directories, whose children are the files
    children = {d: sorted(p for p in files if p.split("/")[0] == d) for d in dirs}
    first_file = 1 + len(dirs)
    root = struct.pack(">IHII", 0, archives.RCC_DIRECTORY, len(dirs), 1) + pad
    nodes[0] = root
    at = first_file
    for d in dirs:
        nodes.append(struct.pack(">IHII", name(d), archives.RCC_DIRECTORY, len(children[d]), at) + pad)
        at += len(children[d])
    for d in dirs:
        for p in children[d]:
            content, compress = files[p]
            offset = data.tell()
            payload = struct.pack(">I", len(content)) + zlib.compress(content) if compress else content
            data.write(struct.pack(">I", len(payload)) + payload)
            flags = archives.RCC_ZLIB if compress else 0
            nodes.append(struct.pack(">IHHHI", name(p.split("/")[1]), flags, 0, 0, offset) + pad)
    header = 24 if version >= 3 else 20
    tree = b"".join(nodes)
    tree_at, data_at = header, header + len(tree)
    names_at = data_at + len(data.getvalue())
    head = b"qres" + struct.pack(">4I", version, tree_at, data_at, names_at)
    if version >= 3:
        head += struct.pack(">I", 0)
    return head + tree + data.getvalue() + names.getvalue()


class RccTest(unittest.TestCase):
    FILES = {"sounds/dog.ogg": (b"OggS woof" * 20, True), "sounds/cow.ogg": (b"OggS moo", False),
             "images/dog.svg": (b"<svg/>", True)}

    def read(self, blob):
        with tempfile.NamedTemporaryFile(suffix=".rcc", delete=False) as f:
            f.write(blob)
        try:
            return {name: reader() for name, reader in archives.members(f.name)}
        finally:
            os.remove(f.name)

    def test_reads_every_file_with_its_path_compressed_or_not(self):
        for version in (1, 2, 3):
            got = self.read(rcc_image(self.FILES, version))
            self.assertEqual({p: c for p, (c, _) in self.FILES.items()}, got, f"version {version}")

    def test_an_unknown_version_is_refused_by_name(self):
        blob = bytearray(rcc_image(self.FILES))
        blob[4:8] = struct.pack(">I", 9)
        with self.assertRaisesRegex(archives.ArchiveError, "version 9 is not supported"):
            self.read(bytes(blob))

    def test_a_file_that_is_not_a_resource_file_is_refused(self):
        with self.assertRaisesRegex(archives.ArchiveError, "not a Qt resource file"):
            self.read(b"PK\x03\x04" + b"\0" * 40)

    def test_an_offset_past_the_end_is_refused(self):
        blob = bytearray(rcc_image(self.FILES))
        blob[8:12] = struct.pack(">I", len(blob) + 10)
        with self.assertRaisesRegex(archives.ArchiveError, "tree offset .* outside the file"):
            self.read(bytes(blob))


class ZipTest(unittest.TestCase):
    def test_reads_members_but_not_directories(self):
        with tempfile.NamedTemporaryFile(suffix=".zip", delete=False) as f:
            path = f.name
        try:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("audio/", b"")
                z.writestr("audio/voice/dog_bark.ogg", b"OggS bark")
            got = {name: reader() for name, reader in archives.members(path)}
            self.assertEqual({"audio/voice/dog_bark.ogg": b"OggS bark"}, got)
        finally:
            os.remove(path)


class MemberLicenceTest(unittest.TestCase):
    STANZAS = [(["*"], "GPL-3+"), (["src/activities/memory-sound/resource/*_LA.ogg",
                                    "src/activities/memory-sound/resource/*_LA_cut.ogg"], "free-art"),
               (["debian/*"], "GPL-2+")]

    def test_the_most_specific_stanza_wins_also_under_a_leading_directory(self):
        self.assertEqual("free-art", realdata.member_licence(
            self.STANZAS, "gcompris/src/activities/memory-sound/resource/LRBark_1_LA_cut.ogg", "fallback"))

    def test_files_star_when_nothing_more_specific_matches(self):
        self.assertEqual("GPL-3+", realdata.member_licence(self.STANZAS, "audio/voice/dog.ogg", "fallback"))

    def test_the_package_list_without_a_machine_readable_copyright(self):
        self.assertEqual("fallback", realdata.member_licence([], "audio/voice/dog.ogg", "fallback"))


if __name__ == "__main__":
    unittest.main()
