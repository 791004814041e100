package com.pettysync.simulator.cloud.jobs;

import java.net.URI;
import java.time.Duration;

/**
 * What replaces AWS IoT's {@code ${aws:iot:s3-presigned-url:URL}} placeholder in a job document: a presigned GET URL
 * for the object {@code URL} names, made anew each time the document is handed to a device (as AWS IoT does), valid
 * for the job's {@code presignedUrlConfig.expiresInSec}.
 */
public interface ArtifactUrls {
    /** Refuses every placeholder (a cloud without an artifact store). */
    ArtifactUrls NONE = new ArtifactUrls() {
        @Override
        public void check(URI objectUrl) {
            throw new IllegalArgumentException("this local cloud has no artifact store to presign " + objectUrl);
        }

        @Override
        public String presign(URI objectUrl, Duration expiry) {
            throw new IllegalStateException("no artifact store");
        }
    };

    /**
     * Checks, when the job is created, that {@code objectUrl} names an object this cloud can presign.
     *
     * @throws IllegalArgumentException naming what is wrong with the URL
     */
    void check(URI objectUrl);

    /** A presigned GET URL for {@code objectUrl}, valid for {@code expiry} from now. */
    String presign(URI objectUrl, Duration expiry);
}
