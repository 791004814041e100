package com.pettysync.simulator.cloud.archive;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens the archive a command names: {@code s3://bucket[/prefix]} (the AWS SDK's default credentials and the given
 * region; {@code endpoint} overrides AWS's for an S3-compatible server) or a directory.
 */
public final class ArchiveTarget {
    private ArchiveTarget() {}

    /** The store for {@code target}; {@code endpoint} may be null (AWS). */
    public static ArchiveStore open(String target, String region, URI endpoint) throws IOException {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("no archive given: a directory or s3://bucket/prefix");
        }
        if (target.startsWith("s3://")) {
            String rest = target.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("not an S3 bucket name: \"" + bucket + "\" (3-63 of a-z 0-9 . -)");
            }
            return new S3ArchiveStore(S3ArchiveStore.client(region, endpoint, null), bucket, prefix);
        }
        if (target.contains("://")) {
            throw new IllegalArgumentException("unknown archive scheme in \"" + target + "\": a directory or s3://");
        }
        return new DirectoryArchiveStore(Path.of(target));
    }
}
