package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.raw.RawSpool;
import com.pettysync.agent.recovery.CardExport;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.uplink.UplinkLoop;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.DataTopic;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.ingest.BundleImport;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import com.pettysync.simulator.cloud.ingest.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collar that published part of its backlog to the local IoT Core and was then cut off: its card is exported
 * ({@code agent export}, taken from the running collar, frames in the WAL) and imported ({@code cloud import}) a day
 * later. Every frame, event, clip part and raw chunk is stored exactly once, and the recovered ones carry the
 * import time as their arrival (late in the daily report).
 */
class RecoveryEndToEndTest {
    static final String THING = "collar-recovery-1";
    static final int TELEMETRY = 40;
    static final int EVENTS = 3;

    @TempDir
    Path dir;

    /** The system clock, moved on by the test (the cloud's arrival times). */
    static final class ShiftedClock extends Clock {
        volatile Duration shift = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aCutOffCollarsCardIsImportedExactlyOnce() throws Exception {
        ShiftedClock cloudClock = new ShiftedClock();
        Clock clock = Clock.systemUTC();
        long t0 = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond();
        Path collarDir = dir.resolve(THING);
        Path card = dir.resolve("card");
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).clock(cloudClock).build()
                .start()) {
            var credential = cloud.issueCollar(THING);
            var options = new HiveMqBrokerSession.Options(cloud.endpoint(), cloud.port(), THING,
                    credential.keyManagerFactory(), cloud.certificateAuthority().trustManagerFactory(),
                    Duration.ofSeconds(60), Duration.ofSeconds(20), null);
            try (OutboxStore outbox = OutboxStore.open(collarDir, OutboxStore.Options.withCapacity(1000), clock)) {
                for (int i = 0; i < TELEMETRY; i++) {
                    outbox.append(FrameKind.TELEMETRY, (seq, ctx) ->
                            TelemetryFrameCodec.encode(TelemetrySummary.of(seq, t0 + seq * 300, 300)));
                    if (i % 15 == 0) {
                        outbox.append(FrameKind.EVENT, (eseq, ctx) -> EventFrameCodec.encode(
                                new EventFrame(eseq, t0 + 5, EventType.LOW_BATTERY, java.util.List.of(9L))));
                    }
                }
                VoiceClips clips = VoiceClips.open(collarDir, outbox, VoiceClips.DEFAULT_QUOTA_BYTES, clock);
                clips.store(t0 * 1000, 0, 90, new short[160_000]);
                RawSpool spool = RawSpool.open(collarDir, RawSpool.DEFAULT_QUOTA_BYTES);
                for (int c = 0; c < 3; c++) {
                    spool.store(new RawChunk(t0, c, RawSensor.PPG, t0 * 1000 + c * 10_000L, 100,
                            RawSensor.PPG.format(), new byte[6000]));
                }
                Files.writeString(collarDir.resolve("status.json"), "{\"thing\":\"" + THING + "\"}");

                ThingName thing = ThingName.of(THING);
                java.util.function.Supplier<Uplink> uplinks = () -> {
                    Uplink u = new Uplink(outbox, () -> new HiveMqBrokerSession(options),
                            e -> e.kind() == FrameKind.TELEMETRY ? new DataTopic(thing, DataStream.TELEMETRY).name()
                                    : TopicScheme.events(thing).name(),
                            Uplink.Settings.of(5, 10, Duration.ofMillis(200), Duration.ofSeconds(2)), clock,
                            new Random(1), null);
                    u.setVoice(clips, TopicScheme.voice(thing).name());
                    u.setRaw(spool, TopicScheme.raw(thing).name(), fresh -> null, "unused");
                    return u;
                };
                long phase = System.nanoTime();
                UplinkLoop loop = new UplinkLoop(uplinks.get(), clock).start();
                try {
                    await(() -> outbox.size() <= 35, "the first frames acknowledged");
                } finally {
                    loop.close(Duration.ofSeconds(2));
                }
                // The card as it was at this moment stands in for acknowledgements the collar never committed
                // (PUBACKs lost when the link died): frames delivered after it are still on the card.
                copyTree(collarDir, card);
                loop = new UplinkLoop(uplinks.get(), clock).start();
                try {
                    await(() -> outbox.size() <= 25, "more of the backlog acknowledged");
                    cloud.stopBroker(); // the radio dies
                } finally {
                    loop.close(Duration.ofSeconds(2));
                }
                System.out.printf("recovery test: uplink phases %d ms%n", (System.nanoTime() - phase) / 1_000_000);
                assertTrue(outbox.size() > 0);
            }
            long liveTelemetry = cloud.sink().counts(THING).telemetryStored();
            assertTrue(liveTelemetry > 0 && liveTelemetry < TELEMETRY, "live: " + liveTelemetry);

            Path bundle = dir.resolve("collar.bundle");
            CardExport.Result exported = CardExport.run(card, bundle, Optional.empty(), clock);
            cloudClock.shift = Duration.ofDays(1); // imported the next day
            Instant importedAt = cloudClock.instant();
            BundleImport.Result imported = BundleImport.run(cloud.sink(), bundle);

            CollarCounts c = cloud.sink().counts(THING);
            assertEquals(TELEMETRY, c.telemetryStored(), c.toString());
            assertEquals(EVENTS, c.eventsStored(), c.toString());
            assertEquals(3, c.voicePartsStored(), c.toString());
            assertEquals(3, cloud.sink().rawChunksStored(THING));
            assertEquals(0, c.missingTelemetry());
            assertEquals(0, c.invalid());
            assertEquals(0, cloud.sink().duplicateRows(), "exactly once");
            long exportedTelemetry = exported.manifest().counts().get(DataStream.TELEMETRY);
            assertEquals(exportedTelemetry, imported.stored().get(Stream.TELEMETRY)
                    + imported.duplicates().get(Stream.TELEMETRY));
            assertEquals(TELEMETRY - liveTelemetry, imported.stored().get(Stream.TELEMETRY));
            assertTrue(imported.duplicates().get(Stream.TELEMETRY) > 0,
                    "frames that had arrived were not stored again");
            assertEquals(imported.stored().get(Stream.TELEMETRY), lateTelemetry(dir.resolve("cloud/frames.db"),
                    importedAt), "recovered frames arrive at the import time");

            BundleImport.Result again = BundleImport.run(cloud.sink(), bundle);
            assertEquals(0, again.totalStored(), "a second import of the same card stores nothing");
            System.out.printf("recovery: %d of %d frames arrived live, %d exported, %d stored by the import, %d "
                    + "already there%n", liveTelemetry, TELEMETRY, exportedTelemetry,
                    imported.stored().get(Stream.TELEMETRY), imported.duplicates().get(Stream.TELEMETRY));
        }
    }

    private static long lateTelemetry(Path db, Instant since) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement q = c.prepareStatement(
                        "SELECT COUNT(*) FROM telemetry WHERE thing = ? AND received_at >= ?")) {
            q.setString(1, THING);
            q.setLong(2, since.toEpochMilli());
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** Waits for a condition; the deadline is only a safety net. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            synchronized (monitor) {
                monitor.wait(5);
            }
        }
    }
}
