package com.pettysync.drivers.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.DogState;
import com.pettysync.drivers.twin.FakeI2cBus;
import com.pettysync.drivers.twin.FakeLsm6dsox;
import com.pettysync.drivers.twin.RegisterDevice;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.TwinFault;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Lsm6dsoxTest {
    final DogBehaviourModel dog = new DogBehaviourModel(3, 48.1, 11.5);

    SimulatedClock clockAt(Instant t) {
        return new SimulatedClock(t);
    }

    Instant walking() {
        Instant day = LocalDate.of(2026, 6, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return day.plusSeconds(dog.morningWalkStart(day).toSecondOfDay() + 60L);
    }

    @Test
    void configuresEightGAnd52HzAndDeliversOneSamplePerDataReady() throws Exception {
        SimulatedClock clock = clockAt(Instant.parse("2026-06-01T02:00:00Z"));
        FakeI2cBus bus = new FakeI2cBus().attach(0x6A, new FakeLsm6dsox(clock, dog, 1));
        Lsm6dsox imu = new Lsm6dsox(bus, clock);
        imu.open();
        assertEquals(0x3C, bus.readRegister(0x6A, 0x10));
        assertEquals(0x34, bus.readRegister(0x6A, 0x11));
        List<MotionSample> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) { // 5 s polled at 100 Hz
            clock.advance(Duration.ofMillis(10));
            all.addAll(imu.read());
        }
        assertEquals(260, all.size(), 2);
        double g = all.stream().mapToDouble(MotionSample::accelerationMagnitude).average().orElseThrow();
        assertEquals(1.0, g, 0.05, "a sleeping dog's collar feels 1 g");
    }

    @Test
    void fifoDeliversASecondOfSamplesPerBurstAndReportsOverflow() throws Exception {
        SimulatedClock clock = clockAt(walking());
        FakeI2cBus bus = new FakeI2cBus().attach(0x6A, new FakeLsm6dsox(clock, dog, 1));
        Lsm6dsox imu = new Lsm6dsox(bus, clock);
        imu.open();
        assertEquals(0x33, bus.readRegister(0x6A, 0x09), "FIFO batches XL and G at 52 Hz");
        assertEquals(0x06, bus.readRegister(0x6A, 0x0A), "continuous mode");
        clock.advance(Duration.ofSeconds(1));
        List<MotionSample> burst = imu.read();
        assertEquals(52, burst.size(), 1);
        assertEquals(1_000_000_000L / 52, burst.get(1).tNanos() - burst.get(0).tNanos());
        assertTrue(burst.stream().anyMatch(m -> Math.abs(m.gx()) > 1), "gyro words are paired in");
        assertEquals(0, imu.overruns());
        clock.advance(Duration.ofSeconds(60)); // far more than the FIFO holds
        List<MotionSample> after = imu.read();
        assertTrue(after.size() <= FakeLsm6dsox.FIFO_WORDS / 2 && after.size() > 200, "" + after.size());
        assertEquals(1, imu.overruns());
        double spread = after.stream().mapToDouble(MotionSample::az).max().orElseThrow()
                - after.stream().mapToDouble(MotionSample::az).min().orElseThrow();
        assertTrue(spread > 0.2, "walking shows gait in z: " + spread);
    }

    @Test
    void pedometerCountsStepsAtTheModelsCadence() throws Exception {
        Instant start = walking();
        SimulatedClock clock = clockAt(start);
        FakeI2cBus bus = new FakeI2cBus().attach(0x6A, new FakeLsm6dsox(clock, dog, 1));
        Lsm6dsox imu = new Lsm6dsox(bus, clock);
        imu.open();
        DogState s = dog.stateAt(start);
        for (int i = 0; i < 60; i++) {
            clock.advance(Duration.ofSeconds(1));
            imu.read();
        }
        long steps = imu.stepCount();
        assertTrue(s.cadenceStepsPerMinute() > 90, "walking: " + s);
        assertEquals(s.cadenceStepsPerMinute(), steps, 15);
    }

    @Test
    void stepCounterIsExtendedPastSixteenBits() throws Exception {
        int[] raw = {0xFFF0};
        SimulatedClock clock = clockAt(Instant.EPOCH);
        FakeI2cBus bus = new FakeI2cBus().attach(0x6A, new RegisterDevice() {
            @Override
            public int read(int register) {
                return switch (register) {
                    case 0x0F -> 0x6C;
                    case 0x62 -> raw[0] & 0xFF;
                    case 0x63 -> raw[0] >> 8;
                    default -> 0;
                };
            }

            @Override
            public void write(int register, int value) {
            }
        });
        Lsm6dsox imu = new Lsm6dsox(bus, clock);
        imu.open();
        assertEquals(0xFFF0, imu.stepCount());
        raw[0] = 0x0010;
        assertEquals(0x10010, imu.stepCount()); // 0xFFF0 + 0x20
    }

    @Test
    void wrongWhoAmIAndMissingPartAreFaults() {
        SimulatedClock clock = clockAt(Instant.EPOCH);
        FakeI2cBus empty = new FakeI2cBus();
        assertEquals(FaultCode.NO_ACK, assertThrows(SensorFault.class, new Lsm6dsox(empty, clock)::open).code());
        FakeI2cBus other = new FakeI2cBus().attach(0x6A, new RegisterDevice() {
            @Override
            public int read(int register) {
                return register == 0x0F ? 0x6A : 0; // an LSM6DSL
            }

            @Override
            public void write(int register, int value) {
            }
        });
        assertEquals(FaultCode.WRONG_PART, assertThrows(SensorFault.class, new Lsm6dsox(other, clock)::open).code());
    }

    @Test
    void stuckFifoIsAFault() throws Exception {
        SimulatedClock clock = clockAt(Instant.parse("2026-06-01T02:00:00Z"));
        FakeLsm6dsox part = new FakeLsm6dsox(clock, dog, 1);
        Lsm6dsox imu = new Lsm6dsox(new FakeI2cBus().attach(0x6A, part), clock);
        imu.open();
        clock.advance(Duration.ofMillis(30));
        assertEquals(1, imu.read().size());
        part.inject(TwinFault.STUCK);
        SensorFault f = null;
        for (int i = 0; i < 150 && f == null; i++) {
            clock.advance(Duration.ofMillis(10));
            try {
                assertEquals(0, imu.read().size());
            } catch (SensorFault e) {
                f = e;
            }
        }
        assertEquals(FaultCode.STUCK, f == null ? null : f.code());
    }
}
