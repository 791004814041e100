package com.pettysync.agent.ota;

import com.pettysync.agent.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.ReentrantLock;
import org.tinylog.Logger;

/**
 * Runs an {@link UpdateEngine} on its own thread ({@code ota}) in the agent: steps it whenever it asks to or is
 * woken (a Jobs message arrived), so a download never blocks the uplink or the window thread. A crash of a step
 * is logged and retried after 30 s; the engine's record keeps the job.
 */
public final class OtaService implements AutoCloseable {
    /**
     * Bytes between download checkpoints (three fsyncs each): after a power cut at most this much is fetched again;
     * after a process kill nothing is (same boot: the file's length is trusted). 1 MiB keeps an SD card's writes
     * few (32 checkpoints for a 32 MiB build).
     */
    static final long CHECKPOINT_BYTES = 1 << 20;

    private final UpdateEngine engine;
    private final Clock clock;
    private final ResumableDownload download;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean woken;
    private volatile boolean running = true;
    private final Thread thread;

    /** Starts the engine (resuming a kept job) and its thread. */
    public OtaService(UpdateEngine engine, ResumableDownload download, Clock clock) {
        this.engine = engine;
        this.download = download;
        this.clock = clock;
        engine.start();
        this.thread = Thread.ofPlatform().name("ota").daemon().unstarted(this::loop);
        thread.start();
    }

    /**
     * The agent's update service: engine, download (JDK HttpClient, the configuration's rate, reserve and trust),
     * record and security floor under {@code <data>/ota}, the code-signing key from the configuration.
     *
     * @throws IOException if the configured code-signing certificate or trust certificates cannot be read
     */
    public static OtaService start(AgentConfig config, Clock clock, FirmwareSlots slots, ModelSlot models,
            JobsClient jobs, HealthProbe health, UpdateEngine.FirmwareEvents events, IntSupplier batteryPct,
            UpdateEngine.Restart restart) throws IOException {
        AgentConfig.Ota o = config.ota();
        Path dir = config.dataDirectory().resolve("ota");
        Files.createDirectories(dir);
        PublicKey key = o.codeSigningCertificate() == null ? null : OtaKeys.codeSigningKey(o.codeSigningCertificate());
        if (key == null) {
            Logger.warn("no ota.codeSigningCertificate configured: update jobs will be rejected");
        }
        LongSupplier free = () -> {
            try {
                return Files.getFileStore(dir).getUsableSpace();
            } catch (IOException e) {
                return 0;
            }
        };
        ResumableDownload download = new ResumableDownload(new ResumableDownload.Settings(dir.resolve("download"),
                new HttpArtifactFetcher(OtaKeys.downloadTls(o.trustCertificates()), Duration.ofSeconds(30)), clock,
                Sleeper.REAL, free, ResumableDownload::linuxBootId, o.maxBytesPerSecond(), o.reserveBytes(),
                CHECKPOINT_BYTES, 5));
        OtaService[] self = new OtaService[1];
        UpdateEngine engine = new UpdateEngine(new UpdateEngine.Parts(dir, key, slots, models, download, jobs, health,
                events, restart, batteryPct, free, clock, () -> {
                    if (self[0] != null) {
                        self[0].wake();
                    }
                }, jobs::versionsChanged),
                new UpdateEngine.Settings(Duration.ofSeconds(o.healthCheckS()), Duration.ofMinutes(10),
                        Duration.ofMinutes(1)));
        jobs.bind(engine);
        jobs.versionsChanged(slots.runningBuild(), models.runningVersion());
        self[0] = new OtaService(engine, download, clock);
        return self[0];
    }

    /** Wakes the thread (the engine's wake hook). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public UpdateEngine engine() {
        return engine;
    }

    private void loop() {
        while (running) {
            Instant next;
            try {
                next = engine.step();
            } catch (RuntimeException e) {
                Logger.error(e, "update engine step failed; retrying in 30 s");
                next = clock.instant().plusSeconds(30);
            }
            lock.lock();
            try {
                while (running && !woken) {
                    Duration d = next.equals(Instant.MAX) ? Duration.ofHours(1) : Duration.between(clock.instant(), next);
                    if (d.isNegative() || d.isZero()) {
                        break;
                    }
                    changed.awaitNanos(Math.min(d.toNanos(), Duration.ofHours(1).toNanos()));
                    if (!next.equals(Instant.MAX) && !clock.instant().isBefore(next)) {
                        break;
                    }
                }
                woken = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the thread (a download in progress stops at its next chunk and keeps its file). */
    @Override
    public void close() {
        running = false;
        download.cancel();
        wake();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
