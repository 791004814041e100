package com.pettysync.agent.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventWatchTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    final AtomicInteger wakes = new AtomicInteger();
    OutboxStore outbox;
    EventWatch watch;

    // a fence of 100 m around (13.7563, 100.5018)
    static final int LAT = 137563000;
    static final int LON = 1005018000;
    static final int E7_PER_100M_LAT = 8993; // 100 m of latitude ≈ 0.0008993°

    @BeforeEach
    void open() {
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(100), clock);
        watch = new EventWatch(new EventRecorder(outbox, clock, wakes::incrementAndGet), Duration.ofSeconds(60));
        watch.setGeofences(List.of(new EventWatch.Fence(7, 13.7563, 100.5018, 100)));
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    List<EventFrame> events() {
        return outbox.pendingAfter(0, 100).stream().map(OutboxEntry::payload).map(EventFrameCodec::decode).toList();
    }

    static final long T0_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z: the observations' own times

    @Test
    void geofenceExitAndReturnWithHysteresisAndNoEventForTheFirstFix() {
        watch.fix(T0_MS, LAT, LON, 50, false); // inside: sets state only
        watch.fix(T0_MS + 1_000, LAT + E7_PER_100M_LAT * 99 / 100, LON, 50, false); // 99 m: in the accuracy band
        assertEquals(List.of(), events());
        watch.fix(T0_MS + 2_400, LAT + 2 * E7_PER_100M_LAT, LON, 50, false); // 200 m: outside
        watch.fix(T0_MS + 3_000, LAT + 3 * E7_PER_100M_LAT, LON, 50, false); // still outside: nothing new
        watch.fix(T0_MS + 33_000, LAT, LON, 50, false); // back
        List<EventFrame> ev = events();
        assertEquals(List.of(EventType.GEOFENCE_EXIT, EventType.GEOFENCE_RETURN), ev.stream().map(EventFrame::type)
                .toList());
        assertEquals(List.of(7L, (long) LAT + 2 * E7_PER_100M_LAT, (long) LON), ev.get(0).data());
        assertEquals(List.of(0L, 1L), ev.stream().map(EventFrame::eseq).toList());
        assertEquals(List.of(T0_MS / 1000 + 2, T0_MS / 1000 + 33), ev.stream().map(EventFrame::t).toList(),
                "t is the time of the fix that crossed, not the clock's now nor a window's");
        assertEquals(2, wakes.get(), "the uplink is woken for each event");
    }

    @Test
    void exitAndReturnWithinSecondsAreBothSeen() {
        watch.fix(T0_MS, LAT, LON, 30, false);
        watch.fix(T0_MS + 10_000, LAT + 2 * E7_PER_100M_LAT, LON, 30, false);
        watch.fix(T0_MS + 20_000, LAT, LON, 30, false);
        assertEquals(List.of(EventType.GEOFENCE_EXIT, EventType.GEOFENCE_RETURN), events().stream()
                .map(EventFrame::type).toList());
    }

    @Test
    void heartRateAlertNeedsTheSustainTimeAndReArmsInsideTheLimits() {
        long t = T0_MS;
        watch.heartRate(t, 230, 40, 220); // outside since t
        watch.heartRate(t + 30_000, 240, 40, 220); // 30 s: not yet (60 s needed)
        watch.heartRate(t + 35_000, 200, 40, 220); // one estimate inside: the sustain starts again
        watch.heartRate(t + 40_000, 230, 40, 220);
        watch.heartRate(t + 95_000, 231, 40, 220); // 55 s
        assertEquals(List.of(), events(), "a short excursion (a motion artefact) does not alarm");
        watch.heartRate(t + 100_000, 232, 40, 220); // 60 s outside: alarm, with this estimate's time
        watch.heartRate(t + 105_000, 250, 40, 220); // still alerting: nothing new
        watch.heartRate(t + 110_000, 218, 40, 220); // inside, but not by 5 bpm: not re-armed
        watch.heartRate(t + 115_000, 225, 40, 220);
        watch.heartRate(t + 180_000, 225, 40, 220);
        watch.heartRate(t + 185_000, 200, 40, 220); // re-armed
        watch.heartRate(t + 190_000, 35, 40, 220);
        watch.heartRate(t + 250_000, 35, 40, 220);
        List<EventFrame> ev = events();
        assertEquals(2, ev.size());
        assertEquals(List.of(232L, 220L), ev.get(0).data());
        assertEquals((t + 100_000) / 1000, ev.get(0).t());
        assertEquals(List.of(35L, 40L), ev.get(1).data());
        assertEquals((t + 250_000) / 1000, ev.get(1).t());
    }

    @Test
    void heartRateSustainIsConfigurable() {
        EventWatch immediate = new EventWatch(new EventRecorder(outbox, clock, () -> { }), Duration.ZERO);
        immediate.heartRate(T0_MS, 230, 40, 220);
        assertEquals(1, events().size());
    }

    @Test
    void lowBatteryOnceUntilRechargedOrAboveTwentyPercent() {
        watch.battery(T0_MS, 16, false);
        watch.battery(T0_MS + 10_000, 15, false);
        watch.battery(T0_MS + 20_000, 14, false);
        watch.battery(T0_MS + 30_000, 19, false);
        watch.battery(T0_MS + 40_000, 12, false);
        watch.battery(T0_MS + 50_000, 12, true); // charging re-arms
        watch.battery(T0_MS + 60_000, 11, false);
        List<EventFrame> ev = events();
        assertEquals(List.of(List.of(15L), List.of(11L)), ev.stream().map(EventFrame::data).toList());
        assertEquals(List.of(T0_MS / 1000 + 10, T0_MS / 1000 + 60), ev.stream().map(EventFrame::t).toList());
    }

    @Test
    void sensorFaultWhenASensorGoesFromOkToFaulted() {
        watch.sensor(T0_MS, 32, true, 5);
        watch.sensor(T0_MS + 1_000, 32, true, 5); // still faulted
        watch.sensor(T0_MS + 2_000, 64, true, 9);
        watch.sensor(T0_MS + 3_000, 32, false, 0);
        watch.sensor(T0_MS + 4_000, 64, false, 0);
        watch.sensor(T0_MS + 5_000, 32, true, 1);
        List<EventFrame> ev = events();
        assertEquals(List.of(List.of(32L, 5L), List.of(64L, 9L), List.of(32L, 1L)), ev.stream()
                .map(EventFrame::data).toList());
        assertEquals(List.of(T0_MS / 1000, T0_MS / 1000 + 2, T0_MS / 1000 + 5), ev.stream().map(EventFrame::t)
                .toList());
    }

    @Test
    void lostModeSendsAFixAtMostEveryTenSecondsOfFixTime() {
        for (int s = 0; s < 30; s++) {
            watch.fix(T0_MS + s * 1000L, LAT, LON, 30, true); // live: a fix every second
        }
        watch.fix(T0_MS + 30_000, LAT, LON, 30, false);
        List<EventFrame> ev = events();
        assertEquals(3, ev.size());
        assertTrue(ev.stream().allMatch(e -> e.type() == EventType.LOST_MODE_FIX));
        assertEquals(List.of((long) LAT, (long) LON, 30L), ev.get(0).data());
        assertEquals(List.of(T0_MS / 1000, T0_MS / 1000 + 10, T0_MS / 1000 + 20), ev.stream().map(EventFrame::t)
                .toList(), "each as its fix arrives");
        watch.fix(T0_MS + 31_000, LAT, LON, 30, true); // lost mode again: its first fix goes at once
        assertEquals(4, events().size());
    }

    @Test
    void invalidEventDataIsLoggedNotQueued() {
        EventRecorder r = new EventRecorder(outbox, clock, () -> { });
        assertTrue(r.record(EventType.LOW_BATTERY, 101).isEmpty());
        assertEquals(0, outbox.size());
        assertEquals(0, r.record(EventType.LOW_BATTERY, 10).orElseThrow().counter(), "no eseq consumed");
    }

    @Test
    void haversineMatchesAKnownDistance() {
        // Paris (48.8566, 2.3522) to London (51.5074, -0.1278): 343.5 km (great circle, mean radius)
        assertEquals(343_500, EventWatch.distanceM(48.8566, 2.3522, 51.5074, -0.1278), 1_000);
    }
}
