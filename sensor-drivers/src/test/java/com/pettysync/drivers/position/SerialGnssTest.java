package com.pettysync.drivers.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.NmeaTwin;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.TwinFault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SerialGnssTest {
    final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T10:00:00Z"));
    final NmeaTwin twin = new NmeaTwin(clock, new DogBehaviourModel(9, -33.86, 151.21), 9); // Sydney: S and E
    final SerialGnss gnss = new SerialGnss(twin, clock);

    List<Fix> run(int seconds) throws SensorFault {
        List<Fix> out = new ArrayList<>();
        for (int i = 0; i < seconds * 4; i++) {
            clock.advance(Duration.ofMillis(250));
            out.addAll(gnss.read());
        }
        return out;
    }

    @Test
    void liveModeGivesOneFixPerSecondInTheSouthernHemisphere() throws SensorFault {
        gnss.open();
        List<Fix> fixes = run(30);
        assertEquals(30, fixes.size(), 1);
        for (Fix f : fixes) {
            assertTrue(f.latE7() < -330_000_000 && f.lonE7() > 1_510_000_000, f.toJson());
            assertEquals(1, f.quality());
        }
    }

    @Test
    void noFixIsNotAFaultAndGarbledIs() throws SensorFault {
        gnss.open();
        twin.inject(TwinFault.NO_FIX);
        assertEquals(List.of(), run(10));
        assertTrue(gnss.status().isOk());
        twin.inject(TwinFault.GARBLED);
        SensorFault f = assertThrows(SensorFault.class, () -> run(60));
        assertEquals(FaultCode.CORRUPT_DATA, f.code());
    }

    @Test
    void silenceIsNoDataAndStaysFaultedAcrossReopen() throws SensorFault {
        gnss.open();
        twin.inject(TwinFault.NACK);
        assertEquals(FaultCode.NO_DATA, assertThrows(SensorFault.class, () -> run(10)).code());
        gnss.open();
        assertThrows(SensorFault.class, gnss::read);
        twin.inject(TwinFault.NONE);
        for (int i = 0; i < 12; i++) { // as the poller would: re-open and read until the receiver talks again
            clock.advance(Duration.ofMillis(250));
            try {
                gnss.open();
                gnss.read();
            } catch (SensorFault stillSilent) {
                // retried on the next step
            }
        }
        assertTrue(gnss.status().isOk());
    }

    @Test
    void generatedSentencesRoundTripThroughTheReader() {
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < 5000; i++) {
            double lat = r.nextDouble(-89.9, 89.9);
            double lon = r.nextDouble(-179.9, 179.9);
            // RMC years have two digits; the reader puts 80..99 in the 1900s, so 2000..2079 round-trips
            Instant t = Instant.ofEpochSecond(r.nextLong(946_684_800L, 3_471_292_800L));
            NmeaReader reader = new NmeaReader();
            List<Fix> fixes = new ArrayList<>();
            for (String line : NmeaTwin.sentences(t, true, lat, lon, 10, 1.2, 1)) {
                byte[] b = line.getBytes(StandardCharsets.US_ASCII);
                fixes.addAll(reader.accept(b, 0, b.length, 0));
            }
            fixes.addAll(reader.flush(0));
            assertEquals(1, fixes.size());
            Fix f = fixes.get(0);
            assertEquals(t.toEpochMilli(), f.utcMillis());
            assertEquals(lat * 1e7, f.latE7(), 2, "5-decimal minutes are 1.7e-7 degrees");
            assertEquals(lon * 1e7, f.lonE7(), 2);
            assertEquals(30, f.haccDm());
            assertEquals(10, f.sats());
        }
    }
}
