package com.pettysync.agent.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.battery.BatteryReading;
import com.pettysync.drivers.battery.BatterySensor;
import com.pettysync.drivers.heartrate.HeartRateSensor;
import com.pettysync.drivers.heartrate.PpgBatch;
import com.pettysync.drivers.motion.MotionSample;
import com.pettysync.drivers.motion.MotionSensor;
import com.pettysync.drivers.position.Fix;
import com.pettysync.drivers.position.GnssPowerMode;
import com.pettysync.drivers.position.NmeaCounters;
import com.pettysync.drivers.position.PositionSensor;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.SimulatedCollar;
import com.pettysync.drivers.twin.TwinFault;
import com.pettysync.drivers.voice.AudioBlock;
import com.pettysync.drivers.voice.VoiceSensor;
import com.pettysync.ml.vocal.VocalizationClassifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code sensors: real} source. Over the twins' drivers (the same driver classes as on the collar, on a stepped
 * simulated clock) it must give what the twin source gives; with its own polling threads it must feed the window,
 * survive a driver that throws, and leave no thread behind.
 */
class HardwareWindowSourceTest {
    static VocalizationClassifier classifier;

    @BeforeAll
    static void loadModel() {
        classifier = VocalizationClassifier.bundled();
    }

    @AfterAll
    static void closeModel() {
        classifier.close();
    }

    /** Polls as the hardware threads would, stepping the twins' clock to {@code end} (the mic pumped like ALSA). */
    static void stepTo(HardwareWindowSource source, SimulatedCollar collar, long end) {
        SimulatedClock clock = collar.clock();
        while (true) {
            collar.microphone().pump();
            long next = source.runDue();
            if (next > end) {
                break;
            }
            clock.advanceTo(Math.max(next, clock.nanos()));
        }
        clock.advanceTo(end);
    }

    /** The test dog's twins on a simulated clock that starts at {@code t0} (epoch seconds). */
    static SimulatedCollar twinsAt(long t0) {
        long seed = TwinWindowSourceTest.THING.hashCode();
        return new SimulatedCollar(new DogBehaviourModel(seed, TwinWindowSourceTest.HOME_LAT,
                TwinWindowSourceTest.HOME_LON), new SimulatedClock(Instant.ofEpochSecond(t0)), seed);
    }

    /** The hardware source over the twins' drivers, stepped by the test ({@link #stepTo}), not by its threads. */
    static HardwareWindowSource overTwins(SimulatedCollar collar, long t0) {
        return new HardwareWindowSource(partsOf(collar), collar.clock(),
                Clock.fixed(Instant.ofEpochSecond(t0), ZoneOffset.UTC), VocalModel.of(classifier), false, List.of());
    }

    static CollarSensors partsOf(SimulatedCollar c) {
        return new CollarSensors(c.heartRate(), c.motion(), c.gnss(), c.microphone(), c.battery());
    }

    @Test
    void overTheCollarsDriversAWindowHasHeartRateActivityPositionAndMood() {
        long t0 = TwinWindowSourceTest.walkStart();
        SimulatedCollar collar = twinsAt(t0);
        HardwareWindowSource source = overTwins(collar, t0);
        stepTo(source, collar, 60_000_000_000L);
        WindowInputs in = source.collect(t0, 60);
        assertNotNull(in.hr(), "heart rate from the PPG samples");
        assertNotNull(in.act(), "activity from the IMU");
        assertNotNull(in.loc(), "a fix on the walk");
        assertNotNull(in.mood());
        assertEquals(Set.of(), in.faults());
        assertTrue(in.batteryPct() > 0 && in.batteryMv() > 3000, in.batteryPct() + " % " + in.batteryMv() + " mV");
        for (var p : in.loc().trail()) {
            assertTrue(p.t() >= t0 && p.t() < t0 + 60, "trail points in Unix time inside the window: " + p.t());
        }
        assertTrue(source.gnssTimeValid());
        assertEquals(Set.of("hr", "motion", "gnss", "mic", "battery"), source.statuses().keySet());

        // the next window has only its own samples
        collar.inject("gnss", TwinFault.NACK);
        stepTo(source, collar, 120_000_000_000L);
        WindowInputs next = source.collect(t0 + 60, 60);
        assertNotNull(next.hr());
        assertTrue(next.faults().contains(DeviceStatus.Flag.FAULT_GNSS), next.faults().toString());
        assertNotEquals(0, source.codeOf(DeviceStatus.Flag.FAULT_GNSS));
        assertFalse(next.faults().contains(DeviceStatus.Flag.FAULT_HR));
    }

    @Test
    void theWantedModeSwitchesTheReceiverToLiveFixesAndBackOnTheGnssPoll() {
        long t0 = TwinWindowSourceTest.walkStart();
        SimulatedCollar collar = twinsAt(t0);
        HardwareWindowSource source = overTwins(collar, t0);
        stepTo(source, collar, 60_000_000_000L);
        assertEquals(List.of(com.pettysync.drivers.position.GnssPowerMode.NORMAL), collar.gnssTwin().modeChanges(),
                "a fresh receiver is put on the normal duty cycle");
        int normalFixes = fixesIn(source.collect(t0, 60));
        source.gnssMode(com.pettysync.drivers.position.GnssPowerMode.LIVE);
        stepTo(source, collar, 120_000_000_000L);
        int liveFixes = fixesIn(source.collect(t0 + 60, 60));
        assertEquals(com.pettysync.drivers.position.GnssPowerMode.LIVE, collar.gnssTwin().mode());
        assertTrue(liveFixes > normalFixes, "live: a fix every second, " + liveFixes + " vs " + normalFixes);
        source.gnssMode(com.pettysync.drivers.position.GnssPowerMode.NORMAL);
        stepTo(source, collar, 180_000_000_000L);
        assertEquals(com.pettysync.drivers.position.GnssPowerMode.NORMAL, collar.gnssTwin().mode());
    }

    @Test
    void anUnacknowledgedModeIsSentAgainWithBackOffUntilTheReceiverAcks() {
        long t0 = TwinWindowSourceTest.walkStart();
        SimulatedCollar collar = twinsAt(t0);
        collar.inject("gnss", TwinFault.NACK); // the receiver hears nothing we send and answers nothing
        HardwareWindowSource source = overTwins(collar, t0);
        stepTo(source, collar, 20_000_000_000L);
        CollarSource.GnssState lost = source.gnss();
        assertEquals(com.pettysync.drivers.position.GnssPowerMode.NORMAL, lost.wanted());
        assertFalse(lost.confirmed());
        assertEquals(4, lost.resends(), "sent at 0 s, again at 1, 3, 7 and 15 s (1, 2, 4, 8 s apart)");
        collar.inject("gnss", TwinFault.NONE); // the receiver comes back
        stepTo(source, collar, 40_000_000_000L);
        CollarSource.GnssState back = source.gnss();
        assertTrue(back.confirmed(), "UBX-ACK-ACK for the command sent again at 31 s");
        assertEquals(5, back.resends());
        assertEquals(com.pettysync.drivers.position.GnssPowerMode.NORMAL, collar.gnssTwin().mode());
        stepTo(source, collar, 120_000_000_000L);
        assertEquals(5, source.gnss().resends(), "nothing more once acknowledged");
    }

    /** Fixes behind a window's location: the newest plus its trail (points ≥ 30 s apart) — at least one per fix rate. */
    private static int fixesIn(WindowInputs in) {
        return in.loc() == null ? 0 : 1 + in.loc().trail().size();
    }

    /** Stub parts on the real clock: the battery counts its reads, the IMU throws on its first poll. */
    static final class Stubs {
        final CountDownLatch batteryReads = new CountDownLatch(1);
        final CountDownLatch motionPolls = new CountDownLatch(3);
        final AtomicInteger motionCalls = new AtomicInteger();

        abstract static class Part {
            final String name;

            Part(String name) {
                this.name = name;
            }

            public String name() {
                return name;
            }

            public void open() {
            }

            public SensorStatus status() {
                return SensorStatus.OK;
            }
        }

        CollarSensors sensors() {
            class Hr extends Part implements HeartRateSensor {
                Hr() {
                    super("hr");
                }

                public int sampleRate() {
                    return 100;
                }

                public PpgBatch read() throws SensorFault {
                    throw new SensorFault(FaultCode.NO_ACK, "no MAX30102 at 0x57");
                }

                public double dieTemperature() {
                    return Double.NaN;
                }
            }
            class Imu extends Part implements MotionSensor {
                Imu() {
                    super("motion");
                }

                public int sampleRate() {
                    return 52;
                }

                public List<MotionSample> read() {
                    if (motionCalls.getAndIncrement() == 0) {
                        throw new IllegalStateException("driver bug on the first read");
                    }
                    motionPolls.countDown();
                    return List.of();
                }

                public long stepCount() {
                    return 0;
                }
            }
            class Gnss extends Part implements PositionSensor {
                Gnss() {
                    super("gnss");
                }

                public List<Fix> read() {
                    return List.of();
                }

                public void setPowerMode(GnssPowerMode mode) {
                }

                public boolean powerModeConfirmed() {
                    return true;
                }

                public GnssPowerMode powerMode() {
                    return GnssPowerMode.NORMAL;
                }

                public NmeaCounters counters() {
                    return null;
                }
            }
            class Mic extends Part implements VoiceSensor {
                Mic() {
                    super("mic");
                }

                public AudioBlock read(int maxSamples) {
                    return new AudioBlock(0, new short[0], 0);
                }
            }
            class Gauge extends Part implements BatterySensor {
                Gauge() {
                    super("battery");
                }

                public BatteryReading read() {
                    batteryReads.countDown();
                    return new BatteryReading(System.nanoTime(), 3.9, 77.0);
                }
            }
            return new CollarSensors(new Hr(), new Imu(), new Gnss(), new Mic(), new Gauge());
        }
    }

    @Test
    void pollingThreadsFeedTheWindowSurviveADriverThatThrowsAndStopOnClose() throws InterruptedException {
        Stubs stubs = new Stubs();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        ThreadFactory factory = r -> {
            Thread t = Thread.ofPlatform().daemon().unstarted(r);
            threads.add(t);
            return t;
        };
        HardwareWindowSource source = new HardwareWindowSource(stubs.sensors(), MonotonicClock.system(),
                Clock.systemUTC(), VocalModel.of(classifier), false, List.of());
        source.start(factory);
        assertEquals(5, threads.size(), "one thread per sensor");
        assertTrue(stubs.batteryReads.await(30, TimeUnit.SECONDS), "the gauge is polled");
        assertTrue(stubs.motionPolls.await(30, TimeUnit.SECONDS), "the IMU is polled again after its driver threw");
        WindowInputs in = source.collect(Instant.now().getEpochSecond(), 300);
        assertEquals(77, in.batteryPct(), "the gauge's reading reached the window");
        assertEquals(3900, in.batteryMv());
        assertTrue(in.faults().contains(DeviceStatus.Flag.FAULT_HR), "a missing PPG is a fault flag: " + in.faults());
        assertTrue(in.faults().contains(DeviceStatus.Flag.FAULT_IMU), "the IMU faulted during this window");
        assertTrue(source.statuses().get("motion").isOk(), "the IMU recovered: " + source.statuses());
        assertEquals(1, source.counters("motion").faults(), "the driver's exception counted as one fault");
        assertNull(in.hr());
        WindowInputs next = source.collect(Instant.now().getEpochSecond() + 300, 300);
        assertEquals(Set.of(DeviceStatus.Flag.FAULT_HR), next.faults(), "only the still-missing PPG is flagged again");
        source.close();
        for (Thread t : threads) {
            assertFalse(t.isAlive(), t.getName() + " still running after close");
        }
    }

    /**
     * The real stack (Pi4J linuxfs I2C, jSerialComm, Java Sound) on a machine without the collar's parts: every part
     * is a sensor fault with its reason, the source keeps running, and closing it stops every thread.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void onAMachineWithoutThePartsEveryPartIsAFaultAndNothingCrashes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/dev/i2c-1")),
                "a board with an I2C bus: this test is for machines without the parts");
        HardwareWindowSource source = HardwareWindowSource.open(
                com.pettysync.agent.config.AgentConfig.Hardware.defaults(), Clock.systemUTC());
        try {
            com.pettysync.agent.testing.Await.until("every sensor polled once",
                    () -> source.statuses().size() == 5);
            for (var e : source.statuses().entrySet()) {
                assertFalse(e.getValue().isOk(), e.getKey() + " cannot be OK without the part: " + e.getValue());
            }
            WindowInputs in = source.collect(Instant.now().getEpochSecond(), 300);
            assertEquals(Set.of(DeviceStatus.Flag.FAULT_HR, DeviceStatus.Flag.FAULT_IMU, DeviceStatus.Flag.FAULT_GNSS,
                    DeviceStatus.Flag.FAULT_MIC), in.faults());
            assertNull(in.hr());
            assertNull(in.loc());
        } finally {
            source.close();
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("sensor-")
                && t.isAlive()), "no sensor thread left");
    }
}
