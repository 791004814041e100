package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameBuilder;
import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.Outbox;
import com.pettysync.agent.outbox.OutboxEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shard store keeps the agent's outbox semantics, on a real SQLite file. */
class ShardOutboxStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T07:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static FrameBuilder payload(String text) {
        return (counter, ctx) -> (text + "#" + counter).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(OutboxEntry e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }

    private static long rowsInFile(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM frame")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aFrameIsCommittedToTheFileBeforeAppendReturns() throws Exception {
        Path file = dir.resolve("outboxes.db");
        try (ShardOutboxStore store = ShardOutboxStore.open(file, 100, CLOCK)) {
            Outbox a = store.open("collar-a");
            OutboxEntry e = a.append(FrameKind.TELEMETRY, payload("w"));
            // another connection (another process would see the same) finds the row already committed
            assertEquals(1, rowsInFile(file));
            assertEquals(0, e.counter());
            assertEquals("w#0", text(e));
            assertEquals(CLOCK.instant(), e.createdAt());
        }
    }

    @Test
    void acknowledgeDeletesTheFrameAndOnlyIt() throws Exception {
        Path file = dir.resolve("outboxes.db");
        try (ShardOutboxStore store = ShardOutboxStore.open(file, 100, CLOCK)) {
            Outbox a = store.open("collar-a");
            OutboxEntry first = a.append(FrameKind.TELEMETRY, payload("w"));
            OutboxEntry second = a.append(FrameKind.TELEMETRY, payload("w"));
            a.acknowledge(first.id());
            a.acknowledge(first.id()); // idempotent
            assertEquals(1, a.size());
            assertEquals(List.of(second.id()), ids(a.pendingAfter(0, 10)));
            assertEquals(second.id(), a.newestId());
            assertEquals(1, rowsInFile(file));
            a.acknowledgeAll(List.of(second.id(), 999_999L));
            assertEquals(0, a.size());
            assertEquals(0, a.newestId());
            assertEquals(0, rowsInFile(file));
        }
    }

    @Test
    void aRestartedCollarIsOfferedEveryUnacknowledgedFrameAndContinuesItsCounters() throws Exception {
        Path file = dir.resolve("outboxes.db");
        try (ShardOutboxStore store = ShardOutboxStore.open(file, 100, CLOCK)) {
            Outbox a = store.open("collar-a");
            List<Long> made = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                made.add(a.append(FrameKind.TELEMETRY, payload("w")).id());
            }
            OutboxEntry event = a.append(FrameKind.EVENT, payload("e"));
            a.acknowledge(made.get(1));
            a.close(); // killed: the collar's process dies with three telemetry frames and an event unacknowledged
            assertThrows(IllegalStateException.class, () -> a.append(FrameKind.TELEMETRY, payload("w")));

            Outbox again = store.open("collar-a");
            assertEquals(4, again.size());
            assertEquals(List.of(made.get(0), made.get(2), made.get(3), event.id()), ids(again.pendingAfter(0, 10)));
            assertEquals(List.of(event.id()), ids(again.pendingAfter(0, 10, FrameKind.EVENT)));
            OutboxEntry next = again.append(FrameKind.TELEMETRY, payload("w"));
            assertEquals(4, next.counter(), "seq continues after the restart, never repeats");
            assertTrue(next.id() > event.id(), "ids keep growing across the restart");
            assertEquals(1, again.append(FrameKind.EVENT, payload("e")).counter());
        }
    }

    @Test
    void aKilledShardProcessLosesNothingCommitted() throws Exception {
        Path file = dir.resolve("outboxes.db");
        ShardOutboxStore dying = ShardOutboxStore.open(file, 100, CLOCK);
        Outbox a = dying.open("collar-a");
        OutboxEntry kept = a.append(FrameKind.TELEMETRY, payload("w"));
        OutboxEntry acked = a.append(FrameKind.TELEMETRY, payload("w"));
        a.acknowledge(acked.id());
        // a new process opens the file while the old connection is still open and never checkpointed (kill -9)
        try (ShardOutboxStore next = ShardOutboxStore.open(file, 100, CLOCK)) {
            Outbox after = next.open("collar-a");
            List<OutboxEntry> pending = after.pendingAfter(0, 10);
            assertEquals(List.of(kept.id()), ids(pending));
            assertArrayEquals(kept.payload(), pending.get(0).payload());
            assertEquals(2, after.append(FrameKind.TELEMETRY, payload("w")).counter());
        } finally {
            dying.close();
        }
    }

    @Test
    void collarsSeeOnlyTheirOwnRowsAndCounters() throws Exception {
        try (ShardOutboxStore store = ShardOutboxStore.open(dir.resolve("outboxes.db"), 2, CLOCK)) {
            Outbox a = store.open("collar-a");
            Outbox b = store.open("collar-b");
            OutboxEntry a0 = a.append(FrameKind.TELEMETRY, payload("a"));
            OutboxEntry b0 = b.append(FrameKind.TELEMETRY, payload("b"));
            OutboxEntry a1 = a.append(FrameKind.TELEMETRY, payload("a"));
            assertEquals(0, b0.counter(), "each collar has its own seq");
            assertEquals(1, a1.counter());
            assertEquals(List.of(a0.id(), a1.id()), ids(a.pendingAfter(0, 10)));
            assertEquals(List.of(b0.id()), ids(b.pendingAfter(0, 10)));
            b.acknowledge(a0.id()); // another collar's id: nothing happens
            assertEquals(2, a.size());
            assertEquals(1, b.size());
            // a is full (capacity 2): its own oldest telemetry frame is dropped, never b's
            OutboxEntry a2 = a.append(FrameKind.TELEMETRY, payload("a"));
            assertEquals(List.of(a1.id(), a2.id()), ids(a.pendingAfter(0, 10)));
            assertEquals(List.of(b0.id()), ids(b.pendingAfter(0, 10)));
            assertEquals(1, a.health().droppedTotal());
            assertEquals(0, b.health().droppedTotal());
            assertEquals(b0.id(), b.newestId());
        }
    }

    @Test
    void aFullOutboxDropsTheOldestTelemetryFirstAndMarksTheNextTelemetryFrame() throws Exception {
        try (ShardOutboxStore store = ShardOutboxStore.open(dir.resolve("outboxes.db"), 2, CLOCK)) {
            Outbox a = store.open("collar-a");
            List<FrameBuilder.Context> contexts = new ArrayList<>();
            FrameBuilder recording = (counter, ctx) -> {
                contexts.add(ctx);
                return new byte[] {(byte) counter};
            };
            OutboxEntry event = a.append(FrameKind.EVENT, recording);
            a.append(FrameKind.TELEMETRY, recording);
            OutboxEntry e2 = a.append(FrameKind.EVENT, recording); // full: the telemetry frame goes, not the event
            assertEquals(List.of(event.id(), e2.id()), ids(a.pendingAfter(0, 10)));
            assertTrue(contexts.get(2).outboxDropped());
            OutboxEntry t = a.append(FrameKind.TELEMETRY, recording); // no telemetry left: the oldest event goes
            assertTrue(contexts.get(3).outboxDropped(), "the next telemetry frame carries the mark");
            assertEquals(1, contexts.get(3).backlog());
            a.acknowledge(e2.id());
            OutboxEntry t2 = a.append(FrameKind.TELEMETRY, recording); // room again: nothing dropped
            assertFalse(contexts.get(4).outboxDropped(), "the mark is cleared once a telemetry frame carried it");
            assertEquals(List.of(t.id(), t2.id()), ids(a.pendingAfter(0, 10)));
            assertEquals(2, a.health().droppedTotal());
        }
    }

    @Test
    void aBuilderThatThrowsLeavesTheOutboxUnchanged() throws Exception {
        Path file = dir.resolve("outboxes.db");
        try (ShardOutboxStore store = ShardOutboxStore.open(file, 100, CLOCK)) {
            Outbox a = store.open("collar-a");
            a.append(FrameKind.TELEMETRY, payload("w"));
            assertThrows(IllegalArgumentException.class, () -> a.append(FrameKind.TELEMETRY, (c, ctx) -> {
                throw new IllegalArgumentException("window not encodable");
            }));
            assertEquals(1, a.size());
            assertEquals(1, rowsInFile(file));
            assertEquals(1, a.append(FrameKind.TELEMETRY, payload("w")).counter(), "no counter was consumed");
        }
    }

    private static List<Long> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::id).toList();
    }
}
