package com.pettysync.simulator.cloud.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.ThrottlingException;

/**
 * Authentication and rate limiting of the control plane, through the SDK's {@code IotClient}: only requests
 * signed with the configured key and a date within five minutes of the server's clock are served; a configured
 * per-API rate refuses with ThrottlingException, which the SDK's retry policy then retries to success.
 */
class ControlPlaneSigningTest {
    @TempDir
    Path dir;

    /** A clock that moves {@code step} ahead every time it is read: time passes per request, not per second. */
    static final class SteppingClock extends Clock {
        private final Duration step;
        private Instant now = Instant.now();

        SteppingClock(Duration step) {
            this.step = step;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plus(step);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void wrongSecretIsRefusedAsInvalidSignatureAndUnknownKeyAsUnrecognizedClient() throws Exception {
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).build().start()) {
            String keyId = cloud.controlPlaneCredentials().accessKeyId();
            try (IotClient wrongSecret = IotClients.of(cloud, keyId, "x".repeat(40), AwsRetryStrategy.doNotRetry());
                    IotClient unknownKey = IotClients.of(cloud, "AKIAAAAAAAAAAAAAAAAA",
                            cloud.controlPlaneCredentials().secretAccessKey(), AwsRetryStrategy.doNotRetry());
                    IotClient right = IotClients.of(cloud)) {
                IotException bad = assertThrows(IotException.class, () -> wrongSecret.createThing(b -> b
                        .thingName("sig-1")));
                assertEquals(403, bad.statusCode());
                assertEquals("InvalidSignatureException", bad.awsErrorDetails().errorCode());
                assertTrue(bad.awsErrorDetails().errorMessage().startsWith("The request signature we calculated "
                        + "does not match"), bad.getMessage());
                IotException unknown = assertThrows(IotException.class, () -> unknownKey.listThings());
                assertEquals(403, unknown.statusCode());
                assertEquals("UnrecognizedClientException", unknown.awsErrorDetails().errorCode());
                assertTrue(cloud.registry().things().find("sig-1").isEmpty(), "a refused request changed nothing");
                right.createThing(b -> b.thingName("sig-1"));
                assertTrue(cloud.registry().things().find("sig-1").isPresent());
            }
            Path file = dir.resolve(ControlPlaneCredentials.FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(cloud.controlPlaneCredentials(), ControlPlaneCredentials.loadOrCreate(file));
            assertTrue(!cloud.controlPlaneCredentials().toString().contains(
                    cloud.controlPlaneCredentials().secretAccessKey()), "toString hides the secret");
        }
    }

    @Test
    void requestSignedMoreThanFiveMinutesFromTheServersClockIsRefused() {
        MutableClock clock = new MutableClock(Instant.now());
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).clock(clock).build().start();
                IotClient iot = IotClients.of(cloud)) {
            iot.listThings();
            clock.advance(Duration.ofMinutes(10));
            IotException expired = assertThrows(IotException.class, iot::listThings);
            assertEquals(403, expired.statusCode());
            assertEquals("InvalidSignatureException", expired.awsErrorDetails().errorCode());
            assertTrue(expired.awsErrorDetails().errorMessage().startsWith("Signature expired: "),
                    expired.getMessage());
            clock.advance(Duration.ofMinutes(-20));
            IotException early = assertThrows(IotException.class, iot::listThings);
            assertTrue(early.awsErrorDetails().errorMessage().startsWith("Signature not yet current: "),
                    early.getMessage());
        }
    }

    @Test
    void requestsOverTheRateAreThrottledAndTheSdkRetriesThemToSuccess() {
        // one request per second per API; each request reads the clock twice (signature date, bucket), 100 ms each:
        // a bucket emptied by one request holds 0.2 tokens after the next, so it refuses about four in a row
        SteppingClock clock = new SteppingClock(Duration.ofMillis(100));
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).clock(clock).controlPlaneRequestsPerSecond(1)
                .build().start(); IotClient once = IotClients.of(cloud)) {
            once.listThings();
            ThrottlingException throttled = assertThrows(ThrottlingException.class, once::listThings);
            assertEquals(400, throttled.statusCode(), "the IoT model's status for ThrottlingException");
            once.createThing(b -> b.thingName("other-api")); // another API has its own bucket
            AtomicInteger attempts = new AtomicInteger();
            try (IotClient retrying = IotClient.builder().endpointOverride(cloud.controlPlaneEndpoint())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                            cloud.controlPlaneCredentials().accessKeyId(),
                            cloud.controlPlaneCredentials().secretAccessKey()))
                    .httpClient(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                            .tlsTrustManagersProvider(() -> cloud.certificateAuthority().trustManagerFactory()
                                    .getTrustManagers()).build())
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(10)
                            .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                            .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5))).build())
                            .addExecutionInterceptor(new ExecutionInterceptor() {
                                @Override
                                public void beforeTransmission(Context.BeforeTransmission context,
                                        ExecutionAttributes attributes) {
                                    attempts.incrementAndGet();
                                }
                            }))
                    .build()) {
                assertEquals(1, retrying.listThings().things().size());
                assertTrue(attempts.get() > 1, "the first attempts were throttled and retried: " + attempts.get());
            }
        }
    }
}
