package com.pettysync.provisioning.aws;

import com.pettysync.provisioning.ca.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which AWS IoT control plane to talk to and how: real AWS IoT (the SDK's default credential chain and region
 * chain, or a named profile) or any endpoint given as {@code --endpoint-url} — the local IoT Core's control plane —
 * with the CA bundle that endpoint's certificate chains to ({@code --ca-bundle}, else {@code AWS_CA_BUNDLE}, as the
 * AWS CLI does).
 *
 * <p>Retries are the SDK's standard strategy with full-jitter exponential back-off for both throttling and
 * transient (5xx, I/O) failures, {@value #MAX_ATTEMPTS} attempts per call, and without the SDK's retry circuit
 * breaker (a factory batch that hits a throttling storm must keep retrying each call, not stop retrying for the
 * whole client).
 */
public record ControlPlaneTarget(Optional<String> region, Optional<String> profile, Optional<URI> endpoint,
        Optional<Path> caBundle) {
    /** Attempts per API call, the first included. */
    public static final int MAX_ATTEMPTS = 8;
    /** Back-off base and cap for both throttled and failed calls (full jitter). */
    public static final Duration BACKOFF_BASE = Duration.ofMillis(200);
    public static final Duration BACKOFF_MAX = Duration.ofSeconds(20);
    /** The region used against a custom endpoint when none is configured (it only enters the signature). */
    public static final String LOCAL_REGION = "us-east-1";

    public ControlPlaneTarget {
        region = region == null ? Optional.empty() : region;
        profile = profile == null ? Optional.empty() : profile;
        endpoint = endpoint == null ? Optional.empty() : endpoint;
        caBundle = caBundle == null ? Optional.empty() : caBundle;
    }

    /** Real AWS with the default chains. */
    public static ControlPlaneTarget aws() {
        return new ControlPlaneTarget(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The region the client signs for: the option; against a custom endpoint {@code AWS_REGION} or us-east-1
     * (without asking EC2's instance metadata, which a factory PC does not have); else the SDK's region chain.
     */
    public Region resolvedRegion() {
        if (region.isPresent()) {
            return Region.of(region.get());
        }
        if (endpoint.isPresent()) {
            String env = System.getenv("AWS_REGION");
            return Region.of(env == null || env.isBlank() ? LOCAL_REGION : env);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("no AWS region: give --region, or set AWS_REGION or a profile's region");
        }
    }

    /** The CA bundle in effect: the option, else {@code AWS_CA_BUNDLE}. */
    public Optional<Path> effectiveCaBundle(Map<String, String> environment) {
        if (caBundle.isPresent()) {
            return caBundle;
        }
        String env = environment.get("AWS_CA_BUNDLE");
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
    }

    /**
     * An IoT client for this target; {@code maxConnections} sizes the HTTP connection pool (one per worker), and
     * {@code interceptors} see every attempt.
     *
     * @throws IllegalArgumentException if the CA bundle cannot be read or holds no certificate
     */
    public IotClient client(int maxConnections, List<ExecutionInterceptor> interceptors) {
        var builder = IotClient.builder().region(resolvedRegion()).credentialsProvider(credentials())
                .httpClientBuilder(http(maxConnections))
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(MAX_ATTEMPTS)
                            .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                            .circuitBreakerEnabled(false).build());
                    interceptors.forEach(o::addExecutionInterceptor);
                });
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * An S3 client with this target's region, credentials and CA bundle, for OTA artifacts: against
     * {@code s3Endpoint} when given (path-style addressing, as an S3-compatible store such as the local cloud's
     * artifact store needs), else Amazon S3. Retries: the SDK's standard strategy with {@value #MAX_ATTEMPTS} attempts.
     *
     * @throws IllegalArgumentException if the CA bundle cannot be read or holds no certificate
     */
    public S3Client s3Client(Optional<URI> s3Endpoint) {
        var builder = S3Client.builder().region(resolvedRegion()).credentialsProvider(credentials())
                .httpClientBuilder(http(4))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(MAX_ATTEMPTS).circuitBreakerEnabled(false).build()));
        s3Endpoint.ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
        return builder.build();
    }

    private ApacheHttpClient.Builder http(int maxConnections) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder().maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(30));
        Optional<Path> bundle = effectiveCaBundle(System.getenv());
        if (bundle.isPresent()) {
            TrustManager[] trust = trustManagers(bundle.get());
            http.tlsTrustManagersProvider(() -> trust);
        }
        return http;
    }

    private AwsCredentialsProvider credentials() {
        return profile.isPresent() ? ProfileCredentialsProvider.create(profile.get())
                : DefaultCredentialsProvider.builder().build();
    }

    private static TrustManager[] trustManagers(Path bundle) {
        try {
            if (!Files.isReadable(bundle)) {
                throw new IllegalArgumentException("CA bundle " + bundle + " is not a readable file");
            }
            List<X509Certificate> certificates = PemFiles.readCertificates(bundle);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("CA bundle " + bundle + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA bundle " + bundle + ": " + e.getMessage(), e);
        }
    }
}
