package com.pettysync.simulator.cloud.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The archive in a plain directory, in the same key layout as the S3 bucket ({@code DIR/{thing}/{YYYYMMDD}/…}).
 *
 * <p>Guarantee: {@link #put} writes a temporary file beside the target, forces it to disk, and renames it over the
 * target atomically, so a reader (or a killed process) sees the old object or the new one, never a part. Failure
 * model: a full disk or an unwritable directory fails the put with an {@link IOException} and leaves the old object;
 * a stray {@code .tmp-*} file may remain after a kill and is ignored by {@link #list}.
 */
public final class DirectoryArchiveStore implements ArchiveStore {
    private final Path root;

    public DirectoryArchiveStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return keys;
        }
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return keys;
        }
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .forEach(keys::add);
        }
        return keys;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void close() {}

    private Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("not an archive key: \"" + key + "\"");
        }
        return root.resolve(key);
    }
}
