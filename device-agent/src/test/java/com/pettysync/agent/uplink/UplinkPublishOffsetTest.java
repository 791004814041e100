package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.contract.telemetry.PublishOffset;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contract §8's publish offset on the uplink, driven by a manual clock. */
class UplinkPublishOffsetTest {
    /** 2026-01-01T00:00:00Z, a 300 s boundary. */
    static final Instant BOUNDARY = Instant.parse("2026-01-01T00:00:00Z");
    static final long T0 = BOUNDARY.getEpochSecond() - 300;
    /** CRC-32 0xA819BA96 mod 60 = 34 (zlib.crc32, see PublishOffsetTest). */
    static final String THING_34 = "collar-PS0042";
    /** CRC-32 0x557C2E28 mod 60 = 40. */
    static final String THING_40 = "collar-PS0001";

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(BOUNDARY);

    final class Collar implements AutoCloseable {
        final FakeBroker broker = new FakeBroker();
        final OutboxStore outbox;
        Uplink uplink;

        Collar(String thing) {
            outbox = OutboxStore.open(dir.resolve(thing), OutboxStore.Options.withCapacity(100), clock);
            uplink = start(thing);
        }

        Uplink start(String thing) {
            Uplink u = new Uplink(outbox, broker, e -> e.kind() == FrameKind.TELEMETRY ? "t" : "e",
                    Uplink.Settings.of(10, 10, Duration.ofSeconds(1), Duration.ofSeconds(60)), clock,
                    new SplittableRandom(7), null);
            u.setTelemetryRelease(TelemetryRelease.forThing(thing));
            return u;
        }

        OutboxEntry window(long t0) {
            return outbox.append(FrameKind.TELEMETRY,
                    (seq, ctx) -> TelemetryFrameCodec.encode(TelemetrySummary.of(seq, t0, 300)));
        }

        OutboxEntry event() {
            return outbox.append(FrameKind.EVENT, (c, ctx) -> ("E" + c).getBytes(StandardCharsets.US_ASCII));
        }

        List<String> topics() {
            return broker.allPublishes().stream().map(FakeBroker.Publish::topic).toList();
        }

        @Override
        public void close() {
            uplink.stop();
            outbox.close();
        }
    }

    void at(long secondsAfterBoundary) {
        clock.set(BOUNDARY.plusSeconds(secondsAfterBoundary));
    }

    @Test
    void theFrameIsCommittedAtWindowEndButPublishedOnlyAtItsOffset() {
        assertEquals(34, PublishOffset.seconds(THING_34, 300));
        try (Collar c = new Collar(THING_34)) {
            c.window(T0); // committed at the window's end: durable now
            assertEquals(BOUNDARY.plusSeconds(34), c.uplink.tick(),
                    "with no voice or raw lane to poll it sleeps until t0 + dur + o");
            assertTrue(c.uplink.connected());
            assertEquals(List.of(), c.topics());
            assertEquals(1, c.outbox.size(), "held in the outbox, not lost");
            clock.set(BOUNDARY.plusMillis(33_300));
            assertEquals(BOUNDARY.plusSeconds(34), c.uplink.tick(), "asks to run again exactly at t0 + dur + o");
            assertEquals(List.of(), c.topics(), "0.7 s before its time");
            at(34);
            c.uplink.tick();
            assertEquals(List.of("t"), c.topics(), "at t0 + dur + o");
            TelemetrySummary sent = TelemetryFrameCodec.decode(c.broker.allPublishes().get(0).payload());
            assertEquals(T0, sent.t0(), "content unchanged");
            assertEquals(300, sent.dur());
        }
    }

    @Test
    void anEventInTheSamePeriodGoesAtOnce() {
        try (Collar c = new Collar(THING_34)) {
            c.window(T0);
            c.uplink.tick();
            at(5);
            c.event();
            c.uplink.tick();
            assertEquals(List.of("e"), c.topics(), "the event is not held behind the telemetry frame");
            at(34);
            c.uplink.tick();
            assertEquals(List.of("e", "t"), c.topics());
        }
    }

    @Test
    void twoThingsWithDifferentOffsetsPublishAtDifferentSeconds() {
        try (Collar a = new Collar(THING_34); Collar b = new Collar(THING_40)) {
            a.window(T0);
            b.window(T0);
            for (int s = 0; s <= 45; s++) {
                at(s);
                a.uplink.tick();
                b.uplink.tick();
                assertEquals(s >= 34 ? 1 : 0, a.broker.allPublishes().size(), "collar 34 at +" + s);
                assertEquals(s >= 40 ? 1 : 0, b.broker.allPublishes().size(), "collar 40 at +" + s);
            }
        }
    }

    @Test
    void laterWindowsWaitBehindTheHeldFrameAndBacklogWhoseTimeHasPassedGoesAtOnce() {
        try (Collar c = new Collar(THING_34)) {
            c.window(T0 - 600);
            c.window(T0 - 300); // two old windows (an outage), and the one that just closed
            c.window(T0);
            c.uplink.tick();
            at(1);
            c.uplink.tick();
            assertEquals(List.of("t", "t"), c.topics(), "the backlog goes at once, paced by the token bucket");
            at(2);
            c.uplink.tick();
            assertEquals(2, c.broker.allPublishes().size(), "the new window waits for its offset");
            at(34);
            c.uplink.tick();
            assertEquals(3, c.broker.allPublishes().size());
        }
    }

    @Test
    void afterARestartAFrameWhoseTimeHasPassedGoesAtOnce() {
        try (Collar c = new Collar(THING_34)) {
            c.window(T0);
            c.uplink.tick();
            c.uplink.stop(); // the agent stops before the frame's time; the frame stays in the outbox
            at(120);
            c.uplink = c.start(THING_34);
            c.uplink.tick();
            assertEquals(List.of("t"), c.topics(), "no added delay after the restart");
        }
    }

    @Test
    void aFrameFromAheadOfTheClockIsNotHeldForTheOldTimeLine() {
        TelemetryRelease r = TelemetryRelease.forThing(THING_34);
        OutboxEntry ahead = new OutboxEntry(1, FrameKind.TELEMETRY, 0, BOUNDARY,
                TelemetryFrameCodec.encode(TelemetrySummary.of(0, T0 + 86_400, 300)));
        assertNull(r.heldUntil(ahead, BOUNDARY), "the clock went back a day since it was made: goes now");
        OutboxEntry garbage = new OutboxEntry(2, FrameKind.TELEMETRY, 1, BOUNDARY, new byte[] {1, 2, 3});
        assertNull(r.heldUntil(garbage, BOUNDARY), "not a contract frame: offered as it is");
        OutboxEntry event = new OutboxEntry(3, FrameKind.EVENT, 0, BOUNDARY, new byte[] {1});
        assertNull(r.heldUntil(event, BOUNDARY));
        OutboxEntry due = new OutboxEntry(4, FrameKind.TELEMETRY, 2, BOUNDARY,
                TelemetryFrameCodec.encode(TelemetrySummary.of(2, T0, 300)));
        assertEquals(BOUNDARY.plusSeconds(34), r.heldUntil(due, BOUNDARY));
        assertEquals(BOUNDARY.plusSeconds(34), r.heldUntil(due, BOUNDARY.plusSeconds(33)));
        assertNull(r.heldUntil(due, BOUNDARY.plusSeconds(34)));
    }
}
