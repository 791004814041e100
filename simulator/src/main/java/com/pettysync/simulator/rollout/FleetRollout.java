package com.pettysync.simulator.rollout;

import com.pettysync.agent.ota.FirmwareArtifact;
import com.pettysync.agent.ota.HttpArtifactFetcher;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import com.pettysync.provisioning.ota.CodeSigningKey;
import com.pettysync.provisioning.ota.OtaPublisher;
import com.pettysync.provisioning.ota.RolloutSpec;
import com.pettysync.provisioning.ota.SignedManifest;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.Outbound;
import com.pettysync.simulator.cloud.artifacts.ArtifactStore;
import com.pettysync.simulator.cloud.jobs.JobService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.tinylog.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A firmware rollout on a virtual fleet, in simulated time ({@code pettysync simulate --rollout FILE}).
 *
 * <p>A local cloud (control plane, Jobs service, artifact store) runs on a {@link SteppedClock} (its state and the
 * collars' data directories in a temp directory, on /dev/shm where there is one, removed at the end); the fleet's things
 * are put in one thing group; a firmware artifact (the agent's own {@link FirmwareArtifact} format) is signed and
 * published exactly as {@code pettysync ota publish} does it — {@link OtaPublisher} through the AWS SDK's S3 and IoT
 * clients over HTTPS — with the scenario's rollout, abort and timeout settings. Each collar is a
 * {@link RolloutCollar} (device-agent's Jobs client, update engine, resumable HTTPS download, A/B slots; the
 * restart simulated); their Jobs traffic goes straight to the Jobs service in-process (the broker is not in the
 * path, and the local cloud runs without one). Time advances one simulated second per step; the Jobs service's time-driven work (rollout releases,
 * timeouts, abort criteria) runs at each step. A download takes no simulated time. The run ends when the job is no
 * longer IN_PROGRESS and every collar is idle, or at the scenario's maximum duration.
 */
public final class FleetRollout {
    /** One point of the timeline (a simulated minute). */
    public record Point(long minute, Map<String, Integer> executions, int notReleased, int ratePerMinute,
            String jobStatus, int onNewBuild) {}

    /** One collar's end state. */
    public record CollarResult(String thing, boolean failing, String execution, long runningBuild,
            long committedBuild, boolean onTrial, int starts, List<RolloutCollar.FirmwareEvent> events,
            Long startedAtS, Long endedAtS) {}

    /** The run's outcome. */
    public record Result(RolloutScenario scenario, String jobId, String jobStatus, String reasonCode, String comment,
            List<Point> timeline, List<CollarResult> collars, Duration simulated, Duration wall,
            Map<String, Integer> executions, int notReleased, List<String> violations) {
        /** Whether every check held. */
        public boolean passed() {
            return violations.isEmpty();
        }
    }

    private static final String GROUP = "rollout-fleet";

    private final RolloutScenario scenario;
    private final Consumer<String> progress;
    private final Deque<Outbound> toCollars = new ArrayDeque<>();
    private final Map<String, RolloutCollar> byThing = new HashMap<>();
    private LocalIotCore cloud;

    public FleetRollout(RolloutScenario scenario, Consumer<String> progress) {
        this.scenario = scenario;
        this.progress = progress;
    }

    /** Runs the scenario. */
    public Result run() throws IOException {
        long wall0 = System.nanoTime();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SteppedClock clock = new SteppedClock(start);
        Path collarsDir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "pettysync-rollout-");
        Path cloudDir = collarsDir.resolve("cloud");
        try (LocalIotCore c = LocalIotCore.builder().directory(cloudDir).clock(clock).broker(false)
                .jobNotifications(this::fromCloud).build().start()) {
            cloud = c;
            return run(clock, start, collarsDir, wall0);
        } finally {
            deleteTree(collarsDir);
        }
    }

    private Result run(SteppedClock clock, Instant start, Path collarsDir, long wall0) throws IOException {
        // the fleet in the registry
        cloud.registry().thingGroups().create(GROUP, null, "the simulated fleet", Map.of());
        List<Integer> failingIdx = new ArrayList<>();
        for (int i = 0; i < scenario.collars(); i++) {
            failingIdx.add(i);
        }
        java.util.Collections.shuffle(failingIdx, new Random(scenario.seed()));
        java.util.Set<Integer> failing = new java.util.HashSet<>(failingIdx.subList(0, scenario.failing()));
        // code signing and the artifact, as the build server does it
        CodeSigningKey key = CodeSigningKey.generate("rollout-fleet", Duration.ofDays(30), clock);
        Path artifact = collarsDir.resolve("agent-" + scenario.toBuild() + ".zip");
        byte[] lib = new byte[scenario.artifactBytes()];
        new Random(scenario.seed()).nextBytes(lib);
        FirmwareArtifact.write(artifact, new FirmwareArtifact.Manifest(scenario.toBuild(), 0),
                Map.of("pettysync-agent.jar", lib));
        SignedManifest manifest = SignedManifest.sign(key.privateKey(), artifact, scenario.toBuild(),
                JobOperation.FIRMWARE_UPDATE);
        // the fleet, booted (each connects and finds no job)
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(null, cloud.certificateAuthority().trustManagerFactory().getTrustManagers(), null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        HttpArtifactFetcher fetcher = new HttpArtifactFetcher(tls, Duration.ofSeconds(30));
        List<RolloutCollar> collars = new ArrayList<>();
        for (int i = 0; i < scenario.collars(); i++) {
            String thing = String.format("collar-%06d", i);
            cloud.registry().things().create(thing, null, Map.of());
            cloud.registry().thingGroups().addThing(GROUP, thing);
            RolloutCollar collar = new RolloutCollar(i, thing, failing.contains(i), collarsDir.resolve(thing),
                    scenario.fromBuild(), scenario.toBuild(), clock, key.certificate().getPublicKey(), fetcher,
                    this::fromCollar, scenario.healthCheck(), scenario.healthyAfter(), scenario.restart());
            collars.add(collar);
            byThing.put(thing, collar);
            collar.boot();
        }
        deliver();
        // publish, as ota publish does
        String jobId = "firmware-" + scenario.toBuild() + "-rollout";
        try (S3Client s3 = s3(); IotClient iot = iot()) {
            String groupArn = iot.describeThingGroup(b -> b.thingGroupName(GROUP)).thingGroupArn();
            new OtaPublisher(s3, iot, cloud.artifactStore().endpoint()).publish(new OtaPublisher.Publication(
                    manifest, artifact, ArtifactStore.DEFAULT_BUCKET, groupArn, jobId,
                    Optional.ofNullable(scenario.rollout()).map(RolloutSpec::rollout),
                    scenario.abort().isEmpty() ? Optional.empty() : Optional.of(RolloutSpec.abort(scenario.abort())),
                    Optional.ofNullable(scenario.timeout()).map(RolloutSpec::timeout), Duration.ofHours(1),
                    "arn:aws:iam::123456789012:role/pettysync-ota-download", false, "simulated rollout"));
        }
        Logger.info("rollout: job {} created for {} collars ({} failing)", jobId, collars.size(), failing.size());
        List<Point> timeline = new ArrayList<>();
        Instant end = start.plus(scenario.maxDuration());
        long lastMinute = -1;
        while (clock.instant().isBefore(end)) {
            cloud.advanceJobs();
            deliver();
            boolean busy = true;
            for (int round = 0; busy && round < 50; round++) {
                busy = false;
                for (RolloutCollar collar : collars) {
                    if (collar.step()) {
                        busy = true;
                    }
                    deliver();
                }
                busy = busy && collars.stream().anyMatch(RolloutCollar::woken);
            }
            long minute = Duration.between(start, clock.instant()).toMinutes();
            JobService.JobView job = cloud.jobs().job(jobId).orElseThrow();
            if (minute != lastMinute) {
                lastMinute = minute;
                Point p = point(minute, job, collars);
                timeline.add(p);
                progress.accept(String.format("[sim %02d:%02d] %s rate %s/min | %s | not released %d | on build %d: %d",
                        minute / 60, minute % 60, job.status(), job.currentRatePerMinute() == Integer.MAX_VALUE ? "∞"
                                : job.currentRatePerMinute(), p.executions(), job.notReleased(), scenario.toBuild(),
                        p.onNewBuild()));
            }
            if (job.status() != JobService.JobStatus.IN_PROGRESS
                    && collars.stream().allMatch(RolloutCollar::idle)
                    && job.counts().get(JobService.Status.IN_PROGRESS) == 0) {
                break;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        JobService.JobView job = cloud.jobs().job(jobId).orElseThrow();
        timeline.add(point(Duration.between(start, clock.instant()).toMinutes(), job, collars));
        List<CollarResult> results = new ArrayList<>();
        for (RolloutCollar c : collars) {
            var e = cloud.jobs().execution(c.thing, jobId);
            results.add(new CollarResult(c.thing, c.failing, e.map(x -> x.status().name()).orElse("NOT_RELEASED"),
                    c.runningBuild(), c.committedBuild(), c.onTrial(), c.starts, List.copyOf(c.events),
                    e.map(JobService.ExecutionView::startedAt).map(s -> s - start.getEpochSecond()).orElse(null),
                    e.filter(x -> x.status() != JobService.Status.QUEUED && x.status() != JobService.Status.IN_PROGRESS)
                            .map(x -> x.lastUpdatedAt() - start.getEpochSecond()).orElse(null)));
        }
        Map<String, Integer> counts = counts(job);
        return new Result(scenario, jobId, job.status().name(), job.reasonCode(), job.comment(), timeline, results,
                Duration.between(start, clock.instant()), Duration.ofNanos(System.nanoTime() - wall0), counts,
                job.notReleased(), violations(job, results));
    }

    /** The checks of the issue: the abort stops the rollout, every failing collar is back on its old build. */
    private List<String> violations(JobService.JobView job, List<CollarResult> results) {
        List<String> v = new ArrayList<>();
        boolean abortExpected = !scenario.abort().isEmpty() && scenario.failing() > 0;
        if (abortExpected && !(job.status() == JobService.JobStatus.CANCELED
                && JobService.ABORTED.equals(job.reasonCode()))) {
            v.add("the job was not aborted (status " + job.status() + ")");
        }
        if (abortExpected && job.notReleased() == 0) {
            v.add("the abort came only after every collar had been notified");
        }
        if (job.status() == JobService.JobStatus.IN_PROGRESS) {
            v.add("the job did not end within " + scenario.maxDuration());
        }
        for (CollarResult r : results) {
            if (r.onTrial()) {
                v.add(r.thing() + " is still on a trial build");
            } else if (r.failing() && (r.runningBuild() != scenario.fromBuild()
                    || r.committedBuild() != scenario.fromBuild())) {
                v.add(r.thing() + " (failing) runs build " + r.runningBuild() + ", committed " + r.committedBuild());
            } else if (r.execution().equals("SUCCEEDED") && (r.runningBuild() != scenario.toBuild()
                    || r.committedBuild() != scenario.toBuild())) {
                v.add(r.thing() + " SUCCEEDED but runs build " + r.runningBuild());
            } else if (!r.execution().equals("SUCCEEDED") && r.runningBuild() != scenario.fromBuild()) {
                v.add(r.thing() + " " + r.execution() + " but runs build " + r.runningBuild());
            }
            if (r.failing() && r.execution().equals("FAILED") && r.events().stream().noneMatch(
                    RolloutCollar.FirmwareEvent::rolledBack)) {
                v.add(r.thing() + " FAILED without a rollback event (type 8, outcome 1)");
            }
        }
        return v;
    }

    private Point point(long minute, JobService.JobView job, List<RolloutCollar> collars) {
        int onNew = 0;
        for (RolloutCollar c : collars) {
            if (c.runningBuild() == scenario.toBuild()) {
                onNew++;
            }
        }
        return new Point(minute, counts(job), job.notReleased(),
                job.currentRatePerMinute() == Integer.MAX_VALUE ? 0 : job.currentRatePerMinute(), job.status().name(),
                onNew);
    }

    private static Map<String, Integer> counts(JobService.JobView job) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        job.counts().forEach((k, v) -> {
            if (v > 0 || k == JobService.Status.SUCCEEDED || k == JobService.Status.FAILED) {
                m.put(k.name(), v);
            }
        });
        return m;
    }

    /** A collar published on a Jobs topic: the Jobs service answers in-process; other topics (shadow) are dropped. */
    private void fromCollar(String thing, String topic, byte[] payload) {
        String prefix = TopicScheme.jobsPrefix(ThingName.of(thing));
        if (topic.startsWith(prefix)) {
            toCollars.addAll(cloud.jobs().handle(thing, topic.substring(prefix.length()), payload));
        }
    }

    private void fromCloud(List<Outbound> out) {
        toCollars.addAll(out);
    }

    private void deliver() {
        Outbound o;
        while ((o = toCollars.poll()) != null) {
            String topic = o.topic();
            if (!topic.startsWith("$aws/things/")) {
                continue;
            }
            int slash = topic.indexOf('/', "$aws/things/".length());
            RolloutCollar c = byThing.get(topic.substring("$aws/things/".length(), slash));
            if (c != null) {
                c.message(topic, o.payload());
            }
        }
    }

    private S3Client s3() {
        return S3Client.builder().endpointOverride(cloud.artifactStore().endpoint()).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(credentials()).httpClient(http()).build();
    }

    private IotClient iot() {
        return IotClient.builder().endpointOverride(cloud.controlPlaneEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(http()).build();
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                cloud.controlPlaneCredentials().accessKeyId(), cloud.controlPlaneCredentials().secretAccessKey()));
    }

    private software.amazon.awssdk.http.SdkHttpClient http() {
        return ApacheHttpClient.builder().tlsTrustManagersProvider(() -> cloud.certificateAuthority()
                .trustManagerFactory().getTrustManagers()).build();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
