package com.pettysync.drivers.poll;

import com.pettysync.drivers.retry.Backoff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.Sensor;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.twin.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SensorPollerTest {
    final SimulatedClock clock = new SimulatedClock(Instant.EPOCH);

    /** A sensor whose part can be unplugged; records when open() was attempted. */
    static final class Flaky implements Sensor {
        final String name;
        final SimulatedClock clock;
        volatile boolean present = true;
        final List<Long> openAttempts = new ArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        SensorStatus status = SensorStatus.OK;

        Flaky(String name, SimulatedClock clock) {
            this.name = name;
            this.clock = clock;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void open() throws SensorFault {
            openAttempts.add(clock.nanos() / 1_000_000);
            check();
        }

        void read() throws SensorFault {
            check();
            reads.incrementAndGet();
        }

        private void check() throws SensorFault {
            if (!present) {
                throw new SensorFault(FaultCode.NO_ACK, name + " unplugged");
            }
        }

        @Override
        public SensorStatus status() {
            return status;
        }
    }

    void runFor(SensorPoller p, Duration d) {
        long end = clock.nanos() + d.toNanos();
        while (true) {
            long next = p.runDue();
            if (next >= end) { // [start, end): a poll due exactly at the end belongs to the next run
                clock.advanceTo(end);
                return;
            }
            clock.advanceTo(next);
        }
    }

    @Test
    void retriesWithDoublingBackoffCappedAndRecovers() {
        Flaky hr = new Flaky("hr", clock);
        List<String> events = new ArrayList<>();
        SensorPoller p = new SensorPoller(clock, Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(4)),
                (s, st) -> events.add(s + " " + (st.isOk() ? "ok" : st.fault().name())));
        p.add(hr, Duration.ofMillis(100), hr::read);
        runFor(p, Duration.ofSeconds(1));
        assertEquals(10, hr.reads.get());
        hr.present = false;
        hr.openAttempts.clear();
        runFor(p, Duration.ofSeconds(20));
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < hr.openAttempts.size(); i++) {
            gaps.add(hr.openAttempts.get(i) - hr.openAttempts.get(i - 1));
        }
        assertEquals(List.of(1000L, 2000L, 4000L, 4000L, 4000L), gaps.subList(0, 5), "500 ms first, doubling, capped");
        hr.present = true;
        runFor(p, Duration.ofSeconds(5));
        assertTrue(p.statuses().get("hr").isOk());
        assertEquals(1, p.counters("hr").recoveries());
        assertEquals(List.of("hr ok", "hr NO_ACK", "hr ok"), events, "one event per change, not per retry");
    }

    @Test
    void aFaultedSensorDoesNotSlowTheOthers() {
        Flaky hr = new Flaky("hr", clock);
        Flaky imu = new Flaky("motion", clock);
        hr.present = false;
        SensorPoller p = new SensorPoller(clock, SensorPoller.DEFAULT_BACKOFF, (s, st) -> { });
        p.add(hr, Duration.ofMillis(100), hr::read).add(imu, Duration.ofMillis(10), imu::read);
        runFor(p, Duration.ofSeconds(10));
        assertEquals(1000, imu.reads.get(), 1);
        assertEquals(0, hr.reads.get());
        assertEquals(FaultCode.NO_ACK, p.statuses().get("hr").fault());
        assertTrue(p.counters("hr").faults() < 12, "backed-off retries, not 100 per second");
    }

    @Test
    void unexpectedDriverExceptionsAreFaultsToo() {
        Flaky ok = new Flaky("motion", clock);
        Sensor broken = new Flaky("gnss", clock);
        SensorPoller p = new SensorPoller(clock, SensorPoller.DEFAULT_BACKOFF, (s, st) -> { });
        p.add(broken, Duration.ofMillis(100), () -> {
            throw new IllegalStateException("bug");
        }).add(ok, Duration.ofMillis(100), ok::read);
        runFor(p, Duration.ofSeconds(1));
        assertEquals(FaultCode.BUS_ERROR, p.statuses().get("gnss").fault());
        assertEquals(10, ok.reads.get());
    }

    @Test
    void aNativeLibraryThatCannotLoadIsAFaultRetriedWithBackoffNotTheEndOfThePoller() {
        Sensor mic = new Flaky("mic", clock);
        int[] attempts = {0};
        SensorPoller p = new SensorPoller(clock, SensorPoller.DEFAULT_BACKOFF, (s, st) -> { });
        p.add(mic, Duration.ofMillis(100), () -> {
            attempts[0]++;
            throw new UnsatisfiedLinkError("no libasound in java.library.path");
        });
        runFor(p, Duration.ofSeconds(4));
        assertEquals(FaultCode.BUS_ERROR, p.statuses().get("mic").fault());
        assertEquals(4, attempts[0], "at 0, 0.5, 1.5 and 3.5 s: back-off, not every 100 ms");
        assertEquals(4, p.counters("mic").faults());
    }

    @Test
    void onItsOwnThreadAHungBusStallsOnlyItsSensor() throws Exception {
        SimulatedClock real = clock; // threads park for (simulated) nanoseconds; we advance it from here
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch hung = new CountDownLatch(1);
        Flaky imu = new Flaky("motion", real);
        Flaky hr = new Flaky("hr", real);
        SensorPoller p = new SensorPoller(real, SensorPoller.DEFAULT_BACKOFF, (s, st) -> { });
        p.add(hr, Duration.ofMillis(1), () -> {
            hung.countDown();
            try {
                release.await(); // an I2C transfer that never returns
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).add(imu, Duration.ofMillis(1), imu::read);
        p.start(Thread.ofPlatform().daemon().factory());
        try {
            assertTrue(hung.await(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (imu.reads.get() < 50 && System.nanoTime() < deadline) {
                real.advance(Duration.ofMillis(1));
                Thread.onSpinWait();
            }
            assertTrue(imu.reads.get() >= 50, "motion kept polling while hr hung: " + imu.reads.get());
        } finally {
            release.countDown();
            p.stop(Duration.ofSeconds(5));
        }
    }
}
