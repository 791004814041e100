package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.provisioning.ca.PemFiles;
import com.pettysync.provisioning.ota.CodeSigningKey;
import com.pettysync.provisioning.ota.OtaPublisher;
import com.pettysync.provisioning.ota.RolloutSpec;
import com.pettysync.provisioning.ota.SignedManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.DescribeJobResponse;
import software.amazon.awssdk.services.iot.model.JobProcessDetails;
import software.amazon.awssdk.services.iot.model.JobStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code pettysync ota}: firmware and model updates over the air through AWS IoT Jobs — the code-signing key, the
 * signed manifest, publishing (S3 upload + CreateJob with rollout, abort and timeout) and the rollout's status.
 */
@Command(name = "ota", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Over-the-air updates through AWS IoT Jobs: make the fleet's code-signing key, sign an "
                + "artifact, publish it to a thing group with a staged rollout, follow the rollout.",
                "publish and status work against real AWS (S3 + IoT, default credential chain) and any endpoints "
                        + "given with --endpoint-url / --s3-endpoint-url (pettysync cloud runs both locally).",
                "Exit: 0 done, 1 failed, 2 bad input."},
        subcommands = {OtaCommand.Keygen.class, OtaCommand.Sign.class, OtaCommand.Publish.class,
                OtaCommand.Status.class})
public final class OtaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    static JobOperation operation(String name) {
        for (JobOperation o : JobOperation.values()) {
            if (o.jsonName().equals(name)) {
                return o;
            }
        }
        throw new BadInputException("--operation must be firmware-update or model-update, got " + name);
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = {"Make the fleet's code-signing key pair (EC P-256): DIR/" + CodeSigningKey.KEY_FILE
                    + " (0600, keep it on the build server) and DIR/" + CodeSigningKey.CERTIFICATE_FILE
                    + "; prints the certificate (it goes into every collar's config)."})
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "where to write the key pair")
        Path out;

        @Option(names = "--name", paramLabel = "CN", defaultValue = "pettysync-firmware",
                description = "the certificate's common name (default ${DEFAULT-VALUE})")
        String name;

        @Option(names = "--days", defaultValue = "3650", description = "validity in days (default ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--force", description = "replace an existing key (collars trusting the old certificate "
                + "will refuse artifacts signed with the new one)")
        boolean force;

        @Override
        public Integer call() throws IOException {
            if (days < 1) {
                throw new BadInputException("--days must be at least 1, got " + days);
            }
            if (Files.exists(out.resolve(CodeSigningKey.KEY_FILE)) && !force) {
                throw new BadInputException(out.resolve(CodeSigningKey.KEY_FILE) + " exists: the fleet trusts its "
                        + "certificate; give --force to replace it");
            }
            CodeSigningKey key = CodeSigningKey.generate(name, Duration.ofDays(days), Clock.systemUTC());
            key.write(out);
            PrintWriter w = spec.commandLine().getOut();
            w.print(PemFiles.certificatesPem(List.of(key.certificate())));
            w.flush();
            spec.commandLine().getErr().println("ota keygen: private key " + out.resolve(CodeSigningKey.KEY_FILE)
                    + " (0600), certificate " + out.resolve(CodeSigningKey.CERTIFICATE_FILE));
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign an artifact (a firmware bundle or a .tflite model): ECDSA P-256 over its SHA-256 "
                    + "(contract §7); writes the manifest (default ARTIFACT.manifest.json) that 'ota publish' reads."})
    static final class Sign implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--key", paramLabel = "KEY", required = true, description = "the code-signing private key")
        Path key;

        @Option(names = "--artifact", paramLabel = "FILE", required = true)
        Path artifact;

        @Option(names = "--version", paramLabel = "V", required = true,
                description = "the build (firmware) or model version the artifact carries")
        long version;

        @Option(names = "--operation", defaultValue = "firmware-update",
                description = "firmware-update (default) or model-update")
        String operation;

        @Option(names = "--certificate", paramLabel = "PEM", description = "check the new signature against the "
                + "fleet's certificate too (catches signing with the wrong key)")
        Path certificate;

        @Option(names = "--out", paramLabel = "FILE", description = "the manifest (default ARTIFACT.manifest.json)")
        Path out;

        @Override
        public Integer call() throws IOException {
            JobOperation op = operation(operation);
            if (version < 0) {
                throw new BadInputException("--version must be an unsigned integer, got " + version);
            }
            if (!Files.isRegularFile(artifact)) {
                throw new BadInputException("--artifact " + artifact + " is not a file");
            }
            PrivateKey k;
            try {
                k = CodeSigningKey.readPrivateKey(key);
            } catch (IOException e) {
                throw new BadInputException("--key: " + e.getMessage(), e);
            }
            SignedManifest m = SignedManifest.sign(k, artifact, version, op);
            if (certificate != null && !m.verifiedBy(readCertificate(certificate))) {
                spec.commandLine().getErr().println("ota sign: the signature does not verify against "
                        + certificate + ": this key is not the fleet's");
                return Pettysync.EXIT_FAILED;
            }
            Path manifest = out != null ? out : SignedManifest.besideArtifact(artifact);
            m.write(manifest);
            spec.commandLine().getOut().println("signed " + artifact.getFileName() + ": " + op.jsonName() + " "
                    + version + ", " + m.size() + " bytes, sha256 " + m.sha256() + " → " + manifest);
            return 0;
        }
    }

    static X509Certificate readCertificate(Path file) {
        try {
            return CodeSigningKey.readCertificate(file);
        } catch (IOException e) {
            throw new BadInputException("--certificate: " + e.getMessage(), e);
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Upload a signed artifact (S3 PutObject) and create the AWS IoT job for a thing group "
                    + "(CreateJob with the presigned-URL placeholder, rollout, abort and timeout configs)."})
    static final class Publish extends ControlPlaneCommand {
        @Option(names = "--version", paramLabel = "V", required = true, description = "must be the manifest's")
        long version;

        @Option(names = "--artifact", paramLabel = "FILE", required = true)
        Path artifact;

        @Option(names = "--manifest", paramLabel = "FILE", description = "default ARTIFACT.manifest.json")
        Path manifest;

        @Option(names = "--group", paramLabel = "G", required = true, description = "the thing group to update")
        String group;

        @Option(names = "--rollout", paramLabel = "SPEC", description = "base=10,increment=2,max=100"
                + "[,notified=N|,succeeded=N] or max=N (executions released per minute)")
        String rollout;

        @Option(names = "--abort", paramLabel = "SPEC", description = "TYPE>P%%@minN, e.g. failed>5%%@min20 "
                + "(TYPE failed|rejected|timed-out|all); repeatable")
        List<String> abort = new ArrayList<>();

        @Option(names = "--timeout", paramLabel = "DURATION", description = "in-progress timeout: 30m, 2h, 1d")
        String timeout;

        @Option(names = "--job-id", paramLabel = "ID", description = "default firmware-V-yyyyMMddHHmmss or "
                + "model-V-…")
        String jobId;

        @Option(names = "--bucket", paramLabel = "B", defaultValue = "pettysync-ota",
                description = "S3 bucket for artifacts (default ${DEFAULT-VALUE})")
        String bucket;

        @Option(names = "--s3-endpoint-url", paramLabel = "URL", description = "S3 endpoint instead of Amazon S3's "
                + "(path-style), e.g. the local cloud's artifact store")
        URI s3Endpoint;

        @Option(names = "--url-expiry", paramLabel = "SECONDS", defaultValue = "3600",
                description = "lifetime of each presigned download URL, 60-3600 s (default ${DEFAULT-VALUE})")
        int urlExpiry;

        @Option(names = "--role-arn", paramLabel = "ARN", description = "IAM role AWS IoT presigns the download "
                + "URLs with (s3:GetObject on the bucket); required against AWS")
        String roleArn;

        @Option(names = "--certificate", paramLabel = "PEM", description = "refuse to publish unless the manifest's "
                + "signature verifies against the fleet's code-signing certificate")
        Path certificate;

        @Option(names = "--continuous", description = "CONTINUOUS target selection (things added to the group later "
                + "get the job too); default SNAPSHOT")
        boolean continuous;

        @Override
        int execute() throws Exception {
            Path manifestFile = manifest != null ? manifest : SignedManifest.besideArtifact(artifact);
            SignedManifest m;
            try {
                m = SignedManifest.read(manifestFile);
                m.checkArtifact(artifact);
            } catch (IOException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            if (m.version() != version) {
                throw new BadInputException("--version " + version + " but the manifest is for version "
                        + m.version());
            }
            if (certificate != null && !m.verifiedBy(readCertificate(certificate))) {
                throw new BadInputException("the manifest's signature does not verify against " + certificate);
            }
            if (urlExpiry < 60 || urlExpiry > 3600) {
                throw new BadInputException("--url-expiry must be 60 to 3600 seconds (AWS), got " + urlExpiry);
            }
            if (s3Endpoint != null && !"https".equals(s3Endpoint.getScheme())) {
                throw new BadInputException("--s3-endpoint-url must be an https:// URL, got " + s3Endpoint);
            }
            String role = roleArn;
            if (role == null) {
                if (controlPlane.endpoint == null) {
                    throw new BadInputException("--role-arn is required against AWS (the role AWS IoT presigns "
                            + "download URLs with)");
                }
                role = "arn:aws:iam::123456789012:role/pettysync-ota-download";
            }
            OtaPublisher.Publication p;
            try {
                p = new OtaPublisher.Publication(m, artifact, bucket, null, jobId != null ? jobId : defaultJobId(m),
                        Optional.ofNullable(rollout).map(RolloutSpec::rollout),
                        abort.isEmpty() ? Optional.empty() : Optional.of(RolloutSpec.abort(abort)),
                        Optional.ofNullable(timeout).map(RolloutSpec::timeout), Duration.ofSeconds(urlExpiry), role,
                        continuous, m.operation().jsonName() + " " + m.version() + " (" + m.artifact() + ")");
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            URI s3Base = s3Endpoint != null ? s3Endpoint
                    : URI.create("https://s3." + controlPlane.signingRegion() + ".amazonaws.com");
            try (IotClient iot = controlPlane.client(2, List.of());
                    S3Client s3 = s3Client()) {
                String groupArn = iot.describeThingGroup(b -> b.thingGroupName(group)).thingGroupArn();
                p = new OtaPublisher.Publication(p.manifest(), p.artifact(), p.bucket(), groupArn, p.jobId(),
                        p.rollout(), p.abort(), p.timeout(), p.urlExpiry(), p.downloadRoleArn(), p.continuous(),
                        p.description());
                steps().step(artifact.getFileName().toString(), "uploading " + m.size() + " bytes to s3://"
                        + bucket + "/" + OtaPublisher.objectKey(m));
                OtaPublisher.Published done = new OtaPublisher(s3, iot, s3Base).publish(p);
                if (controlPlane.json) {
                    ObjectNode o = JSON.createObjectNode().put("jobId", done.jobId()).put("jobArn", done.jobArn())
                            .put("object", done.objectUrl().toString()).put("etag", done.etag())
                            .put("document", done.document());
                    printJson(o);
                } else {
                    steps().step(done.jobId(), "created " + done.jobArn() + " for group " + group);
                    out().println("follow it: pettysync ota status " + done.jobId() + " --watch");
                }
            }
            return 0;
        }

        private S3Client s3Client() {
            try {
                return controlPlane.target().s3Client(Optional.ofNullable(s3Endpoint));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        }

        private static String defaultJobId(SignedManifest m) {
            return (m.operation() == JobOperation.FIRMWARE_UPDATE ? "firmware-" : "model-") + m.version() + "-"
                    + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
                            .format(java.time.Instant.now());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"A job's rollout: status, executions by state, a progress bar; --watch redraws it until "
                    + "the job is no longer IN_PROGRESS."})
    static final class Status extends ControlPlaneCommand {
        @Parameters(paramLabel = "JOB", description = "the job id")
        String jobId;

        @Option(names = "--watch", description = "redraw every --interval until the job ends")
        boolean watch;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2")
        int interval;

        @Override
        int execute() throws Exception {
            try (IotClient iot = controlPlane.client(1, List.of())) {
                while (true) {
                    DescribeJobResponse d = iot.describeJob(b -> b.jobId(jobId));
                    boolean running = d.job().status() == JobStatus.IN_PROGRESS;
                    if (controlPlane.json) {
                        printJson(JSON.valueToTree(summary(d)));
                    } else {
                        out().println(line(d));
                        out().flush();
                    }
                    if (!watch || !running) {
                        return d.job().status() == JobStatus.CANCELED ? Pettysync.EXIT_FAILED : 0;
                    }
                    Thread.sleep(Math.max(1, interval) * 1000L);
                }
            }
        }

        static java.util.Map<String, Object> summary(DescribeJobResponse d) {
            JobProcessDetails c = d.job().jobProcessDetails();
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("jobId", d.job().jobId());
            m.put("status", d.job().statusAsString());
            if (d.job().reasonCode() != null) {
                m.put("reasonCode", d.job().reasonCode());
            }
            if (d.job().comment() != null) {
                m.put("comment", d.job().comment());
            }
            m.put("QUEUED", c.numberOfQueuedThings());
            m.put("IN_PROGRESS", c.numberOfInProgressThings());
            m.put("SUCCEEDED", c.numberOfSucceededThings());
            m.put("FAILED", c.numberOfFailedThings());
            m.put("REJECTED", c.numberOfRejectedThings());
            m.put("TIMED_OUT", c.numberOfTimedOutThings());
            m.put("CANCELED", c.numberOfCanceledThings());
            m.put("REMOVED", c.numberOfRemovedThings());
            return m;
        }

        /** One line: status, a bar of ended / released executions, the counts by state. */
        static String line(DescribeJobResponse d) {
            java.util.Map<String, Object> s = summary(d);
            int released = 0;
            int ended = 0;
            for (String k : List.of("QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "REJECTED", "TIMED_OUT",
                    "CANCELED", "REMOVED")) {
                int n = (Integer) s.get(k);
                released += n;
                if (!k.equals("QUEUED") && !k.equals("IN_PROGRESS")) {
                    ended += n;
                }
            }
            int width = 30;
            int filled = released == 0 ? 0 : (int) ((long) width * ended / released);
            StringBuilder b = new StringBuilder();
            b.append(d.job().jobId()).append(' ').append(d.job().statusAsString()).append(" [")
                    .append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ").append(ended)
                    .append('/').append(released).append(" ended |");
            for (String k : List.of("QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "REJECTED", "TIMED_OUT",
                    "CANCELED")) {
                b.append(' ').append(k.toLowerCase(java.util.Locale.ROOT).replace('_', '-')).append(' ')
                        .append(s.get(k));
            }
            if (d.job().reasonCode() != null || d.job().comment() != null) {
                b.append(" | ").append(d.job().reasonCode() == null ? "" : d.job().reasonCode() + ": ")
                        .append(d.job().comment() == null ? "" : d.job().comment());
            }
            return b.toString();
        }
    }
}
