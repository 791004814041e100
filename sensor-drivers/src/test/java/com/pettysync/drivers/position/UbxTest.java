package com.pettysync.drivers.position;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.NmeaTwin;
import com.pettysync.drivers.twin.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UbxTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void checksumMatchesPublishedFrames() {
        // UBX-CFG-RATE poll and UBX-CFG-RXM power-save, as printed in u-blox application examples
        assertArrayEquals(hex("B5 62 06 08 00 00 0E 30"), Ubx.frame(0x06, 0x08, new byte[0]));
        assertArrayEquals(hex("B5 62 06 11 02 00 08 01 22 92"), Ubx.frame(0x06, 0x11, new byte[] {0x08, 0x01}));
        assertTrue(Ubx.valid(hex("B5 62 06 11 02 00 08 01 22 92")));
        assertFalse(Ubx.valid(hex("B5 62 06 11 02 00 08 01 22 93")));
    }

    @Test
    void valsetCarriesKeysLittleEndianWithTheirSizes() {
        byte[] f = Ubx.valset(Ubx.CFG_RATE_MEAS, 1000, Ubx.CFG_PM_OPERATEMODE, 0);
        assertArrayEquals(hex("B5 62 06 8A 0F 00 00 01 00 00 01 00 21 30 E8 03 01 00 D0 20 00"),
                java.util.Arrays.copyOf(f, f.length - 2));
        assertTrue(Ubx.valid(f));
    }

    @Test
    void powerOffIsA16BytePmreqWithBackupForceAndUartWake() {
        byte[] f = Ubx.powerOff(0);
        assertArrayEquals(hex("B5 62 02 41 10 00 00 00 00 00 00 00 00 00 06 00 00 00 08 00 00 00"),
                java.util.Arrays.copyOf(f, f.length - 2));
        assertTrue(Ubx.valid(f));
    }

    @Test
    void everyModeReachesTheReceiverTwinAndChangesItsFixInterval() throws SensorFault {
        SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T10:00:00Z"));
        NmeaTwin twin = new NmeaTwin(clock, new DogBehaviourModel(1, 52.5, 13.4), 1);
        SerialGnss gnss = new SerialGnss(twin, clock);
        gnss.open();
        for (GnssPowerMode m : List.of(GnssPowerMode.ECO, GnssPowerMode.NORMAL, GnssPowerMode.OFF, GnssPowerMode.LIVE)) {
            gnss.setPowerMode(m);
        }
        assertEquals(List.of(GnssPowerMode.ECO, GnssPowerMode.NORMAL, GnssPowerMode.OFF, GnssPowerMode.LIVE),
                twin.modeChanges());
        gnss.setPowerMode(GnssPowerMode.ECO);
        int fixes = 0;
        for (int s = 0; s <= 600; s++) { // the last read finds the port quiet and completes the 10th epoch
            clock.advance(Duration.ofSeconds(1));
            fixes += gnss.read().size();
        }
        assertEquals(10, fixes, "one fix a minute in eco");
    }

    @Test
    void valsetIsConfirmedByTheReceiversAck() throws SensorFault {
        SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T10:00:00Z"));
        NmeaTwin twin = new NmeaTwin(clock, new DogBehaviourModel(1, 52.5, 13.4), 1);
        SerialGnss gnss = new SerialGnss(twin, clock);
        gnss.open();
        gnss.setPowerMode(GnssPowerMode.NORMAL);
        assertFalse(gnss.powerModeConfirmed());
        clock.advance(Duration.ofMillis(100));
        gnss.read();
        assertTrue(gnss.powerModeConfirmed());
        assertEquals(1, gnss.acks());
        assertEquals(0, gnss.naks());
        gnss.setPowerMode(GnssPowerMode.OFF);
        assertTrue(gnss.powerModeConfirmed(), "backup is not acknowledged by the receiver");
    }
}
