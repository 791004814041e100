package com.pettysync.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxStoreTest {
    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    final List<FrameBuilder.Context> contexts = new ArrayList<>();

    /** A stand-in frame: "T<seq>" or "E<eseq>" (the outbox does not look inside payloads). */
    FrameBuilder frame(String prefix) {
        return (counter, ctx) -> {
            contexts.add(ctx);
            return (prefix + counter).getBytes(StandardCharsets.US_ASCII);
        };
    }

    static List<String> payloads(List<OutboxEntry> entries) {
        return entries.stream().map(e -> new String(e.payload(), StandardCharsets.US_ASCII)).toList();
    }

    OutboxStore open(int capacity) {
        return OutboxStore.open(dir, OutboxStore.Options.withCapacity(capacity), clock);
    }

    @Test
    void resendsUnackedFramesAfterRestartAndCountersContinue() {
        try (OutboxStore s = open(100)) {
            OutboxEntry t0 = s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.EVENT, frame("E"));
            s.append(FrameKind.TELEMETRY, frame("T"));
            assertEquals(0, t0.counter());
            s.acknowledge(t0.id());
            assertTrue(s.health().durable());
        }
        try (OutboxStore s = open(100)) {
            assertEquals(List.of("E0", "T1"), payloads(s.pendingAfter(0, 10)));
            s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.EVENT, frame("E"));
            assertEquals(List.of("E0", "T1", "T2", "E1"), payloads(s.pendingAfter(0, 10)));
        }
    }

    @Test
    void pendingIsOldestFirstFromACursor() {
        try (OutboxStore s = open(100)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(s.append(FrameKind.TELEMETRY, frame("T")).id());
            }
            assertEquals(List.of("T2", "T3"), payloads(s.pendingAfter(ids.get(1), 2)));
            s.acknowledge(ids.get(2));
            s.acknowledge(ids.get(2)); // idempotent
            assertEquals(List.of("T3", "T4"), payloads(s.pendingAfter(ids.get(1), 10)));
            assertEquals(4, s.size());
        }
    }

    @Test
    void aBatchOfPubacksRemovesExactlyThoseFramesAndSurvivesARestart() {
        List<Long> ids = new ArrayList<>();
        try (OutboxStore s = open(100)) {
            for (int i = 0; i < 6; i++) {
                ids.add(s.append(FrameKind.TELEMETRY, frame("T")).id());
            }
            s.acknowledgeAll(List.of(ids.get(0), ids.get(2), ids.get(3), ids.get(3), 999_999L)); // dup + unknown
            assertEquals(List.of("T1", "T4", "T5"), payloads(s.pendingAfter(0, 10)));
            s.acknowledgeAll(List.of());
            s.acknowledgeAll(List.of(ids.get(5)));
            assertEquals(2, s.size());
        }
        try (OutboxStore s = open(100)) {
            assertEquals(List.of("T1", "T4"), payloads(s.pendingAfter(0, 10)), "committed, not just in memory");
        }
    }

    @Test
    void backlogInContextCountsFramesWaiting() {
        try (OutboxStore s = open(100)) {
            s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.EVENT, frame("E"));
            s.append(FrameKind.TELEMETRY, frame("T"));
            assertEquals(List.of(0, 1, 2), contexts.stream().map(FrameBuilder.Context::backlog).toList());
        }
    }

    @Test
    void failingBuilderConsumesNoCounterAndDropsNothing() {
        try (OutboxStore s = open(2)) {
            s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.TELEMETRY, frame("T"));
            assertThrows(IllegalArgumentException.class, () -> s.append(FrameKind.TELEMETRY, (c, ctx) -> {
                throw new IllegalArgumentException("encoder refused");
            }));
            assertEquals(List.of("T0", "T1"), payloads(s.pendingAfter(0, 10)));
            assertEquals(0, s.health().droppedTotal());
            OutboxEntry next = s.append(FrameKind.EVENT, frame("E"));
            assertEquals(0, next.counter());
        }
    }

    @Test
    void fullOutboxDropsOldestTelemetryFirstEventsLastAndFlagsTheNextTelemetryFrame() {
        try (OutboxStore s = open(3)) {
            s.append(FrameKind.EVENT, frame("E"));
            s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.TELEMETRY, frame("T"));
            contexts.clear();
            s.append(FrameKind.EVENT, frame("E")); // full: drops T0, the event cannot carry the flag
            assertEquals(List.of("E0", "T1", "E1"), payloads(s.pendingAfter(0, 10)));
            s.append(FrameKind.TELEMETRY, frame("T")); // full again: drops T1; this frame carries the flag
            assertEquals(List.of("E0", "E1", "T2"), payloads(s.pendingAfter(0, 10)));
            s.append(FrameKind.TELEMETRY, frame("T")); // drops T2 (telemetry before events)
            assertEquals(List.of("E0", "E1", "T3"), payloads(s.pendingAfter(0, 10)));
            assertEquals(List.of(true, true, true), contexts.stream().map(FrameBuilder.Context::outboxDropped).toList());
            assertEquals(3, s.health().droppedTotal());
            s.acknowledge(s.pendingAfter(0, 1).get(0).id());
            contexts.clear();
            s.append(FrameKind.TELEMETRY, frame("T")); // room again: no drop, no flag
            assertEquals(List.of(false), contexts.stream().map(FrameBuilder.Context::outboxDropped).toList());
        }
    }

    @Test
    void onlyEventsLeftThenTheOldestEventGoes() {
        try (OutboxStore s = open(2)) {
            s.append(FrameKind.EVENT, frame("E"));
            s.append(FrameKind.EVENT, frame("E"));
            s.append(FrameKind.EVENT, frame("E"));
            assertEquals(List.of("E1", "E2"), payloads(s.pendingAfter(0, 10)));
        }
    }

    @Test
    void droppedMarkSurvivesRestartUntilATelemetryFrameCarriesIt() {
        try (OutboxStore s = open(1)) {
            s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.EVENT, frame("E")); // drops T0; mark pending
        }
        contexts.clear();
        try (OutboxStore s = open(10)) {
            s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.TELEMETRY, frame("T"));
        }
        assertEquals(List.of(true, false), contexts.stream().map(FrameBuilder.Context::outboxDropped).toList());
    }

    @Test
    void defaultCapacityHoldsThirtyDaysOfFramesOnRealSqlite() {
        // 8,640 frames = 30 days of 300 s windows, each 182 bytes, no drop
        try (OutboxStore s = open(8640)) {
            byte[] payload = new byte[182];
            for (int i = 0; i < 8640; i++) {
                s.append(FrameKind.TELEMETRY, (c, ctx) -> payload);
            }
            assertEquals(8640, s.size());
            assertEquals(0, s.health().droppedTotal());
            s.append(FrameKind.TELEMETRY, (c, ctx) -> payload);
            assertEquals(8640, s.size());
            assertEquals(1, s.health().droppedTotal());
        }
    }

    @Test
    void corruptDatabaseIsMovedAsideAndCountersDoNotRepeat() throws IOException {
        try (OutboxStore s = open(100)) {
            for (int i = 0; i < 5; i++) {
                s.append(FrameKind.TELEMETRY, frame("T"));
            }
        }
        Path db = dir.resolve(OutboxStore.DB_FILE);
        byte[] garbage = new byte[8192];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(db, garbage);
        try (OutboxStore s = open(100)) {
            OutboxHealth h = s.health();
            assertTrue(h.durable());
            assertNotNull(h.movedAside());
            assertTrue(Files.exists(h.movedAside()), "corrupt file kept for inspection");
            assertArrayEquals(garbage, Files.readAllBytes(h.movedAside()));
            assertTrue(h.fault().contains("corrupt"), h.fault());
            assertEquals(0, s.size());
            OutboxEntry next = s.append(FrameKind.TELEMETRY, frame("T"));
            assertTrue(next.counter() >= 5, "seq " + next.counter() + " would repeat a sent one");
        }
        try (OutboxStore s = open(100)) {
            assertEquals(1, s.size(), "the new database is durable");
            assertNull(s.health().movedAside());
        }
    }

    @Test
    void fullDiskDegradesToMemoryAndRecoversToDisk() {
        // max_page_count is SQLite's own quota: reaching it fails writes with SQLITE_FULL, as a full disk does
        OutboxStore.Options quota = new OutboxStore.Options(1000, Duration.ofSeconds(60), 12);
        byte[] big = new byte[3000];
        List<Long> ids = new ArrayList<>();
        try (OutboxStore s = OutboxStore.open(dir, quota, clock)) {
            for (int i = 0; i < 30; i++) {
                ids.add(s.append(FrameKind.TELEMETRY, (c, ctx) -> big).id());
            }
            OutboxHealth h = s.health();
            assertFalse(h.durable(), "quota must have been hit");
            assertTrue(h.fault().contains("SQLITE_FULL"), h.fault());
            assertEquals(30, s.size(), "nothing lost while degraded");
            assertEquals(ids, s.pendingAfter(0, 100).stream().map(OutboxEntry::id).toList());
            // the uplink catches up while degraded: acknowledged frames leave memory
            for (int i = 0; i < 28; i++) {
                s.acknowledge(ids.get(i));
            }
            long gen = s.generation();
            clock.advance(Duration.ofSeconds(61));
            List<OutboxEntry> left = s.pendingAfter(0, 100);
            assertTrue(s.health().durable(), "recovered: " + s.health().fault());
            assertTrue(s.generation() > gen);
            assertEquals(ids.subList(28, 30), left.stream().map(OutboxEntry::id).toList());
            assertEquals(0, s.append(FrameKind.EVENT, frame("E")).counter());
        }
        try (OutboxStore s = OutboxStore.open(dir, quota, clock)) {
            assertEquals(3, s.size(), "written back to disk");
            assertEquals(30, s.append(FrameKind.TELEMETRY, frame("T")).counter());
        }
    }

    @Test
    void unusableDataDirectoryDegradesToMemoryAndMigratesWhenItAppears() throws IOException {
        Path blocker = dir.resolve("mnt");
        Files.writeString(blocker, "not a directory");
        Path data = blocker.resolve("data");
        try (OutboxStore s = OutboxStore.open(data, OutboxStore.Options.withCapacity(100), clock)) {
            assertFalse(s.health().durable());
            OutboxEntry a = s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.TELEMETRY, frame("T"));
            s.append(FrameKind.EVENT, frame("E"));
            s.acknowledge(a.id());
            assertEquals(List.of("T1", "E0"), payloads(s.pendingAfter(0, 10)));
            // the storage comes back (the card is remounted)
            Files.delete(blocker);
            Files.createDirectories(data);
            clock.advance(Duration.ofSeconds(30));
            s.append(FrameKind.TELEMETRY, frame("T"));
            assertFalse(s.health().durable(), "no retry before retryEvery");
            clock.advance(Duration.ofSeconds(31));
            assertEquals(List.of("T1", "E0", "T2"), payloads(s.pendingAfter(0, 10)));
            assertTrue(s.health().durable());
        }
        try (OutboxStore s = OutboxStore.open(data, OutboxStore.Options.withCapacity(100), clock)) {
            assertEquals(List.of("T1", "E0", "T2"), payloads(s.pendingAfter(0, 10)));
            assertEquals(3, s.append(FrameKind.TELEMETRY, frame("T")).counter());
        }
    }

    @Test
    void reservationFileIsWrittenOncePerBlockNotPerFrame() throws IOException {
        try (OutboxStore s = open(10_000)) {
            s.append(FrameKind.TELEMETRY, frame("T"));
            Path reserve = dir.resolve(OutboxStore.RESERVE_FILE);
            String first = Files.readString(reserve);
            assertTrue(first.contains("seq=" + Counters.RESERVE_BLOCK), first);
            for (int i = 1; i < Counters.RESERVE_BLOCK; i++) {
                s.append(FrameKind.TELEMETRY, (c, ctx) -> new byte[1]);
            }
            assertEquals(first, Files.readString(reserve));
            s.append(FrameKind.TELEMETRY, (c, ctx) -> new byte[1]);
            assertTrue(Files.readString(reserve).contains("seq=" + 2 * Counters.RESERVE_BLOCK));
        }
    }
}
