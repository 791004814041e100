package com.pettysync.simulator.cloud;

import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.artifacts.ArtifactStore;
import com.pettysync.simulator.cloud.broker.BrokerRuntime;
import com.pettysync.simulator.cloud.broker.RefusalCounters;
import com.pettysync.simulator.cloud.control.ControlPlaneCredentials;
import com.pettysync.simulator.cloud.control.ControlPlaneServer;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.jobs.ArtifactUrls;
import com.pettysync.simulator.cloud.jobs.JobConfig;
import com.pettysync.simulator.cloud.jobs.JobService;
import com.pettysync.simulator.cloud.registry.CertificateStatus;
import com.pettysync.simulator.cloud.registry.Registry;
import com.pettysync.simulator.cloud.shadow.ShadowService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * A local stand-in for AWS IoT Core: an embedded MQTT 5 broker (HiveMQ CE) on loopback, TLS only, that
 * authenticates devices by certificate through the {@link Registry}, authorizes them with the IoT policies attached
 * to their certificates, enforces AWS IoT Core's limits, and serves named shadows, Jobs and Basic Ingest, with the
 * ingest sink ("Dumper #1") storing every frame; beside it the AWS IoT control plane ({@link ControlPlaneServer}),
 * an HTTPS endpoint for the AWS SDK's {@code IotClient}, the AWS CLI and boto3, and the S3-compatible
 * {@link ArtifactStore} that OTA artifacts are uploaded to and downloaded from.
 *
 * <pre>{@code
 * try (LocalIotCore cloud = LocalIotCore.builder().directory(tmp).build().start()) {
 *     IssuedCredential collar = cloud.issueCollar("collar-0001");     // client cert, CN = thing
 *     // connect any MQTT 5 client to ssl://localhost:cloud.port(), client ID "collar-0001",
 *     // trusting cloud.caFile(), presenting collar.certificate()/privateKey()
 *     cloud.sink().counts("collar-0001");                           // what Dumper #1 stored
 * }
 * }</pre>
 *
 * Directory layout: {@code ca/} (root CA, kept across runs; or a shared CA directory, see
 * {@link Builder#caDirectory}), {@code broker/} (HiveMQ config and data, rewritten on
 * each start), {@code frames.db} (the ingest sink, kept), {@code registry.db} (things, certificates, policies …,
 * kept), {@code control-plane.credentials} (the control plane's access key, 0600, kept), {@code artifacts/} (the artifact
 * store's buckets, kept). Guarantees:
 * {@link #start()} returns only once the broker and the control plane accept connections; {@link #close()} stops
 * both and closes the stores; {@link #restart()} stops and starts the broker on the same port with the same
 * services, registry and store (MQTT sessions are not kept, as after an AWS endpoint failover; the control plane
 * keeps running). Not thread-safe for start/stop; everything else is.
 */
public final class LocalIotCore implements AutoCloseable {
    /** The policy's placeholders; only their shape matters locally. */
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    /** The name under which {@link #issueCollar} keeps the collar policy in the registry. */
    public static final String COLLAR_POLICY_NAME = "pettysync-collar";

    private final Path directory;
    private final Path caDirectory;
    private final String bindAddress;
    private final int port;
    private final Clock clock;
    private final LocalCertificateAuthority ca;
    private final IotPolicy policy;
    private final ShadowService shadows;
    private final JobService jobs;
    private final IngestSink sink;
    private final Registry registry;
    private final boolean registryAuthentication;
    private final RefusalCounters refusals = new RefusalCounters();
    private final BrokerRuntime runtime;
    private final ControlPlaneCredentials controlPlaneCredentials;
    private final ControlPlaneServer controlPlane;
    private final ArtifactStore artifacts;
    private final java.util.function.Consumer<List<Outbound>> jobNotifications;
    private final boolean broker;

    private LocalIotCore(Builder b) throws IOException {
        this.directory = b.directory.toAbsolutePath();
        this.caDirectory = b.caDirectory != null ? b.caDirectory.toAbsolutePath() : directory.resolve("ca");
        this.bindAddress = b.bindAddress;
        this.clock = b.clock;
        this.port = b.port == 0 ? ListenPorts.free(b.bindAddress) : b.port;
        this.ca = LocalCertificateAuthority.openOrCreate(caDirectory, clock);
        this.policy = IotPolicy.forCollars(REGION, ACCOUNT, b.rule);
        this.shadows = new ShadowService(clock);
        this.jobNotifications = b.jobNotifications;
        this.broker = b.broker;
        this.controlPlaneCredentials = b.controlPlaneCredentials != null ? b.controlPlaneCredentials
                : ControlPlaneCredentials.loadOrCreate(directory.resolve(ControlPlaneCredentials.FILE));
        if (b.controlPlane) {
            this.artifacts = new ArtifactStore(directory.resolve("artifacts"), bindAddress,
                    b.artifactStorePort, ca,
                    controlPlaneCredentials, clock, REGION);
        } else {
            this.artifacts = null;
        }
        this.jobs = new JobService(clock, artifacts != null ? artifacts : ArtifactUrls.NONE);
        this.sink = IngestSink.open(directory.resolve("frames.db"), clock);
        this.registry = Registry.open(directory.resolve(Registry.FILE), clock, REGION, ACCOUNT);
        this.registryAuthentication = b.registryAuthentication;
        this.runtime = new BrokerRuntime(directory.resolve("broker"), bindAddress, port, ca, policy,
                registryAuthentication ? registry : null, clock, b.publishesPerSecond, shadows, jobs, sink, refusals);
        if (b.controlPlane) {
            this.controlPlane = new ControlPlaneServer(new ControlPlaneServer.Options(bindAddress, b.controlPlanePort,
                    controlPlaneCredentials, clock, b.controlPlaneRequestsPerSecond), registry, ca, jobs,
                    new ControlPlaneServer.JobDispatch() {
                        @Override
                        public void createJob(String jobId, List<String> things, String documentJson,
                                JobConfig config) {
                            LocalIotCore.this.createJob(jobId, things, documentJson, config);
                        }

                        @Override
                        public void cancelJob(String jobId, boolean force, String reasonCode, String comment) {
                            publishJobs(jobs.cancelJob(jobId, force, reasonCode, comment));
                        }
                    }, this::dataEndpoint);
            if (b.controlPlaneObserver != null) {
                controlPlane.observeOperations(b.controlPlaneObserver);
            }
        } else {
            this.controlPlane = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the broker and the control plane; blocks until both listen. */
    public LocalIotCore start() {
        if (broker) {
            runtime.start();
        }
        if (controlPlane != null) {
            controlPlane.start();
            artifacts.start();
        }
        return this;
    }

    /** Stops and starts the broker again (same port, CA, services and frame store); clients must reconnect. */
    public void restart() {
        runtime.stop();
        runtime.start();
    }

    /** Stops the broker only (a broker outage); {@link #start()} brings it back. */
    public void stopBroker() {
        runtime.stop();
    }

    /** The host name clients connect to (the server certificate is for {@code localhost} and {@code 127.0.0.1}). */
    public String endpoint() {
        return "localhost";
    }

    /** The TLS port. */
    public int port() {
        return port;
    }

    /** The PEM file of the root CA that clients must trust (and that issued every client certificate). */
    public Path caFile() {
        return caDirectory.resolve(LocalCertificateAuthority.CA_CERTIFICATE_FILE);
    }

    /** The local CA. */
    public LocalCertificateAuthority certificateAuthority() {
        return ca;
    }

    /**
     * A new certificate for collar {@code thing} (CN = thing name), registered as AWS IoT would have it: the
     * certificate ACTIVE, the thing created when missing (no type), the collar policy kept as
     * {@value #COLLAR_POLICY_NAME} (created when missing), policy and thing attached to the certificate — all in one
     * registry transaction. With {@link Builder#registryAuthentication registryAuthentication(false)} nothing is
     * registered (the broker then accepts any certificate of the CA).
     */
    public IssuedCredential issueCollar(String thing) {
        IssuedCredential credential = ca.issueCollar(thing);
        if (registryAuthentication) {
            registry.provisionCollar(thing, credential.certificate(), ca.certificate(), COLLAR_POLICY_NAME,
                    policy.json());
        }
        return credential;
    }

    /**
     * A new certificate for a back-end client that may use any topic (see
     * {@link LocalCertificateAuthority#issueOperator}), registered ACTIVE (attached to no thing and no policy).
     */
    public IssuedCredential issueOperator(String clientId) {
        IssuedCredential credential = ca.issueOperator(clientId);
        if (registryAuthentication) {
            registry.certificates().register(credential.certificate(), ca.certificate(),
                    CertificateStatus.ACTIVE);
        }
        return credential;
    }

    /** The registry (things, certificates, policies …) the broker authenticates through and the control plane serves. */
    public Registry registry() {
        return registry;
    }

    /** Whether the broker authenticates through the registry (false: CA-only, see {@link Builder#registryAuthentication}). */
    public boolean registryAuthentication() {
        return registryAuthentication;
    }

    /** What DescribeEndpoint answers for {@code iot:Data-ATS}: {@code localhost:PORT} of the MQTT listener. */
    public String dataEndpoint() {
        return endpoint() + ":" + port;
    }

    /**
     * The control plane's endpoint, {@code https://localhost:PORT} (for {@code IotClient.builder().endpointOverride}
     * or {@code aws --endpoint-url}); its server certificate is issued by {@link #caFile()}.
     *
     * @throws IllegalStateException when the control plane was turned off in the builder
     */
    public URI controlPlaneEndpoint() {
        if (controlPlane == null) {
            throw new IllegalStateException("the control plane is off (LocalIotCore.Builder.controlPlane(false))");
        }
        return controlPlane.endpoint();
    }

    /**
     * The artifact store (Amazon S3's API subset for OTA artifacts, {@code https://localhost:PORT}, path-style, bucket
     * {@value ArtifactStore#DEFAULT_BUCKET}); it accepts the {@link #controlPlaneCredentials()} and is on with the
     * control plane.
     *
     * @throws IllegalStateException when the control plane was turned off in the builder
     */
    public ArtifactStore artifactStore() {
        if (artifacts == null) {
            throw new IllegalStateException("the control plane and artifact store are off");
        }
        return artifacts;
    }

    /** The access key the control plane accepts (AWS Signature V4). */
    public ControlPlaneCredentials controlPlaneCredentials() {
        return controlPlaneCredentials;
    }

    /** The policy every collar is authorized with. */
    public IotPolicy policy() {
        return policy;
    }

    /** The ingest sink (Dumper #1). */
    public IngestSink sink() {
        return sink;
    }

    /** Where the sink stores frames. */
    public Path framesFile() {
        return sink.file();
    }

    /** Everything refused so far. */
    public RefusalCounters refusals() {
        return refusals;
    }

    /** The shadow service (read documents directly). */
    public ShadowService shadows() {
        return shadows;
    }

    /** The jobs service (read executions directly). */
    public JobService jobs() {
        return jobs;
    }

    /**
     * Updates a shadow as the cloud application would (UpdateThingShadow): {@code requestJson} is an update
     * request; the replies, documents and delta are published to the broker.
     */
    public List<Outbound> updateShadow(String thing, String shadowName, String requestJson) {
        List<Outbound> out = shadows.handle("$aws/things/" + thing + "/shadow/name/" + shadowName, "update",
                requestJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        runtime.publish(out);
        return out;
    }

    /** Creates a job for {@code things} (CreateJob) and publishes the notifications. */
    public void createJob(String jobId, List<String> things, String documentJson) {
        createJob(jobId, things, documentJson, JobConfig.DEFAULT);
    }

    /** Creates a job for {@code things} configured by {@code config} and publishes the notifications. */
    public void createJob(String jobId, List<String> things, String documentJson, JobConfig config) {
        publishJobs(jobs.createJob(jobId, things, documentJson, config));
    }

    private void publishJobs(List<Outbound> out) {
        if (broker) {
            runtime.publish(out);
        }
        jobNotifications.accept(out);
    }

    /**
     * Runs what the clock made due in the Jobs service (rollout releases, in-progress and step timeouts, abort
     * criteria; {@link JobService#advance()}) and publishes the notifications. Call it every second or so (the
     * {@code cloud} command does; simulations call it at each simulated step).
     */
    public void advanceJobs() {
        publishJobs(jobs.advance());
    }

    @Override
    public void close() {
        if (controlPlane != null) {
            controlPlane.close();
            artifacts.close();
        }
        runtime.stop();
        sink.close();
        registry.close();
    }

    /** Options of a local IoT Core. */
    public static final class Builder {
        private Path directory;
        private Path caDirectory;
        private String bindAddress = "127.0.0.1";
        private int port;
        private Clock clock = Clock.systemUTC();
        private int publishesPerSecond = 100;
        private RuleName rule = RuleName.DEFAULT;
        private boolean registryAuthentication = true;
        private boolean controlPlane = true;
        private int controlPlanePort;
        private int artifactStorePort;
        private ControlPlaneCredentials controlPlaneCredentials;
        private int controlPlaneRequestsPerSecond;
        private java.util.function.Consumer<String> controlPlaneObserver;
        private java.util.function.Consumer<List<Outbound>> jobNotifications = out -> { };
        private boolean broker = true;

        /** Where the CA, the broker's files and the frame store live (required). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Where the CA lives (default {@code directory/ca}): several local IoT Cores given one CA directory accept
         * the same collar certificates (a fleet split over broker processes).
         */
        public Builder caDirectory(Path caDirectory) {
            this.caDirectory = caDirectory;
            return this;
        }

        /** The loopback address to listen on (default 127.0.0.1). */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** The TLS port; 0 (default) picks a free one outside the ephemeral port range ({@link ListenPorts}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The clock for certificates, shadows, jobs, rate limits and stored timestamps. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Publishes per second per connection (AWS: 100). */
        public Builder publishesPerSecond(int rate) {
            this.publishesPerSecond = rate;
            return this;
        }

        /** The Basic Ingest rule that feeds the sink (default {@link RuleName#DEFAULT}). */
        public Builder rule(RuleName rule) {
            this.rule = Objects.requireNonNull(rule);
            return this;
        }

        /**
         * Whether the broker authenticates through the registry (default true, as AWS IoT: a certificate must be
         * registered, ACTIVE, attached to the thing, and its policies decide). False keeps the CA-only mode: any
         * certificate of the CA connects as its CN with the collar policy, and {@link #issueCollar} registers
         * nothing — for fleets of tens of thousands whose certificates are issued in other processes.
         */
        public Builder registryAuthentication(boolean on) {
            this.registryAuthentication = on;
            return this;
        }

        /** Whether to serve the AWS IoT control plane over HTTPS (default true). */
        public Builder controlPlane(boolean on) {
            this.controlPlane = on;
            return this;
        }

        /** The control plane's HTTPS port; 0 (default): the kernel's choice when it binds. */
        public Builder controlPlanePort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("control plane port must be 0..65535, got " + port);
            }
            this.controlPlanePort = port;
            return this;
        }

        /** The artifact store's HTTPS port; 0 (default): the kernel's choice when it binds. */
        public Builder artifactStorePort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("artifact store port must be 0..65535, got " + port);
            }
            this.artifactStorePort = port;
            return this;
        }

        /**
         * The access key the control plane accepts (default: random, kept in
         * {@code directory/control-plane.credentials}).
         */
        public Builder controlPlaneCredentials(ControlPlaneCredentials credentials) {
            this.controlPlaneCredentials = Objects.requireNonNull(credentials);
            return this;
        }

        /**
         * Requests per second per control-plane API before ThrottlingException (token bucket on the clock, burst of
         * the same size); 0 (default) = unlimited.
         */
        public Builder controlPlaneRequestsPerSecond(int rate) {
            if (rate < 0) {
                throw new IllegalArgumentException("control plane rate must be 0 (unlimited) or more, got " + rate);
            }
            this.controlPlaneRequestsPerSecond = rate;
            return this;
        }

        /**
         * Called with each control-plane operation's name after it succeeded, before its answer is sent (fault
         * injection in tests).
         */
        public Builder controlPlaneObserver(java.util.function.Consumer<String> observer) {
            this.controlPlaneObserver = Objects.requireNonNull(observer);
            return this;
        }

        /**
         * Also hands every Jobs notification the cloud itself sends (job created or canceled, rollout releases,
         * timeouts) to {@code tap}, besides publishing it: for devices simulated in-process, off the broker.
         */
        public Builder jobNotifications(java.util.function.Consumer<List<Outbound>> tap) {
            this.jobNotifications = Objects.requireNonNull(tap);
            return this;
        }

        /**
         * Whether to run the MQTT broker (default true). Off: the control plane, the artifact store and the services
         * only, for devices simulated in-process ({@link #jobNotifications}); {@link #start()} then starts no broker.
         */
        public Builder broker(boolean on) {
            this.broker = on;
            return this;
        }

        /** Creates the CA (first time), the services and the stores; does not start the broker or the control plane. */
        public LocalIotCore build() {
            Objects.requireNonNull(directory, "directory");
            try {
                return new LocalIotCore(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the local IoT Core in " + directory, e);
            }
        }
    }
}
