package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.uplink.UplinkLoop;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own outbox and uplink (device-agent), over {@link HiveMqBrokerSession}, against the local IoT Core,
 * through a broker restart: every frame is stored exactly once after de-duplication, none is missing. A small
 * fleet here; the 1,000-collar run with offline periods is the fleet simulator's (next step).
 */
class AgentUplinkEndToEndTest {
    private static final int COLLARS = 20;
    private static final int FRAMES_BEFORE = 10;
    private static final int FRAMES_AFTER = 10;

    @TempDir
    Path dir;

    @Test
    void noFrameIsLostOrStoredTwiceAcrossABrokerRestart() throws Exception {
        Clock clock = Clock.systemUTC();
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).build().start()) {
            List<OutboxStore> outboxes = new ArrayList<>();
            List<UplinkLoop> loops = new ArrayList<>();
            try {
                for (int i = 0; i < COLLARS; i++) {
                    String thing = String.format("collar-e2e-%03d", i);
                    var credential = cloud.issueCollar(thing);
                    var options = new HiveMqBrokerSession.Options(cloud.endpoint(), cloud.port(), thing,
                            credential.keyManagerFactory(), cloud.certificateAuthority().trustManagerFactory(),
                            Duration.ofSeconds(60), Duration.ofSeconds(20), null);
                    OutboxStore outbox = OutboxStore.open(dir.resolve(thing), OutboxStore.Options.withCapacity(1000),
                            clock);
                    Uplink uplink = new Uplink(outbox, () -> new HiveMqBrokerSession(options),
                            e -> "pettysync/v1/" + thing + (e.kind() == FrameKind.TELEMETRY ? "/telemetry" : "/events"),
                            Uplink.Settings.of(5, 100, Duration.ofMillis(200), Duration.ofSeconds(2)), clock,
                            new Random(i), null);
                    outboxes.add(outbox);
                    loops.add(new UplinkLoop(uplink, clock).start());
                }
                append(outboxes, loops, FRAMES_BEFORE);
                await(() -> outboxes.stream().allMatch(o -> o.size() == 0), "first frames acknowledged");

                cloud.stopBroker();
                append(outboxes, loops, FRAMES_AFTER);   // written while the broker is down: kept in the outboxes
                assertTrue(outboxes.stream().allMatch(o -> o.size() == FRAMES_AFTER));
                cloud.start();
                await(() -> outboxes.stream().allMatch(o -> o.size() == 0), "backlog drained after the restart");
            } finally {
                loops.forEach(UplinkLoop::close);
                outboxes.forEach(OutboxStore::close);
            }
            long duplicates = 0;
            for (int i = 0; i < COLLARS; i++) {
                CollarCounts c = cloud.sink().counts(String.format("collar-e2e-%03d", i));
                assertEquals(FRAMES_BEFORE + FRAMES_AFTER, c.telemetryStored(), c.toString());
                assertEquals(0, c.missingTelemetry(), c.toString());
                assertEquals(0, c.invalid(), c.toString());
                duplicates += c.duplicates();
            }
            System.out.println("agent uplink e2e: " + COLLARS * (FRAMES_BEFORE + FRAMES_AFTER) + " frames stored, "
                    + duplicates + " duplicates dropped by the sink");
        }
    }

    private static void append(List<OutboxStore> outboxes, List<UplinkLoop> loops, int frames) {
        long t0 = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < outboxes.size(); i++) {
            for (int f = 0; f < frames; f++) {
                outboxes.get(i).append(FrameKind.TELEMETRY, (seq, ctx) ->
                        TelemetryFrameCodec.encode(TelemetrySummary.of(seq, t0 + seq * 300, 300)));
            }
            loops.get(i).wake();
        }
    }

    /** Waits for a condition; the deadline is only a safety net. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            synchronized (monitor) {
                monitor.wait(50);
            }
        }
    }
}
