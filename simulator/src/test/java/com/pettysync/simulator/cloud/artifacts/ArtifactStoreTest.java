package com.pettysync.simulator.cloud.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.control.ControlPlaneCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The artifact store through the AWS SDK's own {@code S3Client} (default configuration: aws-chunked upload with a
 * trailing CRC32) and through plain HTTPS with presigned URLs, as a collar downloads: real TLS, real SigV4.
 */
class ArtifactStoreTest {
    @TempDir
    static Path dir;
    static LocalCertificateAuthority ca;
    static MutableClock clock = new MutableClock(Instant.now());
    static ControlPlaneCredentials credentials = ControlPlaneCredentials.random();
    static ArtifactStore store;
    static S3Client s3;
    static HttpClient https;
    static byte[] artifact = new byte[300_000];

    @BeforeAll
    static void start() throws Exception {
        new Random(7).nextBytes(artifact);
        ca = LocalCertificateAuthority.openOrCreate(dir.resolve("ca"), Clock.systemUTC());
        store = new ArtifactStore(dir.resolve("artifacts"), "127.0.0.1", 0, ca, credentials, clock,
                "us-east-1").start();
        s3 = client(credentials.secretAccessKey());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, ca.trustManagerFactory().getTrustManagers(), null);
        https = HttpClient.newBuilder().sslContext(tls).build();
        s3.putObject(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET).key("firmware/1044/agent.tar"),
                RequestBody.fromBytes(artifact));
    }

    @AfterAll
    static void stop() {
        s3.close();
        store.close();
    }

    static S3Client client(String secret) {
        return S3Client.builder().endpointOverride(store.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        credentials.accessKeyId(), secret)))
                .httpClient(ApacheHttpClient.builder().tlsTrustManagersProvider(() -> ca.trustManagerFactory()
                        .getTrustManagers()).build())
                .build();
    }

    private HttpResponse<byte[]> get(String url, String range) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (range != null) {
            r.header("Range", range);
        }
        return https.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI objectUrl(String key) {
        return URI.create(store.endpoint() + "/" + ArtifactStore.DEFAULT_BUCKET + "/" + key);
    }

    @Test
    void sdkUploadsAndReadsBackWholeAndByRange() {
        var head = s3.headObject(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET).key("firmware/1044/agent.tar"));
        assertEquals(artifact.length, head.contentLength());
        byte[] whole = s3.getObjectAsBytes(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET)
                .key("firmware/1044/agent.tar")).asByteArray();
        assertArrayEquals(artifact, whole);
        var part = s3.getObjectAsBytes(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET).key("firmware/1044/agent.tar")
                .range("bytes=1000-1999"));
        assertArrayEquals(Arrays.copyOfRange(artifact, 1000, 2000), part.asByteArray());
        assertEquals("bytes 1000-1999/" + artifact.length, part.response().contentRange());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET)
                .key("firmware/none")));
    }

    @Test
    void refusesAWrongSecretWithSignatureDoesNotMatch() {
        try (S3Client wrong = client("not-the-secret")) {
            S3Exception e = assertThrows(S3Exception.class, () -> wrong.getObjectAsBytes(b -> b
                    .bucket(ArtifactStore.DEFAULT_BUCKET).key("firmware/1044/agent.tar")));
            assertEquals(403, e.statusCode());
            assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void presignedUrlServesRangesUntilItExpires() throws Exception {
        String url = store.presign(objectUrl("firmware/1044/agent.tar"), Duration.ofMinutes(10));
        HttpResponse<byte[]> tail = get(url, "bytes=250000-");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(artifact, 250_000, artifact.length), tail.body());
        assertEquals(416, get(url, "bytes=300000-").statusCode());
        assertEquals(200, get(url, null).statusCode());
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        try {
            HttpResponse<byte[]> expired = get(url, "bytes=0-9");
            assertEquals(403, expired.statusCode());
            assertTrue(new String(expired.body()).contains("Request has expired"));
        } finally {
            clock.advance(Duration.ofMinutes(-10).minusSeconds(1));
        }
    }

    @Test
    void presignedUrlIsBoundToItsObjectAndSignature() throws Exception {
        String url = store.presign(objectUrl("firmware/1044/agent.tar"), Duration.ofMinutes(10));
        s3.putObject(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET).key("firmware/1045/agent.tar"),
                RequestBody.fromBytes(new byte[] {1, 2, 3}));
        assertEquals(403, get(url.replace("/1044/", "/1045/"), null).statusCode(), "another object");
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String tampered = url.substring(0, at) + (url.charAt(at) == 'a' ? 'b' : 'a') + url.substring(at + 1);
        assertEquals(403, get(tampered, null).statusCode(), "a changed signature");
        String unsigned = url.substring(0, url.indexOf('?'));
        assertEquals(403, get(unsigned, null).statusCode(), "no signature at all");
    }

    @Test
    void theSdksOwnPresignerIsAccepted() throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(store.endpoint()).region(Region.US_EAST_1)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey()))).build()) {
            String url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(ArtifactStore.DEFAULT_BUCKET).key("firmware/1044/agent.tar")))
                    .url().toString();
            HttpResponse<byte[]> r = get(url, "bytes=0-99");
            assertEquals(206, r.statusCode(), new String(r.body()));
            assertArrayEquals(Arrays.copyOf(artifact, 100), r.body());
        }
    }

    @Test
    void keysCannotLeaveTheirBucket() throws Exception {
        s3.putObject(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET).key("../../escape"), RequestBody.fromBytes(
                new byte[] {9}));
        try (var files = Files.list(dir.resolve("artifacts"))) {
            assertEquals(1, files.count(), "only the bucket's directory");
        }
        assertArrayEquals(new byte[] {9}, s3.getObjectAsBytes(b -> b.bucket(ArtifactStore.DEFAULT_BUCKET)
                .key("../../escape")).asByteArray());
    }
}
