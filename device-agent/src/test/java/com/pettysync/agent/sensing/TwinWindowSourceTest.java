package com.pettysync.agent.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowAggregator;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.telemetry.TrailPoint;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.DogState;
import com.pettysync.drivers.twin.TwinFault;
import com.pettysync.ml.vocal.VocalizationClassifier;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real path on a simulated clock: sensor twins → real drivers → edge-ml → {@link WindowAggregator} → contract
 * codec → outbox, decoded and validated again.
 */
class TwinWindowSourceTest {
    static final String THING = "collar-twin1";
    static final double HOME_LAT = 52.52;
    static final double HOME_LON = 13.405;
    static final int DUR = 60;
    static VocalizationClassifier classifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadModel() {
        classifier = VocalizationClassifier.bundled();
    }

    @AfterAll
    static void closeModel() {
        classifier.close();
    }

    /** A window start during the dog's morning walk (outdoors: GNSS fixes, movement, higher heart rate). */
    static long walkStart() {
        DogBehaviourModel dog = new DogBehaviourModel(THING.hashCode(), HOME_LAT, HOME_LON);
        Instant day = Instant.parse("2026-06-01T00:00:00Z");
        LocalTime walk = dog.morningWalkStart(day);
        long t = day.getEpochSecond() + walk.toSecondOfDay() + 120;
        return t - Math.floorMod(t, DUR);
    }

    record Run(List<TelemetrySummary> frames, List<WindowInputs> inputs) {}

    Run run(TwinWindowSource source, long start, int windows) {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(start + 1));
        List<WindowInputs> inputs = new ArrayList<>();
        List<TelemetrySummary> frames = new ArrayList<>();
        try (OutboxStore outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(100), clock)) {
            WindowAggregator agg = new WindowAggregator(outbox, (t0, dur) -> {
                WindowInputs in = source.collect(t0, dur);
                inputs.add(in);
                return in;
            }, () -> source.gnssTimeValid() ? ClockSource.GNSS : ClockSource.UNSYNCED, clock, () -> DUR,
                    () -> false, new Firmware(1, 0));
            for (int i = 0; i < windows; i++) {
                clock.set(agg.nextClose());
                OutboxEntry e = agg.closeIfDue().orElseThrow();
                frames.add(TelemetryFrameCodec.validate(TelemetryFrameCodec.decode(e.payload())));
            }
        }
        return new Run(frames, inputs);
    }

    @Test
    void realTwinsDriversAndEdgeMlGiveContractValidFrames() {
        long start = walkStart();
        DogBehaviourModel dog = new DogBehaviourModel(THING.hashCode(), HOME_LAT, HOME_LON);
        Run r;
        try (TwinWindowSource source = new TwinWindowSource(THING, HOME_LAT, HOME_LON, classifier)) {
            r = run(source, start, 5);
        }
        assertEquals(5, r.frames().size());
        int withHr = 0;
        int withLoc = 0;
        for (int i = 0; i < r.frames().size(); i++) {
            TelemetrySummary f = r.frames().get(i);
            assertEquals(start + (long) i * DUR, f.t0());
            assertEquals(DUR, f.dur());
            assertEquals(r.inputs().get(i).faults(), faultFlags(f), "no sensor faulted");
            if (f.hr() != null) {
                withHr++;
                int lo = Integer.MAX_VALUE;
                int hi = 0;
                for (long t = f.t0(); t < f.t0() + DUR; t += 5) {
                    int bpm = dog.stateAt(Instant.ofEpochSecond(t)).heartRateBpm();
                    lo = Math.min(lo, bpm);
                    hi = Math.max(hi, bpm);
                }
                assertTrue(f.hr().meanBpm() >= lo - 15 && f.hr().meanBpm() <= hi + 15,
                        "window " + i + ": mean " + f.hr().meanBpm() + " vs model " + lo + "…" + hi);
            }
            assertNotNull(f.act(), "activity every window");
            assertTrue(f.act().restS() + f.act().walkS() + f.act().runS() + f.act().playS() <= DUR);
            assertNotNull(f.mood(), "mood every window");
            if (f.loc() != null) {
                withLoc++;
                assertTrue(f.loc().ageS() >= 0 && f.loc().ageS() <= DUR);
                DogState s = dog.stateAt(Instant.ofEpochSecond(f.t0() + DUR - f.loc().ageS()));
                assertEquals(s.latitude(), f.loc().latE7() / 1e7, 0.001, "fix near the model's position");
                assertEquals(s.longitude(), f.loc().lonE7() / 1e7, 0.001);
                for (TrailPoint p : f.loc().trail()) {
                    assertTrue(p.t() >= f.t0() && p.t() < f.t0() + DUR, "trail inside the window");
                }
            }
            assertTrue(f.dev().batteryPct() > 0 && f.dev().batteryPct() <= 100);
        }
        assertTrue(withHr >= 4, "heart rate in most windows: " + withHr);
        assertEquals(5, withLoc, "the dog is outdoors on its walk: a fix every window");
        assertTrue(r.frames().get(4).dev().flags().contains(DeviceStatus.Flag.CLOCK_GNSS), "GNSS time valid");
        assertTrue(r.frames().stream().anyMatch(f -> f.act().steps() > 0), "a walking dog makes steps");
    }

    @Test
    void sameCollarSameWindowsSameFrames() {
        long start = walkStart();
        List<TelemetrySummary> a;
        List<TelemetrySummary> b;
        try (TwinWindowSource s1 = new TwinWindowSource(THING, HOME_LAT, HOME_LON, classifier)) {
            a = run(s1, start, 2).frames();
        }
        dir = dir.resolve("second");
        try (TwinWindowSource s2 = new TwinWindowSource(THING, HOME_LAT, HOME_LON, classifier)) {
            b = run(s2, start, 2).frames();
        }
        assertEquals(a, b);
    }

    @Test
    void anInjectedSensorFaultSetsItsFlagAndTheSectionGoesAway() {
        long start = walkStart();
        try (TwinWindowSource source = new TwinWindowSource(THING, HOME_LAT, HOME_LON, classifier)) {
            WindowInputs ok = source.collect(start, DUR);
            assertFalse(ok.faults().contains(DeviceStatus.Flag.FAULT_HR));
            source.inject("hr", TwinFault.NACK);
            source.inject("gnss", TwinFault.GARBLED);
            WindowInputs bad = source.collect(start + DUR, DUR);
            assertTrue(bad.faults().contains(DeviceStatus.Flag.FAULT_HR), bad.faults().toString());
            assertTrue(bad.faults().contains(DeviceStatus.Flag.FAULT_GNSS), bad.faults().toString());
            assertFalse(bad.faults().contains(DeviceStatus.Flag.FAULT_IMU));
            assertNull(bad.hr(), "no heart rate from a part that does not answer");
            assertEquals(16 | 64, DeviceStatus.Flag.bits(bad.faults()));
            assertFalse(source.statuses().get("hr").isOk());
            source.inject("hr", TwinFault.NONE);
            source.inject("gnss", TwinFault.NONE);
            source.collect(start + 2 * DUR, DUR); // recovers during this window (back-off), still flagged
            WindowInputs again = source.collect(start + 3 * DUR, DUR);
            assertEquals(0, DeviceStatus.Flag.bits(again.faults()), "recovered: " + again.faults());
            assertNotNull(again.hr());
        }
    }

    static java.util.Set<DeviceStatus.Flag> faultFlags(TelemetrySummary f) {
        java.util.EnumSet<DeviceStatus.Flag> s = java.util.EnumSet.noneOf(DeviceStatus.Flag.class);
        for (DeviceStatus.Flag fl : f.dev().flags()) {
            if (fl.name().startsWith("FAULT_")) {
                s.add(fl);
            }
        }
        return s;
    }
}
