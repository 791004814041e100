package com.pettysync.provisioning.ota;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AbortConfig;
import software.amazon.awssdk.services.iot.model.CreateJobRequest;
import software.amazon.awssdk.services.iot.model.CreateJobResponse;
import software.amazon.awssdk.services.iot.model.JobExecutionsRolloutConfig;
import software.amazon.awssdk.services.iot.model.PresignedUrlConfig;
import software.amazon.awssdk.services.iot.model.TargetSelection;
import software.amazon.awssdk.services.iot.model.TimeoutConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishes a signed artifact as an AWS IoT job, through the AWS SDK only: the artifact is uploaded with S3's
 * PutObject (to Amazon S3, or to any S3-compatible endpoint such as the local cloud's artifact store), then CreateJob
 * targets a thing group with the job document of contract §7 whose {@code url} is the
 * {@code ${aws:iot:s3-presigned-url:…}} placeholder (AWS IoT replaces it per device with a presigned URL valid for
 * {@code urlExpiry}, using {@code downloadRoleArn}), and with the rollout, abort and timeout configs.
 *
 * <p>Order and failure: the artifact is uploaded before the job exists, so no device is ever sent to a missing
 * object; a failed upload creates no job; a failed CreateJob leaves an uploaded object that a retry with the same job
 * id overwrites with the same bytes (the key depends on the operation, version and file name only).
 */
public final class OtaPublisher {
    /** What to publish and how to roll it out. */
    public record Publication(SignedManifest manifest, Path artifact, String bucket, String thingGroupArn,
            String jobId, Optional<JobExecutionsRolloutConfig> rollout, Optional<AbortConfig> abort,
            Optional<TimeoutConfig> timeout, Duration urlExpiry, String downloadRoleArn, boolean continuous,
            String description) {}

    /** What was published. */
    public record Published(String jobId, String jobArn, URI objectUrl, String etag, String document) {}

    private final S3Client s3;
    private final IotClient iot;
    private final URI s3Base;

    /**
     * @param s3Base the object URL's base, {@code https://HOST[:PORT]} of the S3 endpoint (path-style:
     *     {@code s3Base/bucket/key}); Amazon S3's is {@code https://s3.REGION.amazonaws.com}
     */
    public OtaPublisher(S3Client s3, IotClient iot, URI s3Base) {
        this.s3 = s3;
        this.iot = iot;
        this.s3Base = s3Base;
    }

    /** The object key of an artifact: {@code firmware/V/NAME} or {@code models/V/NAME}. */
    public static String objectKey(SignedManifest m) {
        String kind = switch (m.operation()) {
            case FIRMWARE_UPDATE -> "firmware";
            case MODEL_UPDATE -> "models";
        };
        return kind + "/" + m.version() + "/" + m.artifact();
    }

    /**
     * Uploads the artifact and creates the job.
     *
     * @throws IOException if the artifact is not the manifest's (checked again right before the upload)
     */
    public Published publish(Publication p) throws IOException {
        p.manifest().checkArtifact(p.artifact());
        String key = objectKey(p.manifest());
        var put = s3.putObject(b -> b.bucket(p.bucket()).key(key).contentType("application/octet-stream")
                .contentLength(p.manifest().size()), RequestBody.fromFile(p.artifact()));
        URI objectUrl = URI.create(s3Base.toString().replaceAll("/+$", "") + "/" + p.bucket() + "/"
                + encodePath(key));
        String document = p.manifest().jobDocumentWithPresignedUrl(objectUrl);
        CreateJobRequest.Builder job = CreateJobRequest.builder().jobId(p.jobId()).targets(p.thingGroupArn())
                .document(document).description(p.description())
                .targetSelection(p.continuous() ? TargetSelection.CONTINUOUS : TargetSelection.SNAPSHOT)
                .presignedUrlConfig(PresignedUrlConfig.builder().roleArn(p.downloadRoleArn())
                        .expiresInSec(p.urlExpiry().toSeconds()).build());
        p.rollout().ifPresent(job::jobExecutionsRolloutConfig);
        p.abort().ifPresent(job::abortConfig);
        p.timeout().ifPresent(job::timeoutConfig);
        CreateJobResponse created = iot.createJob(job.build());
        return new Published(created.jobId(), created.jobArn(), objectUrl, put.eTag(), document);
    }

    private static String encodePath(String key) {
        StringBuilder b = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }
}
