package com.pettysync.agent.ota;

import com.pettysync.agent.storage.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;


/**
 * The one way the update code replaces a small file ({@link AtomicFile}, with a power-cut test hook between the
 * temporary file and the rename): write {@code <file>.tmp}, fsync it, rename it over
 * {@code <file>} (atomic on POSIX file systems), fsync the directory. After a crash or power cut at any instant the
 * file is the old or the new content, whole; a stale {@code .tmp} is harmless and overwritten next time.
 */
final class Durable {
    private Durable() {}

    static void write(Path file, byte[] content) throws IOException {
        Path tmp = AtomicFile.writeTemporary(file, content);
        DirectorySlots.stepHook.accept("tmp-written:" + file.getFileName());
        AtomicFile.replace(tmp, file);
        syncDirectory(file.getParent());
    }

    /** fsync of a directory (makes a rename in it durable); best effort where the platform refuses it. */
    static void syncDirectory(Path dir) {
        AtomicFile.syncDirectory(dir);
    }
}
