package com.pettysync.provisioning.factory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * The file-system edge of bundle writing: durable writes, directory syncs, atomic renames. {@link #DISK} is the
 * real one; tests hand in one that fails (a full disk) at a chosen write.
 */
public interface BundleFiles {
    /** Creates {@code file} (owner-only 0600 from its first byte when {@code secret}) and forces it to disk. */
    void write(Path file, byte[] content, boolean secret) throws IOException;

    /** Creates {@code dir} (and parents) if missing. */
    void createDirectories(Path dir) throws IOException;

    /** Forces a directory's entries to disk (so a rename in it survives a power cut). */
    void syncDirectory(Path dir) throws IOException;

    /** Renames atomically; {@code to} must not exist. */
    void move(Path from, Path to) throws IOException;

    /** Deletes a directory tree if it exists. */
    void deleteTree(Path dir) throws IOException;

    /** The real file system. */
    BundleFiles DISK = new BundleFiles() {
        @Override
        public void write(Path file, byte[] content, boolean secret) throws IOException {
            EnumSet<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (FileChannel ch = secret
                    ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(file, options)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            Files.createDirectories(dir);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    };
}
