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
        watch = new EventWatch(new EventRecorder(outbox, clock, wakes::incrementAndGet), clock);
        watch.setGeofences(List.of(new EventWatch.Fence(7, 13.7563, 100.5018, 100)));
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    List<EventFrame> events() {
        return outbox.pendingAfter(0, 100).stream().map(OutboxEntry::payload).map(EventFrameCodec::decode).toList();
    }

    @Test
    void geofenceExitAndReturnWithHysteresisAndNoEventForTheFirstFix() {
        watch.fix(LAT, LON, 50, false); // inside: sets state only
        watch.fix(LAT + E7_PER_100M_LAT * 99 / 100, LON, 50, false); // 99 m: within accuracy band, no change
        assertEquals(List.of(), events());
        watch.fix(LAT + 2 * E7_PER_100M_LAT, LON, 50, false); // 200 m: outside
        watch.fix(LAT + 3 * E7_PER_100M_LAT, LON, 50, false); // still outside: nothing new
        clock.advance(Duration.ofSeconds(30));
        watch.fix(LAT, LON, 50, false); // back
        List<EventFrame> ev = events();
        assertEquals(List.of(EventType.GEOFENCE_EXIT, EventType.GEOFENCE_RETURN), ev.stream().map(EventFrame::type)
                .toList());
        assertEquals(List.of(7L, (long) LAT + 2 * E7_PER_100M_LAT, (long) LON), ev.get(0).data());
        assertEquals(List.of(0L, 1L), ev.stream().map(EventFrame::eseq).toList());
        assertEquals(clock.instant().getEpochSecond(), ev.get(1).t());
        assertEquals(2, wakes.get(), "the uplink is woken for each event");
    }

    @Test
    void heartRateAlertFiresOnceAndReArmsInsideTheLimits() {
        watch.heartRate(230, 40, 220);
        watch.heartRate(240, 40, 220);
        watch.heartRate(218, 40, 220); // inside, but not by 5 bpm
        watch.heartRate(225, 40, 220);
        watch.heartRate(200, 40, 220); // re-armed
        watch.heartRate(35, 40, 220);
        List<EventFrame> ev = events();
        assertEquals(2, ev.size());
        assertEquals(List.of(230L, 220L), ev.get(0).data());
        assertEquals(List.of(35L, 40L), ev.get(1).data());
    }

    @Test
    void lowBatteryOnceUntilRechargedOrAboveTwentyPercent() {
        watch.battery(16, false);
        watch.battery(15, false);
        watch.battery(14, false);
        watch.battery(19, false);
        watch.battery(12, false);
        watch.battery(12, true); // charging re-arms
        watch.battery(11, false);
        assertEquals(List.of(List.of(15L), List.of(11L)), events().stream().map(EventFrame::data).toList());
    }

    @Test
    void sensorFaultOnEachRisingBit() {
        watch.faults(32, 5);
        watch.faults(32, 5);
        watch.faults(32 | 64, 9);
        watch.faults(0, 0);
        watch.faults(32, 1);
        assertEquals(List.of(List.of(32L, 5L), List.of(64L, 9L), List.of(32L, 1L)), events().stream()
                .map(EventFrame::data).toList());
    }

    @Test
    void lostModeSendsAFixAtMostEveryTenSeconds() {
        for (int s = 0; s < 30; s++) {
            watch.fix(LAT, LON, 30, true);
            clock.advance(Duration.ofSeconds(1));
        }
        watch.fix(LAT, LON, 30, false);
        List<EventFrame> ev = events();
        assertEquals(3, ev.size());
        assertTrue(ev.stream().allMatch(e -> e.type() == EventType.LOST_MODE_FIX));
        assertEquals(List.of((long) LAT, (long) LON, 30L), ev.get(0).data());
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
