package com.pettysync.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryFallbackTest {
    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    /** The contexts {@link #recording} was built with. */
    final List<FrameBuilder.Context> contexts = new ArrayList<>();
    final FrameBuilder recording = (counter, ctx) -> {
        contexts.add(ctx);
        return new byte[] {(byte) counter};
    };

    static List<Long> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::id).toList();
    }

    @Test
    void fullMemoryDropsOldestTelemetryFirstAndABuilderFailureChangesNothing() {
        MemoryFallback m = new MemoryFallback(3, clock);
        m.append(FrameKind.EVENT, 0, 1, false, recording);
        m.append(FrameKind.TELEMETRY, 0, 2, false, recording);
        m.append(FrameKind.TELEMETRY, 1, 3, false, recording);
        assertThrows(IllegalStateException.class, () -> m.append(FrameKind.EVENT, 1, 4, false, (c, ctx) -> {
            throw new IllegalStateException("encoder refused");
        }));
        assertEquals(List.of(1L, 2L, 3L), ids(m.pendingAfter(0, 10, null)));

        contexts.clear();
        MemoryFallback.Appended a = m.append(FrameKind.EVENT, 1, 4, false, recording);
        assertEquals(1, a.dropped());
        assertEquals(List.of(1L, 3L, 4L), ids(m.pendingAfter(0, 10, null)));
        assertTrue(contexts.get(0).outboxDropped());
        assertEquals(2, contexts.get(0).backlog());
        m.append(FrameKind.TELEMETRY, 2, 5, false, recording);
        m.append(FrameKind.TELEMETRY, 3, 6, false, recording);
        assertEquals(List.of(1L, 4L, 6L), ids(m.pendingAfter(0, 10, null)), "events only when no telemetry is left");
        assertEquals(List.of(4L), ids(m.pendingAfter(1, 10, FrameKind.EVENT)));
        assertEquals(6, m.newestId());
    }

    @Test
    void writeBackDeletesWhatWasRemovedKeepsIdsAndAppliesTheCapacity() throws SQLException {
        Connection db = OutboxDatabase.open(dir.resolve(OutboxStore.DB_FILE), 0);
        try {
            long t0 = OutboxDatabase.insertFrame(db, FrameKind.TELEMETRY, 0, clock.instant(), new byte[] {0});
            long e0 = OutboxDatabase.insertFrame(db, FrameKind.EVENT, 0, clock.instant(), new byte[] {1});
            MemoryFallback m = new MemoryFallback(3, clock);
            assertEquals(e0, m.holdAll(db));
            m.remove(t0); // acknowledged while degraded
            m.append(FrameKind.TELEMETRY, 1, 1000, false, recording);
            m.append(FrameKind.TELEMETRY, 2, 1001, false, recording);
            // a frame in the file that memory never saw (unreadable when the store degraded)
            long t3 = OutboxDatabase.insertFrame(db, FrameKind.TELEMETRY, 3, clock.instant(), new byte[] {3});

            int dropped = OutboxDatabase.inTransaction(db, () -> m.writeBack(db));

            assertEquals(1, dropped, "4 frames for a capacity of 3: the oldest telemetry goes");
            assertEquals(List.of(e0, 1000L, 1001L), ids(OutboxDatabase.pendingAfter(db, 0, 10, null)));
            assertTrue(t3 < 1000);
        } finally {
            OutboxDatabase.closeQuietly(db);
        }
    }
}
