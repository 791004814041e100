package com.pettysync.simulator.cloud.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The artifact store's objects on disk.
 *
 * <p><b>Guarantee:</b> an object is whole or absent. A put writes {@code .put-UUID} in the bucket's directory, forces
 * it to disk, then renames it over the object in one atomic step and syncs the directory; a reader that opened the
 * old file keeps reading the old bytes. <b>Failure model:</b> a crash or a full disk during a put leaves the previous
 * object (or none) and at most a {@code .put-*} file, removed when the store opens again; an I/O error is thrown to
 * the caller (the request fails with 500) after the partial file is removed.
 *
 * <pre>
 * DIR/{bucket}/                 one directory per bucket (S3 bucket names: 3-63 of [a-z0-9.-])
 * DIR/{bucket}/o-{encoded key}  one file per object: the key percent-encoded (every byte outside [A-Za-z0-9_-],
 *                               '/' and '.' included), so no key can leave its bucket's directory
 * </pre>
 *
 * ETags (MD5 hex, as S3's for a single-part upload) are computed at the put and kept in memory; after a restart they
 * are computed again on first use. Thread-safe.
 */
public final class ObjectFiles {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** An object's size, ETag and time of its put. */
    record Stored(long size, String etag, Instant lastModified) {}

    private final Path directory;
    private final Map<Path, Stored> etags = new ConcurrentHashMap<>();

    ObjectFiles(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
        try (var buckets = Files.list(directory)) {
            for (Path b : buckets.filter(Files::isDirectory).toList()) {
                try (var partial = Files.list(b)) {
                    for (Path p : partial.filter(p -> p.getFileName().toString().startsWith(".put-")).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Creates bucket {@code name}; false when it exists. */
    boolean createBucket(String name) throws IOException {
        Path b = bucket(name);
        if (Files.isDirectory(b)) {
            return false;
        }
        Files.createDirectories(b);
        return true;
    }

    boolean bucketExists(String name) {
        return BUCKET.matcher(name).matches() && Files.isDirectory(directory.resolve(name));
    }

    /** Whether {@code key} exists in {@code bucket}. */
    public boolean exists(String bucket, String key) {
        return bucketExists(bucket) && Files.isRegularFile(file(bucket, key));
    }

    /**
     * Stores {@code body} as {@code key}; returns its ETag.
     *
     * @param contentMd5 the request's Content-MD5 (base64), checked when present (BadDigest)
     */
    String put(String bucket, String key, byte[] body, String contentMd5) throws IOException {
        byte[] md5;
        try {
            md5 = MessageDigest.getInstance("MD5").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (contentMd5 != null && !contentMd5.trim().equals(Base64.getEncoder().encodeToString(md5))) {
            throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        Path target = file(bucket, key);
        Path temp = target.resolveSibling(".put-" + java.util.UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(body));
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
        String etag = HexFormat.of().formatHex(md5);
        etags.put(target, new Stored(body.length, etag, Files.getLastModifiedTime(target).toInstant()));
        return etag;
    }

    /** Size, ETag and time of {@code key}, if it exists. */
    Optional<Stored> stat(String bucket, String key) throws IOException {
        Path f = file(bucket, key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        long size = Files.size(f);
        Instant modified = Files.getLastModifiedTime(f).toInstant();
        Stored known = etags.get(f);
        if (known != null && known.size() == size && known.lastModified().equals(modified)) {
            return Optional.of(known);
        }
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md5.update(buf, 0, n);
            }
            Stored s = new Stored(size, HexFormat.of().formatHex(md5.digest()), modified);
            etags.put(f, s);
            return Optional.of(s);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The object's bytes from {@code offset}. */
    InputStream open(String bucket, String key, long offset) throws IOException {
        FileChannel ch = FileChannel.open(file(bucket, key), StandardOpenOption.READ);
        ch.position(offset);
        return Channels.newInputStream(ch);
    }

    private Path bucket(String name) {
        if (!BUCKET.matcher(name).matches()) {
            throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.");
        }
        return directory.resolve(name);
    }

    private Path file(String bucket, String key) {
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new S3Error(400, "KeyTooLongError", "Your key is too long (1 … 1024 bytes).");
        }
        StringBuilder name = new StringBuilder("o-");
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                name.append((char) c);
            } else {
                name.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        if (name.length() > 250) {
            // file names are at most 255 bytes: long keys are named by their hash instead
            name.setLength(0);
            name.append("h-").append(S3Signature.sha256Hex(key.getBytes(StandardCharsets.UTF_8)));
        }
        return bucket(bucket).resolve(name.toString());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for sync; the rename itself is still atomic
        }
    }
}
