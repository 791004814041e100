package com.pettysync.simulator.cloud.archive;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The archive in an S3 bucket under a key prefix, through the AWS SDK for Java v2 {@link S3Client} — AWS itself, or
 * any S3-compatible server through an endpoint override (path-style addressing then).
 *
 * <p>Guarantee: S3's own — a PutObject is atomic (a GET returns the old object or the whole new one) and a successful
 * PUT is durable. Failure model: any SDK failure (network, credentials, no such bucket, throttling after the SDK's
 * retries) becomes an {@link IOException} with S3's message; nothing is retried here beyond the SDK's own policy.
 */
public final class S3ArchiveStore implements ArchiveStore {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** A store over an existing client ({@code prefix} "" or ending without a slash, e.g. {@code archive}). */
    public S3ArchiveStore(S3Client s3, String bucket, String prefix) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        String p = Objects.requireNonNull(prefix, "prefix");
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        this.prefix = p.isEmpty() ? "" : p + "/";
    }

    /**
     * An S3 client for {@code region}, with {@code endpoint} (nullable) overriding AWS's (path-style addressing, as
     * S3-compatible servers on one host need; response checksums only where required), over the Apache HTTP client;
     * {@code credentials} null: the SDK's default chain (environment, profile, instance role).
     */
    public static S3Client client(String region, URI endpoint, AwsCredentialsProvider credentials) {
        S3ClientBuilder b = S3Client.builder().region(Region.of(region)).httpClientBuilder(ApacheHttpClient.builder());
        if (endpoint != null) {
            // S3-compatible servers (S3Proxy 2.7 among them) answer 501 to the SDK's default CRC32 checksum headers;
            // the archive checks every object with its own SHA-256 read-back, so they are sent only where required
            b.endpointOverride(endpoint).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        return b.build();
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(prefix + key).build(), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("S3 PutObject s3://" + bucket + "/" + prefix + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(prefix + key).build())
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("S3 GetObject s3://" + bucket + "/" + prefix + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(prefix + keyPrefix).build()).contents()) {
                keys.add(o.key().substring(prefix.length()));
            }
        } catch (SdkException e) {
            throw new IOException("S3 ListObjectsV2 s3://" + bucket + "/" + prefix + keyPrefix + " failed: "
                    + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void close() {
        s3.close();
    }
}
