package com.pettysync.agent.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.telemetry.TrailPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowAggregatorTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-01-01T00:02:10Z"); // 1767225730
    OutboxStore outbox;
    final AtomicReference<ClockSource> clockSource = new AtomicReference<>(ClockSource.NTP);
    final AtomicInteger windowS = new AtomicInteger(300);
    final List<long[]> collected = new ArrayList<>();
    WindowInputs inputs = new WindowInputs(new HeartRate(92, 78, 131, 48, 87), new Activity(412, 120, 150, 20, 10,
            2400), null, null, 64, 3810, 312, -67, false, Set.of());

    @BeforeEach
    void open() {
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(100), clock);
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    WindowAggregator aggregator(boolean lost) {
        return new WindowAggregator(outbox, (t0, dur) -> {
            collected.add(new long[] {t0, dur});
            return inputs;
        }, clockSource::get, clock, windowS::get, () -> lost, new Firmware(1042, 3));
    }

    static TelemetrySummary decode(OutboxEntry e) {
        return TelemetryFrameCodec.decode(e.payload());
    }

    @Test
    void closesWindowsAlignedToTheirLengthOnTheInjectedClock() {
        WindowAggregator w = aggregator(false);
        assertEquals(1767225600L, w.currentStart());
        assertTrue(w.closeIfDue().isEmpty());
        clock.set(w.nextClose().minusMillis(1));
        assertTrue(w.closeIfDue().isEmpty());
        clock.set(w.nextClose());
        OutboxEntry e = w.closeIfDue().orElseThrow();
        TelemetrySummary s = decode(e);
        assertEquals(0, s.seq());
        assertEquals(1767225600L, s.t0());
        assertEquals(300, s.dur());
        assertEquals(new HeartRate(92, 78, 131, 48, 87), s.hr());
        assertEquals(new Firmware(1042, 3), s.fw());
        assertEquals(Set.of(), s.dev().flags());
        assertEquals(1767225900L, w.currentStart());
        assertEquals(FrameKind.TELEMETRY, e.kind());
        assertEquals(List.of(1767225600L, 300L), List.of(collected.get(0)[0], collected.get(0)[1]));
    }

    @Test
    void clockSourceChargingAndLostModeBecomeFlags() {
        inputs = new WindowInputs(null, null, null, null, 64, 3810, 312, -67, true,
                EnumSet.of(DeviceStatus.Flag.FAULT_IMU));
        WindowAggregator w = aggregator(true);
        clockSource.set(ClockSource.GNSS);
        clock.set(w.nextClose());
        assertEquals(EnumSet.of(DeviceStatus.Flag.CHARGING, DeviceStatus.Flag.LOST_MODE, DeviceStatus.Flag.CLOCK_GNSS,
                DeviceStatus.Flag.FAULT_IMU), decode(w.closeIfDue().orElseThrow()).dev().flags());
        clockSource.set(ClockSource.UNSYNCED);
        clock.set(w.nextClose());
        assertTrue(decode(w.closeIfDue().orElseThrow()).dev().flags().contains(DeviceStatus.Flag.CLOCK_UNSYNCED));
    }

    @Test
    void backlogAndOutboxDroppedComeFromTheOutbox() {
        WindowAggregator w = aggregator(false);
        for (int i = 0; i < 3; i++) {
            clock.set(w.nextClose());
            w.closeIfDue();
        }
        clock.set(w.nextClose());
        TelemetrySummary s = decode(w.closeIfDue().orElseThrow());
        assertEquals(3, s.seq());
        assertEquals(3, s.dev().backlog());
        outbox.close();
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(4), clock);
        WindowAggregator w2 = aggregator(false);
        clock.set(w2.nextClose());
        TelemetrySummary dropped = decode(w2.closeIfDue().orElseThrow());
        assertEquals(4, dropped.seq(), "seq continues across restart");
        assertTrue(dropped.dev().flags().contains(DeviceStatus.Flag.OUTBOX_DROPPED));
    }

    @Test
    void newWindowLengthTakesEffectFromTheNextWindow() {
        WindowAggregator w = aggregator(false);
        windowS.set(60);
        clock.set(w.nextClose());
        assertEquals(300, decode(w.closeIfDue().orElseThrow()).dur());
        assertEquals(Duration.ofSeconds(60), Duration.between(clock.instant(), w.nextClose()));
        clock.set(w.nextClose());
        assertEquals(60, decode(w.closeIfDue().orElseThrow()).dur());
    }

    @Test
    void inputsThatBreakTheContractStillGiveAFrameWithDeviceReadings() {
        inputs = new WindowInputs(new HeartRate(92, 130, 131, 48, 87), null, null, null, 64, 3810, 312, -67, false,
                Set.of()); // min > mean
        WindowAggregator w = aggregator(false);
        clock.set(w.nextClose());
        TelemetrySummary s = decode(w.closeIfDue().orElseThrow());
        assertNull(s.hr());
        assertEquals(64, s.dev().batteryPct());
    }

    @Test
    void longTrailIsThinnedToFitTheFrameBudget() {
        List<TrailPoint> trail = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            trail.add(new TrailPoint(1375630 - i * 7, 10050180 + i * 11, 1767225896L - i * 4));
        }
        inputs = new WindowInputs(new HeartRate(92, 78, 131, 48, 87), null, new Location(137563000, 1005018000, 35,
                4, trail), null, 64, 3810, 312, -67, false, Set.of());
        WindowAggregator w = aggregator(false);
        clock.set(w.nextClose());
        OutboxEntry e = w.closeIfDue().orElseThrow();
        assertTrue(e.size() <= TelemetryFrameCodec.MAX_FRAME_BYTES, e.size() + " bytes");
        TelemetrySummary s = decode(e);
        assertTrue(s.loc().trail().size() < 60 && !s.loc().trail().isEmpty());
    }

    @Test
    void clockGoingBackwardsRestartsTheWindowOnTheNewTimeLine() {
        WindowAggregator w = aggregator(false);
        clock.set(java.time.Instant.parse("2025-12-31T23:00:00Z"));
        assertTrue(w.closeIfDue().isEmpty());
        assertEquals(java.time.Instant.parse("2025-12-31T23:05:00Z"), w.nextClose());
    }
}
