package com.pettysync.agent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way the collar replaces a whole file on its card (shadow settings, voice clips, raw chunks, update state).
 *
 * <p>Guarantee: {@link #write} puts the content in {@code <file>.tmp}, fsyncs it, then renames it over
 * {@code <file>} (atomic on POSIX file systems). After a crash or power cut at any instant {@code <file>} holds the
 * old or the new content, whole. A failed write leaves the old file and removes the temporary one; a stale
 * {@code .tmp} left by a power cut is harmless and overwritten next time. The rename is durable only once its
 * directory is synced ({@link #syncDirectory}); callers that need that call it.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes {@code content} over {@code target} as the class comment says. */
    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = writeTemporary(target, content);
        try {
            replace(tmp, target);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** The first half of {@link #write}: {@code content} in {@code target}'s {@code .tmp} sibling, fsynced. */
    public static Path writeTemporary(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** The second half of {@link #write}: the atomic rename of {@code tmp} over {@code target}. */
    public static void replace(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** fsync of a directory (makes a rename in it durable); best effort where the platform refuses it. */
    public static void syncDirectory(Path dir) {
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
