package com.pettysync.drivers.battery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.twin.FakeI2cBus;
import com.pettysync.drivers.twin.FakeMax17048;
import com.pettysync.drivers.twin.RegisterDevice;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.TwinFault;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Max17048Test {
    final SimulatedClock clock = new SimulatedClock(Instant.EPOCH);

    static RegisterDevice words(Map<Integer, Integer> w) {
        return new RegisterDevice() {
            @Override
            public int read(int register) {
                int v = w.getOrDefault(register & ~1, 0);
                return (register & 1) == 0 ? v >> 8 : v & 0xFF;
            }

            @Override
            public void write(int register, int value) {
            }
        };
    }

    @Test
    void convertsVcellAndSocPerDatasheetUnits() throws Exception {
        // 0xD000 × 78.125 µV = 4.16 V; 0x3A80 / 256 = 58.5 %
        FakeI2cBus bus = new FakeI2cBus().attach(0x36, words(Map.of(0x02, 0xD000, 0x04, 0x3A80, 0x08, 0x0012)));
        Max17048 gauge = new Max17048(bus, clock);
        gauge.open();
        BatteryReading r = gauge.read();
        assertEquals(4.16, r.volts(), 1e-9);
        assertEquals(58.5, r.stateOfChargePercent(), 1e-9);
    }

    @Test
    void wrongVersionIsWrongPartAndImpossibleVoltageOutOfRange() throws Exception {
        Max17048 other = new Max17048(new FakeI2cBus().attach(0x36, words(Map.of(0x08, 0x0023))), clock);
        assertEquals(FaultCode.WRONG_PART, assertThrows(SensorFault.class, other::open).code());
        Max17048 low = new Max17048(new FakeI2cBus().attach(0x36, words(Map.of(0x08, 0x0011, 0x02, 0x6000))), clock);
        low.open();
        assertEquals(FaultCode.OUT_OF_RANGE, assertThrows(SensorFault.class, low::read).code());
    }

    @Test
    void twinDrainsAndRecoversFromNack() throws Exception {
        FakeMax17048 part = new FakeMax17048(clock, 80, 2.5);
        Max17048 gauge = new Max17048(new FakeI2cBus().attach(0x36, part), clock);
        gauge.open();
        BatteryReading before = gauge.read();
        clock.advance(Duration.ofHours(4));
        BatteryReading after = gauge.read();
        assertEquals(70, after.stateOfChargePercent(), 0.01);
        assertEquals(true, after.volts() < before.volts());
        part.inject(TwinFault.NACK);
        assertEquals(FaultCode.NO_ACK, assertThrows(SensorFault.class, gauge::read).code());
        part.inject(TwinFault.NONE);
        gauge.open();
        assertEquals(true, gauge.read().volts() > 3.5);
    }
}
