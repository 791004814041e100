package com.pettysync.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountersTest {
    @TempDir
    Path dir;

    /** Hands out {@code n} counters of {@code kind} as an append does; returns the last. */
    static long handOut(Counters c, FrameKind kind, int n) {
        long last = -1;
        for (int i = 0; i < n; i++) {
            last = c.reserveNext(kind);
            c.advance(kind, last);
        }
        return last;
    }

    @Test
    void aNewDatabaseAfterARestartContinuesAboveEveryValueHandedOut() throws IOException {
        Counters first = Counters.readReserve(dir);
        first.load(Map.of()); // first start: no database rows, no reservation
        assertEquals(4, handOut(first, FrameKind.TELEMETRY, 5));
        assertEquals(1, first.allocateClip());
        assertTrue(Files.readString(dir.resolve(OutboxStore.RESERVE_FILE)).contains("seq=" + Counters.RESERVE_BLOCK));

        Counters restarted = Counters.readReserve(dir);
        restarted.load(Map.of()); // the database was lost: only the reservation is left
        assertEquals(Counters.RESERVE_BLOCK, restarted.reserveNext(FrameKind.TELEMETRY));
        assertEquals(0, restarted.reserveNext(FrameKind.EVENT), "no eseq was handed out");
        assertEquals(Counters.RESERVE_BLOCK + 1, restarted.allocateClip());
    }

    @Test
    void aRunningProcessContinuesFromItsOwnCountersInANewDatabase() {
        Counters c = Counters.readReserve(dir);
        c.load(Map.of(OutboxDatabase.SEQ, 40L, OutboxDatabase.ESEQ, 7L));
        assertEquals(41, handOut(c, FrameKind.TELEMETRY, 2));
        c.load(Map.of()); // corrupt database moved aside, a new one started: no gap needed
        assertEquals(42, c.reserveNext(FrameKind.TELEMETRY));
        assertEquals(7, c.reserveNext(FrameKind.EVENT));
    }

    @Test
    void aDatabaseBelowTheCountersInMemoryNeverMovesThemBack() {
        Counters c = Counters.readReserve(dir);
        c.load(Map.of(OutboxDatabase.SEQ, 100L));
        c.load(Map.of(OutboxDatabase.SEQ, 3L));
        assertEquals(100, c.reserveNext(FrameKind.TELEMETRY));
    }

    @Test
    void anUnreadableReservationCountsAsNoneAndIsReplacedOnTheNextRaise() throws IOException {
        Files.writeString(dir.resolve(OutboxStore.RESERVE_FILE), "seq=lots\n");
        Counters c = Counters.readReserve(dir);
        c.load(Map.of(OutboxDatabase.SEQ, 7L));
        assertEquals(7, c.reserveNext(FrameKind.TELEMETRY));
        String reserve = Files.readString(dir.resolve(OutboxStore.RESERVE_FILE));
        assertTrue(reserve.contains("seq=" + (7 + Counters.RESERVE_BLOCK)), reserve);
    }

    @Test
    void withoutAWritableReservationFramesGoOnButNoClipIdIsHandedOut() throws IOException {
        Path missing = dir.resolve("not-yet");
        Counters c = Counters.readReserve(missing);
        c.load(Map.of());
        assertEquals(0, c.reserveNext(FrameKind.TELEMETRY), "a frame counter is used anyway");
        assertEquals(0, c.allocateClip(), "0 = no clip");
        Files.createDirectories(missing);
        assertEquals(1, c.allocateClip());
        assertEquals(2, c.allocateClip());
    }

    @Test
    void aCounterPastThirtyTwoBitsIsRefused() {
        Counters c = Counters.readReserve(dir);
        c.load(Map.of(OutboxDatabase.ESEQ, Counters.MAX_COUNTER + 1));
        assertThrows(IllegalStateException.class, () -> c.reserveNext(FrameKind.EVENT));
        c.load(Map.of(OutboxDatabase.CLIP, Counters.MAX_COUNTER + 1));
        assertEquals(0, c.allocateClip());
    }
}
