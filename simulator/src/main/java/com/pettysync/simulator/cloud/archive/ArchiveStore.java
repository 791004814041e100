package com.pettysync.simulator.cloud.archive;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where archived objects go: a flat key → bytes store with S3's semantics (a put replaces the whole object, a get sees
 * the last completed put). {@link DirectoryArchiveStore} is the embedded default; {@link S3ArchiveStore} writes to
 * S3 (or any S3-compatible server) through the AWS SDK. Keys are {@link ArchiveLayout}'s.
 */
public interface ArchiveStore extends AutoCloseable {
    /** Writes {@code bytes} as object {@code key}, replacing any earlier one; complete or not at all. */
    void put(String key, byte[] bytes) throws IOException;

    /** Object {@code key}, or empty when there is none. */
    Optional<byte[]> get(String key) throws IOException;

    /** Every key that starts with {@code prefix}, in key order. */
    List<String> list(String prefix) throws IOException;

    /** Where this store writes, for messages: a directory or {@code s3://bucket/prefix}. */
    String location();

    @Override
    void close();
}
