package com.pettysync.drivers.heartrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.bus.BusException;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.DogState;
import com.pettysync.drivers.twin.FakeI2cBus;
import com.pettysync.drivers.twin.FakeMax30102;
import com.pettysync.drivers.twin.RegisterDevice;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.TwinFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real driver against the register-level twin. */
class Max30102Test {
    final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T03:00:00Z")); // the dog sleeps
    final DogBehaviourModel dog = new DogBehaviourModel(7, 52.5, 13.4);
    final FakeMax30102 part = new FakeMax30102(clock, dog, 7);
    final FakeI2cBus bus = new FakeI2cBus().attach(0x57, part);
    final Max30102 driver = new Max30102(bus, clock);

    @Test
    void configuresOneHundredSamplesPerSecondWithAveragingAndLedCurrents() throws Exception {
        driver.open();
        assertEquals(0b010_0_1111, bus.readRegister(0x57, 0x08), "SMP_AVE=4, no roll-over");
        assertEquals(0b0_01_011_11, bus.readRegister(0x57, 0x0A), "4096 nA, 400 sps, 411 us");
        assertEquals(0x03, bus.readRegister(0x57, 0x09), "SpO2 mode");
        assertEquals(0x24, bus.readRegister(0x57, 0x0C));
        assertEquals(0x24, bus.readRegister(0x57, 0x0D));
        List<PpgSample> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(100));
            PpgBatch b = driver.read();
            assertEquals(0, b.lostSamples());
            all.addAll(b.samples());
        }
        assertEquals(200, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).tNanos() > all.get(i - 1).tNanos());
        }
        assertEquals(10_000_000L, all.get(9).tNanos() - all.get(8).tNanos());
    }

    @Test
    void wrongPartIdIsAnIdentificationFault() {
        bus.attach(0x57, new RegisterDevice() {
            @Override
            public int read(int register) {
                return register == 0xFF ? 0x11 : 0; // a MAX30100
            }

            @Override
            public void write(int register, int value) {
            }
        });
        SensorFault f = assertThrows(SensorFault.class, driver::open);
        assertEquals(FaultCode.WRONG_PART, f.code());
        assertEquals(FaultCode.WRONG_PART, driver.status().fault());
    }

    @Test
    void missingPartIsNoAck() {
        bus.detach(0x57);
        assertEquals(FaultCode.NO_ACK, assertThrows(SensorFault.class, driver::open).code());
    }

    @Test
    void burstReadWrapsAroundTheEndOfTheFifo() throws Exception {
        driver.open();
        part.setPointers(28, 28);
        clock.advance(Duration.ofMillis(100));
        PpgBatch b = driver.read();
        assertEquals(10, b.samples().size());
        assertEquals(6, bus.readRegister(0x57, 0x04), "write pointer wrapped 28 -> 6");
        assertEquals(6, bus.readRegister(0x57, 0x06), "read pointer followed");
        for (PpgSample s : b.samples()) {
            assertTrue(s.ir() > 100_000 && s.ir() < 140_000, "a plausible IR level, not stale zeros: " + s);
        }
    }

    @Test
    void overflowIsReportedAndNeverFilledIn() throws Exception {
        driver.open();
        clock.advance(Duration.ofSeconds(1)); // 100 samples into a 32-deep FIFO
        PpgBatch b = driver.read();
        assertEquals(32, b.samples().size());
        assertEquals(31, b.lostSamples(), "68 lost, counter saturates at 31");
        assertTrue(b.overflowed());
        clock.advance(Duration.ofMillis(100));
        PpgBatch next = driver.read();
        assertEquals(10, next.samples().size());
        assertEquals(0, next.lostSamples());
    }

    @Test
    void stuckFifoBecomesAFaultAfterOneSecond() throws Exception {
        driver.open();
        part.inject(TwinFault.STUCK);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(100));
            assertEquals(0, driver.read().samples().size());
        }
        clock.advance(Duration.ofMillis(100));
        assertEquals(FaultCode.STUCK, assertThrows(SensorFault.class, driver::read).code());
        part.inject(TwinFault.NONE);
        driver.open();
        clock.advance(Duration.ofMillis(100));
        assertEquals(10, driver.read().samples().size());
        assertTrue(driver.status().isOk());
    }

    @Test
    void dieTemperatureReadsTheCompletedConversion() throws Exception {
        driver.open();
        assertTrue(Double.isNaN(driver.dieTemperature()), "first call only starts a conversion");
        clock.advance(Duration.ofMillis(50));
        double t = driver.dieTemperature();
        assertTrue(t > 27 && t < 36, "die temperature " + t);
        assertEquals(0, (t * 16) % 1, 1e-9, "0.0625 C steps");
    }

    @Test
    void pulseInTheIrSignalIsAtTheModelsHeartRate() throws Exception {
        driver.open();
        List<PpgSample> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofMillis(100));
            all.addAll(driver.read().samples());
        }
        DogState s = dog.stateAt(clock.instantAt(10_000_000_000L));
        double[] x = all.stream().mapToDouble(PpgSample::ir).toArray();
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        int bestLag = 0;
        double best = -1;
        for (int lag = 20; lag <= 120; lag++) { // 50..300 bpm
            double c = 0;
            for (int i = 0; i + lag < x.length; i++) {
                c += (x[i] - mean) * (x[i + lag] - mean);
            }
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        double bpm = 6000.0 / bestLag;
        assertTrue(Math.abs(bpm - s.heartRateBpm()) < 8, bpm + " bpm measured, model says " + s.heartRateBpm());
    }

    @Test
    void busErrorsMidReadAreFaultsNotExceptions() throws Exception {
        driver.open();
        bus.attach(0x57, new RegisterDevice() {
            @Override
            public int read(int register) throws BusException {
                throw new BusException("arbitration lost", false);
            }

            @Override
            public void write(int register, int value) {
            }
        });
        assertEquals(FaultCode.BUS_ERROR, assertThrows(SensorFault.class, driver::read).code());
    }
}
