package com.pettysync.provisioning.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.provisioning.aws.ControlPlaneTarget;
import com.pettysync.provisioning.factory.RateLimits;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iot.IotClient;

/** The options every {@code provision} command shares: which control plane, and the output form. */
final class ControlPlaneOptions {
    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's region chain; "
            + "us-east-1 with --endpoint-url)")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "named profile of ~/.aws/credentials and config "
            + "(default: the SDK's default credential chain)")
    String profile;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "control-plane endpoint instead of AWS's, "
            + "e.g. the local IoT Core's (pettysync cloud prints it)")
    URI endpoint;

    @Option(names = "--ca-bundle", paramLabel = "PEM", description = "CA certificates that the endpoint's TLS "
            + "certificate chains to (default: $AWS_CA_BUNDLE, else the JDK's trust store)")
    Path caBundle;

    @Option(names = "--rate-scale", paramLabel = "X", defaultValue = "1",
            description = "multiply AWS IoT's default per-API rate quotas by X (raised account quotas); 0 = no "
                    + "pacing (default: the fleet's)")
    double rateScale;

    @Option(names = "--json", description = "machine-readable output: one JSON document on stdout")
    boolean json;

    ControlPlaneTarget target() {
        if (endpoint != null && (endpoint.getScheme() == null || !endpoint.getScheme().equals("https"))) {
            throw new BadInputException("--endpoint-url must be an https:// URL, got " + endpoint);
        }
        if (caBundle != null && !java.nio.file.Files.isReadable(caBundle)) {
            throw new BadInputException("--ca-bundle " + caBundle + " is not a readable file");
        }
        return new ControlPlaneTarget(Optional.ofNullable(region), Optional.ofNullable(profile),
                Optional.ofNullable(endpoint), Optional.ofNullable(caBundle));
    }

    IotClient client(int connections, List<ExecutionInterceptor> interceptors) {
        try {
            return target().client(connections, interceptors);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    RateLimits limits() {
        if (rateScale < 0) {
            throw new BadInputException("--rate-scale must be >= 0, got " + rateScale);
        }
        return rateScale == 0 ? RateLimits.unlimited() : RateLimits.real(rateScale);
    }

    String signingRegion() {
        return target().resolvedRegion().id();
    }
}
