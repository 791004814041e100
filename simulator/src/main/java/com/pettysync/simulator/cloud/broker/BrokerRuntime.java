package com.pettysync.simulator.cloud.broker;

import com.pettysync.simulator.cloud.provisioning.FleetProvisioningService;
import com.pettysync.simulator.cloud.provisioning.RegistryFleetProvisioning;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.Outbound;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.jobs.JobService;
import com.pettysync.simulator.cloud.registry.Registry;
import com.pettysync.simulator.cloud.shadow.ShadowService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * Owns the embedded HiveMQ instance: writes its configuration, starts it with the {@link CloudExtension}, stops it.
 * Start and stop are idempotent and not concurrent with each other (callers serialize them).
 */
public final class BrokerRuntime {
    private final Path home;
    private final String bindAddress;
    private final int port;
    private final LocalCertificateAuthority ca;
    private final CloudExtension extension;
    private EmbeddedHiveMQ broker;

    /**
     * A broker that authenticates through {@code registry} (null: CA-only, with {@code collarPolicy}, see
     * {@link ClientAuthorization}); registry changes close the connections they withdraw.
     */
    public BrokerRuntime(Path home, String bindAddress, int port, LocalCertificateAuthority ca, IotPolicy collarPolicy,
            Registry registry, Clock clock, int publishesPerSecond, ShadowService shadows, JobService jobs,
            IngestSink sink, RefusalCounters refusals) {
        this.home = home;
        this.bindAddress = bindAddress;
        this.port = port;
        this.ca = ca;
        this.extension = new CloudExtension(new ClientAuthorization(ca, collarPolicy, registry, clock),
                collarPolicy.rule(),
                clock, publishesPerSecond, shadows, jobs,
                registry == null ? null : new FleetProvisioningService(new RegistryFleetProvisioning(registry, ca),
                        clock), sink, refusals);
        if (registry != null) {
            registry.onCertificateChanged(extension::certificateChanged);
        }
    }

    /** Starts the broker; returns once it listens. */
    public synchronized void start() {
        if (broker != null) {
            return;
        }
        try {
            deleteTree(home);
            Path conf = home.resolve("conf");
            IssuedCredential server = ca.issueServer(List.of("localhost", "127.0.0.1", "::1"));
            BrokerConfiguration.write(conf, bindAddress, port, server, ca);
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            // AWS IoT Core serves requests on reserved $aws/... topics; HiveMQ CE refuses client PUBLISHes to
            // topics starting with '$' (DISCONNECT 0x82) unless this internal switch is on. It is read when the
            // broker starts and is process-wide (no other broker runs in our processes).
            InternalConfigurations.MQTT_ALLOW_DOLLAR_TOPICS.set(true);
            EmbeddedHiveMQ b = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(home.resolve("data"))
                    .withExtensionsFolder(home.resolve("extensions"))
                    .withEmbeddedExtension(EmbeddedExtension.builder()
                            .withId("pettysync-local-iot-core").withName("PettySync local AWS IoT Core")
                            .withVersion("1").withAuthor("PettySync").withPriority(1000).withStartPriority(1000)
                            .withExtensionMain(extension).build())
                    .build();
            long t0 = System.nanoTime();
            b.start().get();
            broker = b;
            Logger.info("cloud: local IoT Core listening on {}:{} (TLS), started in {} ms", bindAddress, port,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker in " + home, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not start on " + bindAddress + ":" + port + ": "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the broker", e);
        }
    }

    /** Stops the broker (no-op when stopped). */
    public synchronized void stop() {
        if (broker == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            broker.stop().get();
            broker.close();
            Logger.info("cloud: broker stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (ExecutionException e) {
            Logger.warn("cloud: stopping the broker failed: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            broker = null;
        }
    }

    /** Publishes service messages through the running broker. */
    public void publish(List<Outbound> messages) {
        extension.publish(messages);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
