package com.pettysync.agent.ota;

import com.pettysync.agent.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * One collar's update path in-process, on real files in a temp data directory: each {@link #boot} is a process
 * start through the launcher's decision ({@link BootState#start}), a new engine on the slot it chose, so a
 * "restart" is simulated as the simulator does it.
 */
final class SimulatedCollar {
    final Path data;
    final Path slotsDir;
    final MutableClock clock;
    final OtaFixture.MemoryFetcher fetcher;
    final PublicKey key;
    OtaFixture.RecordingChannel channel;
    DirectorySlots slots;
    UpdateEngine engine;
    ResumableDownload download;
    final List<String> restarts = new ArrayList<>();
    final List<long[]> events = new ArrayList<>();
    HealthProbe.Health health = new HealthProbe.Health(false, false, false, 0);
    int batteryPct = 80;
    long freeBytes = 1L << 30;
    ModelSlot models = ModelSlot.NONE;
    String slot;

    SimulatedCollar(Path data, MutableClock clock, OtaFixture.MemoryFetcher fetcher, PublicKey key)
            throws IOException {
        this.data = data;
        this.slotsDir = data.resolve("slots");
        this.clock = clock;
        this.fetcher = fetcher;
        this.key = key;
        OtaFixture.writeSlot(slotsDir, "a", 5); // what the .deb installs
    }

    /** A process start: the launcher picks the slot, then the agent's engine starts on it. */
    SimulatedCollar boot() throws IOException {
        BootState.Start s = BootState.read(slotsDir).start(
                x -> Files.exists(slotsDir.resolve(x).resolve(FirmwareArtifact.MANIFEST)));
        if (!s.next().equals(BootState.read(slotsDir))) {
            s.next().write(slotsDir);
        }
        return startOn(s.slot());
    }

    /** A process start on {@code runningSlot} without the launcher (a development run, a broken unit). */
    SimulatedCollar startOn(String runningSlot) throws IOException {
        slot = runningSlot;
        slots = new DirectorySlots(slotsDir, slot);
        channel = new OtaFixture.RecordingChannel();
        health = new HealthProbe.Health(false, false, false, 0);
        download = new ResumableDownload(new ResumableDownload.Settings(data.resolve("ota/download"), fetcher, clock,
                OtaFixture.advancing(clock), () -> freeBytes, () -> "boot-1", 1 << 20, 1024, 64 * 1024, 3));
        engine = new UpdateEngine(new UpdateEngine.Parts(data.resolve("ota"), key, slots, models, download, channel,
                () -> health, (from, to, rolledBack) -> events.add(new long[] {from, to, rolledBack ? 1 : 0}),
                restarts::add, () -> batteryPct, () -> freeBytes, clock, () -> { }, (b, m) -> { }),
                new UpdateEngine.Settings(OtaFixture.seconds(600), OtaFixture.seconds(600), OtaFixture.seconds(60)));
        engine.start();
        return this;
    }

    /** Steps the engine until it has nothing due now. */
    void run() {
        for (int i = 0; i < 100; i++) {
            if (engine.step().isAfter(clock.instant())) {
                return;
            }
        }
    }
}
