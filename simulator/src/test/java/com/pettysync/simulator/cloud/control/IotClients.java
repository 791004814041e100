package com.pettysync.simulator.cloud.control;

import com.pettysync.simulator.cloud.LocalIotCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * The AWS SDK's own {@code IotClient} pointed at a local IoT Core's control plane: endpoint override, static
 * credentials, an Apache HTTP client that trusts only the local CA. Real HTTPS, real SigV4.
 */
public final class IotClients {
    private IotClients() {
    }

    /** A client with the cloud's credentials that never retries (so every refusal reaches the test). */
    public static IotClient of(LocalIotCore cloud) {
        return of(cloud, cloud.controlPlaneCredentials().accessKeyId(),
                cloud.controlPlaneCredentials().secretAccessKey(), AwsRetryStrategy.doNotRetry());
    }

    public static IotClient of(LocalIotCore cloud, String accessKeyId, String secretAccessKey, RetryStrategy retry) {
        return IotClient.builder()
                .endpointOverride(cloud.controlPlaneEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId,
                        secretAccessKey)))
                .httpClient(ApacheHttpClient.builder()
                        .tlsTrustManagersProvider(() -> cloud.certificateAuthority().trustManagerFactory()
                                .getTrustManagers())
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(retry))
                .build();
    }
}
