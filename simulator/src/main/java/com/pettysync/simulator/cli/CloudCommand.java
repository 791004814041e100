package com.pettysync.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.artifacts.ArtifactStore;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import com.pettysync.simulator.cloud.registry.Registry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pettysync cloud}: runs the local AWS IoT Core until stopped (Ctrl-C), and {@code pettysync cloud issue}
 * writes a collar's credential bundle for it.
 */
@Command(name = "cloud", mixinStandardHelpOptions = true, subcommands = {CloudCommand.Issue.class,
        CloudArchiveCommand.class, CloudReportCommand.class, CloudDatasetCommand.class},
        description = {"Run a local stand-in for AWS IoT Core until stopped (Ctrl-C): MQTT 5 over TLS on loopback, "
                + "collar certificates from a local CA, the collar IoT policy, named shadows, jobs, Basic Ingest, "
                + "and every frame validated and stored in SQLite.",
                "Then, in another terminal: pettysync cloud issue collar-0001 --out collar-0001"})
public final class CloudCommand implements Callable<Integer> {
    /** Default state directory: the CA (kept), the broker's files and the frame store. */
    static final String DEFAULT_DIR = "pettysync-cloud";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "state directory (CA, broker files, frames.db); "
            + "default: ${DEFAULT-VALUE}", defaultValue = DEFAULT_DIR)
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8883",
            description = "TLS port (default ${DEFAULT-VALUE}, what the agent expects; 0 picks a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "loopback address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop by itself after this many seconds (default 0: run until Ctrl-C)")
    long durationS;

    @Option(names = "--ca-dir", paramLabel = "DIR", description = "the CA directory (ca.pem + ca.key; created when "
            + "missing); default DIR/ca. Several clouds given one CA accept the same collar certificates")
    Path caDir;

    @Option(names = "--registry-authentication", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "authenticate MQTT clients through the registry (registered, ACTIVE certificate attached "
                    + "to the thing; its policies decide), as AWS IoT does (default). --no-registry-authentication: "
                    + "any certificate of the CA connects as its CN (for fleets issued elsewhere from --ca-dir)")
    boolean registryAuthentication;

    @Option(names = "--control-plane-port", paramLabel = "PORT", defaultValue = "0",
            description = "HTTPS port of the AWS IoT control plane (default 0: a free port, printed)")
    int controlPlanePort;

    @Option(names = "--artifact-store-port", paramLabel = "PORT", defaultValue = "0",
            description = "HTTPS port of the S3-compatible artifact store (OTA artifacts); 0 = a free one")
    int artifactStorePort;

    @Option(names = "--archive-to", paramLabel = "DIR|s3://BUCKET/PREFIX", description = "where the scheduled "
            + "archive moves completed days (default: DIR/archive)")
    String archiveTo;

    @Option(names = "--archive-every", paramLabel = "DURATION", defaultValue = "1h", description = "run 'cloud "
            + "archive' on this schedule while running, first after one period (90s, 10m, 1h; 0 = never; default "
            + "${DEFAULT-VALUE})")
    String archiveEvery;

    @Option(names = "--replay-arrivals", description = "record each frame's arrival on the fleet's own time (the "
            + "latest window end stored) instead of the clock: for a simulated fleet faster than real time, so the "
            + "delivery report counts only real backlogs as late")
    boolean replayArrivals;

    @Option(names = "--archive-s3-endpoint", paramLabel = "URL",
            description = "an S3-compatible server for an s3:// --archive-to (default: AWS)")
    String archiveS3Endpoint;

    @Override
    public Integer call() throws Exception {
        java.time.Duration archivePeriod;
        try {
            archivePeriod = archiveEvery.strip().equals("0") ? java.time.Duration.ZERO
                    : com.pettysync.simulator.fleet.Fault.duration(archiveEvery);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--archive-every: " + e.getMessage());
        }
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port must be 0..65535, got " + port);
        }
        if (!bind.startsWith("127.") && !bind.equals("::1") && !bind.equals("localhost")) {
            throw new BadInputException("--bind must be a loopback address (127.x.x.x or ::1), got " + bind);
        }
        if (durationS < 0) {
            throw new BadInputException("--duration must be 0 or more seconds, got " + durationS);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (controlPlanePort < 0 || controlPlanePort > 65535) {
            throw new BadInputException("--control-plane-port must be 0..65535, got " + controlPlanePort);
        }
        if (artifactStorePort < 0 || artifactStorePort > 65535) {
            throw new BadInputException("--artifact-store-port must be 0..65535, got " + artifactStorePort);
        }
        LocalIotCore cloud = LocalIotCore.builder().directory(dir).caDirectory(caDir).port(port).bindAddress(bind)
                .registryAuthentication(registryAuthentication).controlPlanePort(controlPlanePort)
                .artifactStorePort(artifactStorePort).build();
        if (replayArrivals) {
            cloud.sink().replayArrivals();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cloud-jobs-ticker");
            t.setDaemon(true);
            return t;
        });
        ScheduledArchive archive = archivePeriod.isZero() ? null : new ScheduledArchive(dir.resolve("frames.db"),
                archiveTo != null ? archiveTo : dir.resolve("archive").toString(), archiveS3Endpoint);
        Thread hook = new Thread(() -> {
            stopped.countDown();
            ticker.shutdownNow();
            if (archive != null) {
                archive.close();
            }
            cloud.close();
        }, "cloud-shutdown");
        try {
            cloud.start();
        } catch (RuntimeException e) {
            cloud.close();
            out.flush();
            spec.commandLine().getErr().println("cloud: could not start: " + e.getMessage()
                    + (port == 8883 ? " (is port 8883 in use? try --port 0)" : ""));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        ticker.scheduleAtFixedRate(cloud::advanceJobs, 1, 1, TimeUnit.SECONDS);
        if (archive != null) {
            archive.start(archivePeriod);
        }
        out.println("Local AWS IoT Core running (Ctrl-C to stop)");
        out.println("  endpoint   mqtts://" + cloud.endpoint() + ":" + cloud.port() + "  (MQTT 5, TLS, client "
                + "certificate required)");
        out.println("  CA file    " + cloud.caFile());
        out.println("  frames     " + cloud.framesFile() + "  (SQLite: telemetry, events, voice, rejects)");
        out.println("  registry   " + cloud.registry().file() + "  (things, certificates, policies; MQTT clients "
                + (cloud.registryAuthentication() ? "authenticate through it" : "are checked against the CA only")
                + ")");
        out.println("  collars    pettysync cloud issue THING --out DIR" + (dir.toString().equals(DEFAULT_DIR) ? ""
                : " --dir " + dir));
        out.println("  control    " + cloud.controlPlaneEndpoint() + "  (AWS IoT control plane, SigV4)");
        out.println("  archive    " + (archive == null ? "off (--archive-every 0)" : archive.target() + " every "
                + archiveEvery + "  (completed days; pettysync cloud archive runs it now)"));
        out.println("AWS SDK / CLI / boto3 against the control plane (a local stand-in's own key, not an AWS "
                + "account's):");
        out.println("  export AWS_ACCESS_KEY_ID=" + cloud.controlPlaneCredentials().accessKeyId()
                + " AWS_SECRET_ACCESS_KEY=" + cloud.controlPlaneCredentials().secretAccessKey()
                + " AWS_CA_BUNDLE=" + cloud.caFile() + " AWS_DEFAULT_REGION=" + LocalIotCore.REGION);
        out.println("  aws iot list-things --endpoint-url " + cloud.controlPlaneEndpoint());
        out.println("  artifacts  " + cloud.artifactStore().endpoint() + "  (S3 API for OTA artifacts, path-style, "
                + "bucket " + ArtifactStore.DEFAULT_BUCKET + ", SigV4 with the same key)");
        out.flush();
        if (durationS > 0) {
            stopped.await(durationS, TimeUnit.SECONDS);
        } else {
            stopped.await();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return 0;
        }
        List<CollarCounts> counts = cloud.sink().counts();
        long stored = counts.stream().mapToLong(CollarCounts::stored).sum();
        long dup = counts.stream().mapToLong(CollarCounts::duplicates).sum();
        long bad = counts.stream().mapToLong(CollarCounts::invalid).sum();
        ticker.shutdownNow();
        if (archive != null) {
            archive.close();
        }
        cloud.close();
        out.println("Stopped: " + counts.size() + " collars, " + stored + " frames stored, " + dup + " duplicate, "
                + bad + " invalid");
        return 0;
    }

    /** {@code pettysync cloud issue THING --out DIR}: a collar credential bundle for the local IoT Core. */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Write a credential bundle for collar THING, issued by the local CA: certificate.pem, "
                    + "private-key.pem (mode 0600), ca.pem and agent.json pointing at the local endpoint.",
                    "Run it with: pettysync agent --config DIR/agent.json --simulated"})
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "THING", description = "thing name, e.g. collar-0001")
        String thing;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "where to write the bundle")
        Path out;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "state directory of the local cloud (its CA signs the certificate); "
                        + "default: ${DEFAULT-VALUE}")
        Path dir;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "8883",
                description = "port written into agent.json (default ${DEFAULT-VALUE})")
        int port;

        @Override
        public Integer call() throws IOException {
            if (!ThingName.isValid(thing)) {
                throw new BadInputException("thing name must be 1-128 characters of [a-zA-Z0-9:_-], got \"" + thing
                        + "\"");
            }
            if (port < 1 || port > 65535) {
                throw new BadInputException("--port must be 1..65535, got " + port);
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new BadInputException("--out exists and is not a directory: " + out);
            }
            LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(dir.resolve("ca"),
                    Clock.systemUTC());
            IssuedCredential credential = ca.issueCollar(thing);
            // registered as the running cloud's issueCollar would (SQLite: safe while that cloud has it open)
            try (Registry registry = Registry.open(dir.resolve(Registry.FILE), Clock.systemUTC(), LocalIotCore.REGION,
                    LocalIotCore.ACCOUNT)) {
                registry.provisionCollar(thing, credential.certificate(), ca.certificate(),
                        LocalIotCore.COLLAR_POLICY_NAME,
                        IotPolicy.forCollars(LocalIotCore.REGION, LocalIotCore.ACCOUNT, RuleName.DEFAULT).json());
            }
            credential.writeTo(out);
            ObjectMapper json = new ObjectMapper();
            ObjectNode config = json.createObjectNode();
            config.put("endpoint", "localhost");
            config.put("port", port);
            config.put("thingName", thing);
            config.put("certificate", IssuedCredential.CERTIFICATE_FILE);
            config.put("privateKey", IssuedCredential.PRIVATE_KEY_FILE);
            config.put("caCertificate", IssuedCredential.CA_FILE);
            config.put("dataDirectory", "data");
            config.put("sensors", "simulated");
            Files.writeString(out.resolve("agent.json"),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
            PrintWriter w = spec.commandLine().getOut();
            w.println("Issued " + thing + " by the local CA in " + dir.resolve("ca") + ", registered in "
                    + dir.resolve(Registry.FILE) + " (ACTIVE, attached to thing " + thing + " and policy "
                    + LocalIotCore.COLLAR_POLICY_NAME + ")");
            w.println("  " + out.resolve(IssuedCredential.CERTIFICATE_FILE));
            w.println("  " + out.resolve(IssuedCredential.PRIVATE_KEY_FILE) + "  (mode 0600)");
            w.println("  " + out.resolve(IssuedCredential.CA_FILE));
            w.println("  " + out.resolve("agent.json"));
            if (port != 8883 && port != 443) {
                w.println("Note: the agent accepts only ports 8883 and 443; run the cloud on 8883 for it.");
            }
            w.println("Run: pettysync agent --config " + out.resolve("agent.json") + " --simulated");
            return 0;
        }
    }
}
