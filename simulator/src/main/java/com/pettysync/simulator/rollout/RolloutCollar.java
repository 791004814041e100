package com.pettysync.simulator.rollout;

import com.pettysync.agent.ota.ArtifactFetcher;
import com.pettysync.agent.ota.BootState;
import com.pettysync.agent.ota.DirectorySlots;
import com.pettysync.agent.ota.FirmwareArtifact;
import com.pettysync.agent.ota.HealthProbe;
import com.pettysync.agent.ota.InstallException;
import com.pettysync.agent.ota.JobsClient;
import com.pettysync.agent.ota.ModelSlot;
import com.pettysync.agent.ota.ResumableDownload;
import com.pettysync.agent.ota.UpdateEngine;
import com.pettysync.contract.topic.ThingName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One virtual collar of a rollout, running the agent's own update path in-process on real files: device-agent's
 * {@link JobsClient} (its requests go to the local cloud's Jobs service, its messages come back from it),
 * {@link UpdateEngine}, {@link ResumableDownload} over HTTPS from the artifact store, {@link DirectorySlots} with the
 * launcher's boot decision ({@link BootState#start}). A restart is simulated: the engine asked for it, the collar is
 * down for the scenario's restart time, then a new process starts — the launcher's decision, a new slots view, a new
 * JobsClient and engine on the same data directory — and connects. A good build passes its health check once its
 * first window was read and acknowledged ({@code healthyAfter} after the start); a failing collar's new build never
 * gets a PUBACK (its {@link HealthProbe} says so), so its engine rolls it back by itself when the health check's
 * time is up.
 */
final class RolloutCollar {
    /** Where the collar's Jobs requests go; the replies come back through {@link #message}. */
    interface CloudLink {
        void request(String thing, String topic, byte[] payload);
    }

    /** One contract event type 8 the collar recorded: {@code [old_build, new_build, outcome]} at a time. */
    record FirmwareEvent(Instant at, long from, long to, boolean rolledBack) {}

    final int index;
    final String thing;
    final boolean failing;
    private final Path data;
    private final Path slotsDir;
    private final Clock clock;
    private final PublicKey key;
    private final ArtifactFetcher fetcher;
    private final CloudLink cloud;
    private final Duration healthCheck;
    private final Duration healthyAfter;
    private Instant bootedAt;
    private final Duration restartTime;
    private final long toBuild;
    final List<FirmwareEvent> events = new ArrayList<>();
    int starts;
    private DirectorySlots slots;
    private JobsClient jobs;
    private UpdateEngine engine;
    private Instant due = Instant.MIN;
    private boolean woken;
    private Instant restartAt;

    RolloutCollar(int index, String thing, boolean failing, Path data, long fromBuild, long toBuild, Clock clock,
            PublicKey key, ArtifactFetcher fetcher, CloudLink cloud, Duration healthCheck, Duration healthyAfter,
            Duration restartTime)
            throws IOException {
        this.index = index;
        this.thing = thing;
        this.failing = failing;
        this.data = data;
        this.slotsDir = data.resolve("slots");
        this.clock = clock;
        this.key = key;
        this.fetcher = fetcher;
        this.cloud = cloud;
        this.healthCheck = healthCheck;
        this.healthyAfter = healthyAfter;
        this.restartTime = restartTime;
        this.toBuild = toBuild;
        // what the .deb installs: slot a holding the running build
        Files.createDirectories(slotsDir.resolve("a").resolve("lib"));
        Files.writeString(slotsDir.resolve("a").resolve(FirmwareArtifact.MANIFEST),
                new FirmwareArtifact.Manifest(fromBuild, 0).text(), StandardCharsets.UTF_8);
    }

    /** A process start: the launcher picks the slot, the agent's Jobs client and engine start on it and connect. */
    void boot() {
        try {
            BootState before = BootState.read(slotsDir);
            BootState.Start s = before.start(x -> Files.exists(slotsDir.resolve(x).resolve(FirmwareArtifact.MANIFEST)));
            if (!s.next().equals(before)) {
                s.next().write(slotsDir);
            }
            starts++;
            restartAt = null;
            bootedAt = clock.instant();
            slots = new DirectorySlots(slotsDir, s.slot());
            jobs = new JobsClient(ThingName.of(thing), (topic, payload) -> cloud.request(thing, topic, payload));
            ResumableDownload download = new ResumableDownload(new ResumableDownload.Settings(
                    data.resolve("ota").resolve("download"), fetcher, clock, d -> { }, () -> 1L << 30,
                    () -> "boot-" + starts, 1L << 30, 0, 64 * 1024, 5));
            engine = new UpdateEngine(new UpdateEngine.Parts(data.resolve("ota"), key, slots, ModelSlot.NONE,
                    download, jobs, this::health,
                    (from, to, rolledBack) -> events.add(new FirmwareEvent(clock.instant(), from, to, rolledBack)),
                    this::restart, () -> 90, () -> 1L << 30, clock, () -> woken = true, (b, m) -> { }),
                    new UpdateEngine.Settings(healthCheck, Duration.ofMinutes(10), Duration.ofMinutes(1)));
            jobs.bind(engine);
            engine.start();
            jobs.connected();
            due = Instant.MIN;
        } catch (IOException e) {
            throw new UncheckedIOException(thing + ": cannot boot", e);
        }
    }

    /** Connected at once; the first PUBACK and sensor window after {@code healthyAfter}; never on a failing build. */
    private HealthProbe.Health health() {
        boolean bad = failing && slots.runningBuild() == toBuild;
        boolean windowDone = !clock.instant().isBefore(bootedAt.plus(healthyAfter));
        return new HealthProbe.Health(true, windowDone && !bad, windowDone, 0);
    }

    private void restart(String why) {
        restartAt = clock.instant().plus(restartTime);
        jobs.disconnected();
    }

    /** A message from the cloud for this collar (dropped while it is down, as MQTT would not deliver it). */
    void message(String topic, byte[] payload) {
        if (restartAt == null && jobs != null) {
            jobs.message(topic, payload);
        }
    }

    /** Runs what is due at the clock's now; true when it did something. */
    boolean step() {
        Instant now = clock.instant();
        if (restartAt != null) {
            if (now.isBefore(restartAt)) {
                return false;
            }
            boot();
        }
        if (!woken && now.isBefore(due)) {
            return false;
        }
        woken = false;
        due = engine.step();
        return true;
    }

    boolean woken() {
        return woken && restartAt == null;
    }

    /** Whether the collar is idle: up, no job in hand. */
    boolean idle() {
        return restartAt == null && engine != null && engine.current() == null;
    }

    long runningBuild() {
        return slots.runningBuild();
    }

    boolean onTrial() {
        return slots.onTrial();
    }

    /** The build in the committed slot (what the launcher starts when no trial is pending). */
    long committedBuild() {
        try {
            String committed = BootState.read(slotsDir).committed();
            return FirmwareArtifact.Manifest.parse(Files.readString(slotsDir.resolve(committed)
                    .resolve(FirmwareArtifact.MANIFEST), StandardCharsets.UTF_8)).build();
        } catch (IOException | InstallException e) {
            return -1;
        }
    }
}
