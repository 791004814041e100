package com.pettysync.drivers.twin;

import com.pettysync.drivers.retry.Backoff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.heartrate.PpgBatch;
import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.Fix;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** All twins through the real drivers on one simulated clock, including fault injection and recovery. */
class SimulatedCollarTest {
    final DogBehaviourModel dog = new DogBehaviourModel(11, 52.52, 13.405);
    final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T14:00:00Z"));
    final SimulatedCollar collar = new SimulatedCollar(dog, clock, 11);
    final AtomicLong ppg = new AtomicLong();
    final AtomicLong imu = new AtomicLong();
    final AtomicLong audio = new AtomicLong();
    final List<Fix> fixes = new ArrayList<>();
    final SensorPoller poller = new SensorPoller(clock,
            Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(8)), (s, st) -> { });

    SimulatedCollarTest() {
        poller.add(collar.heartRate(), Duration.ofMillis(100), () -> {
            PpgBatch b = collar.heartRate().read();
            ppg.addAndGet(b.samples().size());
        });
        poller.add(collar.motion(), Duration.ofMillis(250), () -> imu.addAndGet(collar.motion().read().size()));
        poller.add(collar.battery(), Duration.ofSeconds(10), collar.battery()::read);
        poller.add(collar.gnss(), Duration.ofMillis(250), () -> fixes.addAll(collar.gnss().read()));
        poller.add(collar.microphone(), Duration.ofMillis(100), () -> {
            collar.microphone().pump();
            audio.addAndGet(collar.microphone().read(1 << 16).samples().length);
        });
    }

    void run(Duration d) {
        long end = clock.nanos() + d.toNanos();
        while (clock.nanos() < end) {
            clock.advanceTo(Math.min(end, poller.runDue()));
        }
    }

    @Test
    void everySensorDeliversAtItsRealRate() {
        run(Duration.ofSeconds(60));
        assertEquals(6000, ppg.get(), 20);
        assertEquals(3120, imu.get(), 15); // up to 250 ms still in the FIFO at the end
        assertEquals(960_000, audio.get(), 2000);
        assertEquals(60, fixes.size(), 1);
        Fix last = fixes.get(fixes.size() - 1);
        DogState s = dog.stateAt(Instant.ofEpochMilli(last.utcMillis()));
        assertEquals(s.latitude(), last.latE7() / 1e7, 0.0002);
        assertEquals(s.longitude(), last.lonE7() / 1e7, 0.0003);
        assertTrue(poller.statuses().values().stream().allMatch(st -> st.isOk()), poller.statuses().toString());
    }

    @Test
    void injectedFaultsShowTheirCodesAndRecoverWithoutDisturbingTheRest() {
        run(Duration.ofSeconds(5));
        collar.inject("hr", TwinFault.NACK);
        collar.inject("gnss", TwinFault.NACK);
        long imuBefore = imu.get();
        run(Duration.ofSeconds(30));
        assertEquals(FaultCode.NO_ACK, poller.statuses().get("hr").fault());
        assertEquals(FaultCode.NO_DATA, poller.statuses().get("gnss").fault());
        assertEquals(30 * 52, imu.get() - imuBefore, 5, "motion unaffected");
        collar.inject("hr", TwinFault.NONE);
        collar.inject("gnss", TwinFault.NONE);
        run(Duration.ofSeconds(20));
        assertTrue(poller.statuses().get("hr").isOk());
        assertTrue(poller.statuses().get("gnss").isOk());
        assertEquals(1, poller.counters("hr").recoveries());
    }

    @Test
    void sameSeedSameSignals() {
        SimulatedClock c2 = new SimulatedClock(clock.origin());
        SimulatedCollar twin = new SimulatedCollar(new DogBehaviourModel(11, 52.52, 13.405), c2, 11);
        try {
            collar.heartRate().open();
            twin.heartRate().open();
            clock.advance(Duration.ofMillis(200));
            c2.advance(Duration.ofMillis(200));
            assertEquals(collar.heartRate().read(), twin.heartRate().read());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
