package com.pettysync.simulator.cli;

import com.pettysync.simulator.cloud.archive.ArchiveStore;
import com.pettysync.simulator.cloud.archive.ArchiveTarget;
import com.pettysync.simulator.cloud.archive.DayArchiver;
import com.pettysync.simulator.cloud.archive.SqliteHotStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The archive run on a schedule inside {@code pettysync cloud}: every period, completed days move from the frame
 * store to the archive on a thread of its own (a slow archive never delays the broker or the job ticker). A failed
 * run is logged and retried at the next period; it never stops the cloud.
 */
final class ScheduledArchive implements AutoCloseable {
    private final Path frames;
    private final String target;
    private final String s3Endpoint;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("cloud-archive").daemon(true).unstarted(r));

    ScheduledArchive(Path frames, String target, String s3Endpoint) {
        this.frames = frames;
        this.target = target;
        this.s3Endpoint = s3Endpoint;
    }

    String target() {
        return target;
    }

    void start(Duration period) {
        timer.scheduleWithFixedDelay(this::runOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void runOnce() {
        long start = System.nanoTime();
        try (SqliteHotStore hot = SqliteHotStore.open(frames);
                ArchiveStore store = ArchiveTarget.open(target, "us-east-1",
                        s3Endpoint == null ? null : URI.create(s3Endpoint))) {
            DayArchiver.Result r = new DayArchiver(hot, store, Clock.systemUTC()).archiveCompleted();
            if (r.collarDays() > 0) {
                Logger.info("cloud: {}", CloudArchiveCommand.summary(r, store.location(),
                        (System.nanoTime() - start) / 1e9));
            }
        } catch (Exception e) {
            Logger.warn("cloud: scheduled archive to {} failed, retried at the next period: {}", target,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
