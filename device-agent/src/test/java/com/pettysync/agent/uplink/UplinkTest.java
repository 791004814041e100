package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UplinkTest {
    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    final FakeBroker broker = new FakeBroker();
    OutboxStore outbox;

    @BeforeEach
    void open() {
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(10_000), clock);
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    Uplink uplink(int maxInFlight, int perSecond) {
        return uplink(maxInFlight, perSecond, new Uplink.Hooks() { });
    }

    Uplink uplink(int maxInFlight, int perSecond, Uplink.Hooks hooks) {
        return new Uplink(outbox, broker, e -> e.kind() == FrameKind.TELEMETRY ? "c/telemetry" : "c/events",
                Uplink.Settings.of(maxInFlight, perSecond, Duration.ofSeconds(1), Duration.ofSeconds(120)), clock,
                new SplittableRandom(42), hooks);
    }

    OutboxEntry telemetry() {
        return outbox.append(FrameKind.TELEMETRY, (c, ctx) -> ("T" + c).getBytes(StandardCharsets.US_ASCII));
    }

    OutboxEntry event() {
        return outbox.append(FrameKind.EVENT, (c, ctx) -> ("E" + c).getBytes(StandardCharsets.US_ASCII));
    }

    static List<String> payloads(List<FakeBroker.Publish> ps) {
        return ps.stream().map(p -> new String(p.payload(), StandardCharsets.US_ASCII)).toList();
    }

    @Test
    void deletesAFrameOnlyAfterItsPuback() {
        Uplink u = uplink(10, 10);
        telemetry();
        event();
        u.tick();
        assertTrue(u.connected());
        clock.advance(Duration.ofSeconds(1));
        u.tick();
        assertEquals(List.of("E0", "T0"), payloads(broker.current().publishes), "the event first");
        assertEquals(List.of("c/events", "c/telemetry"), broker.current().publishes.stream()
                .map(FakeBroker.Publish::topic).toList());
        assertEquals(2, outbox.size(), "nothing deleted before PUBACK");
        broker.current().ack(broker.current().publishes.get(1).token());
        u.tick();
        assertEquals(1, outbox.size());
        assertEquals("E0", new String(outbox.pendingAfter(0, 1).get(0).payload(), StandardCharsets.US_ASCII));
        assertEquals(clock.instant(), u.status().lastPuback());
    }

    @Test
    void neverMoreThanMaxInFlightWithoutPuback() {
        Uplink u = uplink(3, 100);
        for (int i = 0; i < 10; i++) {
            telemetry();
        }
        for (int i = 0; i < 50; i++) { // 5 s of ticks: rate is not the limit here, the window is
            u.tick();
            clock.advance(Duration.ofMillis(100));
        }
        assertEquals(3, broker.current().publishes.size());
        broker.current().ack(broker.current().publishes.get(1).token());
        u.tick();
        assertEquals(List.of("T0", "T1", "T2", "T3"), payloads(broker.current().publishes));
        assertEquals(3, u.status().inFlight());
    }

    @Test
    void drainsABacklogAtMostNPerSecondOldestFirst() {
        Uplink u = uplink(100, 10);
        for (int i = 0; i < 100; i++) {
            telemetry();
        }
        Instant start = clock.instant();
        List<Integer> perSecond = new ArrayList<>();
        int before = 0;
        for (int s = 0; s < 12; s++) {
            // tick as often as the uplink asks, for one simulated second
            Instant end = start.plusSeconds(s + 1);
            while (clock.instant().isBefore(end)) {
                Instant next = u.tick();
                broker.current().ackAll();
                clock.set(next.isBefore(end) && next.isAfter(clock.instant()) ? next : end);
            }
            int total = broker.current().publishes.size();
            perSecond.add(total - before);
            before = total;
        }
        assertTrue(perSecond.stream().allMatch(n -> n <= 10), perSecond.toString());
        assertEquals(100, broker.current().publishes.size(), perSecond.toString());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("T" + i);
        }
        assertEquals(expected, payloads(broker.current().publishes));
    }

    @Test
    void newTelemetryIsInterleavedWithTheBacklog() {
        Uplink u = uplink(100, 1);
        for (int i = 0; i < 3; i++) {
            telemetry();
        }
        u.tick(); // connects; backlog = T0..T2; sends T0
        telemetry();
        telemetry();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            u.tick();
        }
        assertEquals(List.of("T0", "T3", "T1", "T4", "T2"), payloads(broker.current().publishes));
    }

    @Test
    void eventsGoBeforeAnyTelemetryBacklogOrLive() {
        Uplink u = uplink(100, 1);
        for (int i = 0; i < 5; i++) {
            telemetry();
        }
        event(); // an event already in the backlog (made offline) jumps it too
        u.tick(); // connects; sends E0
        clock.advance(Duration.ofSeconds(1));
        u.tick(); // T0
        event();
        event();
        telemetry(); // live telemetry after the events
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            u.tick();
        }
        assertEquals(List.of("E0", "T0", "E1", "E2", "T1", "T5", "T2"), payloads(broker.current().publishes),
                "events first at the paced rate (1/s here), then telemetry alternating live and backlog");
    }

    @Test
    void reconnectsWithGrowingFullJitterBackoffAndNeverEarly() {
        Uplink u = uplink(10, 10);
        broker.refuseNextConnects = 8;
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Instant next = u.tick();
            int attempts = broker.connectAttempts;
            delays.add(Duration.between(clock.instant(), next));
            if (next.isAfter(clock.instant())) {
                clock.set(next.minusMillis(1));
                u.tick();
                assertEquals(attempts, broker.connectAttempts, "no attempt before the back-off ends");
            }
            clock.set(next);
        }
        u.tick();
        assertTrue(u.connected());
        assertEquals(9, broker.connectAttempts);
        for (int n = 1; n <= 8; n++) {
            long ceiling = Math.min(120_000, 1000L << (n - 1));
            long d = delays.get(n - 1).toMillis();
            assertTrue(d >= 0 && d <= ceiling, "delay " + n + " = " + d + " > " + ceiling);
        }
        assertTrue(broker.sessions.stream().limit(8).allMatch(s -> s.closed), "failed sessions are closed");
    }

    @Test
    void fleetReconnectsAreSpreadOut() {
        // 1,000 collars lose the broker at the same instant: their first reconnects spread over the jitter window
        SplittableRandom seeds = new SplittableRandom(7);
        int[] buckets = new int[10];
        for (int c = 0; c < 1000; c++) {
            Uplink u = new Uplink(outbox, broker, e -> "t", Uplink.Settings.of(10, 10, Duration.ofSeconds(1),
                    Duration.ofSeconds(120)), clock, seeds.split(), null);
            long ms = u.jitter(6).toMillis(); // the 6th failure: window [0, 32 s]
            buckets[(int) Math.min(9, ms / 3200)]++;
        }
        for (int b : buckets) {
            assertTrue(b > 50 && b < 150, java.util.Arrays.toString(buckets));
        }
    }

    @Test
    void framesInFlightWhenTheConnectionDropsAreSentAgainAfterReconnect() {
        Uplink u = uplink(10, 100);
        telemetry();
        telemetry();
        u.tick();
        clock.advance(Duration.ofSeconds(1));
        u.tick();
        FakeBroker.Session first = broker.current();
        assertEquals(2, first.publishes.size());
        first.ack(first.publishes.get(0).token());
        first.cut();
        Instant next = u.tick();
        assertFalse(u.connected());
        assertTrue(first.closed);
        clock.set(next);
        u.tick();
        clock.advance(Duration.ofSeconds(1));
        u.tick();
        assertTrue(u.connected());
        assertEquals(List.of("T1"), payloads(broker.current().publishes));
        broker.current().ackAll();
        u.tick();
        assertEquals(0, outbox.size());
    }

    @Test
    void publishFailuresInARowCountAsALostConnectionAndReconnectWithBackoff() {
        Uplink u = uplink(10, 100);
        telemetry();
        u.tick();
        FakeBroker.Session first = broker.current();
        for (int i = 1; i < Uplink.DEAD_AFTER_PUBLISH_FAILURES; i++) {
            assertEquals(i, first.publishes.size());
            first.listener.publishFailed(first.publishes.get(i - 1).token(), new java.io.IOException("timeout"));
            Instant resume = u.tick();
            assertTrue(u.connected(), "one failure pauses on the same session");
            clock.set(resume);
            u.tick();
        }
        int n = Uplink.DEAD_AFTER_PUBLISH_FAILURES;
        assertEquals(n, first.publishes.size());
        first.listener.publishFailed(first.publishes.get(n - 1).token(), new java.io.IOException("timeout"));
        Instant next = u.tick();
        assertFalse(u.connected(), "the session counts as dead after " + n + " failures in a row");
        assertTrue(first.closed);
        assertEquals(1, broker.sessions.size(), "the reconnect waits for the back-off");
        assertEquals(1, outbox.size(), "the frame is kept");
        clock.set(next);
        u.tick();
        assertTrue(u.connected());
        assertEquals(2, broker.sessions.size());
        assertEquals(List.of("T0"), payloads(broker.current().publishes));
        broker.current().ackAll();
        u.tick();
        assertEquals(0, outbox.size());
    }

    @Test
    void aPubackBetweenFailuresResetsTheCount() {
        Uplink u = uplink(10, 100);
        for (int i = 0; i < 2 * Uplink.DEAD_AFTER_PUBLISH_FAILURES; i++) {
            telemetry();
        }
        for (int i = 0; i < 100 && broker.sessions.isEmpty()
                || i < 100 && broker.current().publishes.size() < 2 * Uplink.DEAD_AFTER_PUBLISH_FAILURES; i++) {
            clock.set(u.tick()); // tick when the rate limit allows the next publish
        }
        FakeBroker.Session s = broker.current();
        List<FakeBroker.Publish> sent = List.copyOf(s.publishes);
        assertEquals(2 * Uplink.DEAD_AFTER_PUBLISH_FAILURES, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            if (i % 2 == 0) {
                s.listener.publishFailed(sent.get(i).token(), new java.io.IOException("timeout"));
            } else {
                s.ack(sent.get(i).token());
            }
            u.tick();
        }
        assertTrue(u.connected(), "failures separated by PUBACKs are not a dead session");
        assertEquals(1, broker.sessions.size());
    }

    @Test
    void aFailedPublishSayingNotConnectedEndsTheSessionAtOnce() {
        Uplink u = uplink(10, 100);
        telemetry();
        u.tick();
        FakeBroker.Session first = broker.current();
        first.listener.publishFailed(first.publishes.get(0).token(),
                new RuntimeException("wrapped", new IllegalStateException("Client is not connected")));
        Instant next = u.tick();
        assertFalse(u.connected());
        assertTrue(first.closed);
        assertTrue(next.isAfter(clock.instant()) || next.equals(clock.instant()));
        assertTrue(u.status().lastError().contains("not connected"), u.status().lastError());
        clock.set(next);
        u.tick();
        assertTrue(u.connected());
        assertEquals(List.of("T0"), payloads(broker.current().publishes));
    }

    @Test
    void failuresReportedByAnEarlierSessionAreIgnored() {
        Uplink u = uplink(10, 100);
        telemetry();
        u.tick();
        FakeBroker.Session first = broker.current();
        long token = first.publishes.get(0).token();
        first.cut();
        clock.set(u.tick());
        u.tick();
        FakeBroker.Session second = broker.current();
        assertTrue(u.connected());
        for (int i = 0; i < Uplink.DEAD_AFTER_PUBLISH_FAILURES; i++) {
            first.listener.publishFailed(token, new IllegalStateException("Client is not connected"));
        }
        u.tick();
        assertTrue(u.connected(), "late failures of the old session do not end the new one");
        assertFalse(second.closed);
    }

    @Test
    void rejectedAsMalformedIsDroppedAndCounted() {
        Uplink u = uplink(10, 100);
        telemetry();
        telemetry();
        u.tick();
        clock.advance(Duration.ofSeconds(1));
        u.tick();
        FakeBroker.Session s = broker.current();
        s.reject(s.publishes.get(0).token(), 0x99);
        s.ack(s.publishes.get(1).token());
        u.tick();
        assertEquals(0, outbox.size());
        assertEquals(1, u.status().rejectedDropped());
        assertEquals(1, u.status().acknowledged());
    }

    @Test
    void quotaExceededKeepsTheFrameAndBacksOffInsteadOfRetryingHot() {
        Uplink u = uplink(10, 100);
        telemetry();
        u.tick();
        FakeBroker.Session s = broker.current();
        assertEquals(1, s.publishes.size());
        s.reject(s.publishes.get(0).token(), 0x97);
        Instant pausedUntil = u.tick();
        assertTrue(pausedUntil.isAfter(clock.instant()), "must pause");
        assertEquals(1, outbox.size());
        assertEquals(1, u.status().rejectedKept());
        clock.set(pausedUntil.minusMillis(1));
        u.tick();
        assertEquals(1, s.publishes.size(), "no resend during the pause");
        clock.set(pausedUntil);
        u.tick();
        assertEquals(List.of("T0", "T0"), payloads(s.publishes));
        s.ack(s.publishes.get(1).token());
        u.tick();
        assertEquals(0, outbox.size());
    }

    @Test
    void notAuthorizedKeepsTheBacklogAndPausesLong() {
        Uplink u = uplink(10, 100);
        telemetry();
        u.tick();
        broker.current().reject(broker.current().publishes.get(0).token(), 0x87);
        Instant until = u.tick();
        assertEquals(Duration.ofMinutes(5), Duration.between(clock.instant(), until));
        assertEquals(1, outbox.size());
    }

    @Test
    void payloadOverAwsLimitIsDroppedWithoutSending() {
        Uplink u = uplink(10, 100);
        outbox.append(FrameKind.EVENT, (c, ctx) -> new byte[Uplink.MAX_PAYLOAD_BYTES + 1]);
        telemetry();
        u.tick();
        clock.advance(Duration.ofSeconds(1));
        u.tick();
        assertEquals(List.of("T0"), payloads(broker.current().publishes));
        assertEquals(1, u.status().rejectedDropped());
        assertEquals(1, outbox.size());
    }

    @Test
    void hookSubscribesAndSendsControlPublishFirstOnEveryConnect() {
        List<String> messages = new ArrayList<>();
        Uplink u = uplink(10, 100, new Uplink.Hooks() {
            @Override
            public void connected(Uplink up) {
                try {
                    up.subscribe(List.of("shadow/get/accepted"));
                } catch (BrokerException e) {
                    throw new AssertionError(e);
                }
                up.publishControl("shadow/get", new byte[0]);
            }

            @Override
            public void message(String topic, byte[] payload) {
                messages.add(topic);
            }
        });
        telemetry();
        u.tick();
        clock.advance(Duration.ofSeconds(1));
        u.tick();
        FakeBroker.Session s = broker.current();
        assertEquals(List.of("shadow/get/accepted"), s.subscriptions);
        assertEquals(List.of("shadow/get", "c/telemetry"), s.publishes.stream().map(FakeBroker.Publish::topic)
                .toList());
        assertTrue(s.publishes.get(0).token() < 0, "control publishes are not outbox frames");
        s.ack(s.publishes.get(0).token());
        s.listener.message("shadow/get/accepted", "{}".getBytes(StandardCharsets.UTF_8));
        u.tick();
        assertEquals(List.of("shadow/get/accepted"), messages);
        assertEquals(1, outbox.size());
    }
}
