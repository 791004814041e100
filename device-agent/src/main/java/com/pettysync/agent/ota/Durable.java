package com.pettysync.agent.ota;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way the update code replaces a small file: write {@code <file>.tmp}, fsync it, rename it over
 * {@code <file>} (atomic on POSIX file systems), fsync the directory. After a crash or power cut at any instant the
 * file is the old or the new content, whole; a stale {@code .tmp} is harmless and overwritten next time.
 */
final class Durable {
    private Durable() {}

    static void write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        DirectorySlots.stepHook.accept("tmp-written:" + file.getFileName());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }

    /** fsync of a directory (makes a rename in it durable); best effort where the platform refuses it. */
    static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems refuse to open a directory for sync; the rename is still atomic
        }
    }
}
