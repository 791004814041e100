package com.pettysync.drivers.position;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.twin.NmeaTwin;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 200,000 mutated sentences: nothing escapes, every line is accounted for, and every fix that comes out is
 * physically possible. Half of the mutants get a recomputed checksum so that the field parsers, not only the
 * checksum check, see the damage.
 */
class NmeaFuzzTest {
    static final List<String> SEEDS = List.of(
            "GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,",
            "GPGSA,A,3,10,07,05,02,29,04,08,13,,,,,1.72,1.03,1.38",
            "GPRMC,092750.000,A,5321.6802,N,00630.3372,W,0.02,31.66,280511,,,A",
            "GPRMC,081836,A,3751.65,S,14507.36,E,000.0,360.0,130998,011.3,E",
            "GNGGA,001043.00,4404.14036,N,12118.85961,W,1,12,0.98,1113.0,M,-21.3,M,,",
            "GNGST,082356.00,1.8,,,,1.7,1.3,2.2",
            "GPGGA,,,,,,0,00,99.99,,,,,,",
            "GPGSV,3,1,11,10,63,137,17,07,61,098,15,05,59,290,20,08,54,157,30");

    @Test
    void mutatedSentencesNeverThrowAndAreAllCounted() {
        SplittableRandom random = new SplittableRandom(20261124);
        NmeaReader reader = new NmeaReader();
        long fed = 0;
        int fixes = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations && s.length() > 0; m++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(7)) {
                    case 0 -> s.setCharAt(at, (char) random.nextInt(256));
                    case 1 -> s.deleteCharAt(at);
                    case 2 -> s.insert(at, (char) (' ' + random.nextInt(95)));
                    case 3 -> s.insert(at, "9".repeat(random.nextInt(1, 25)));
                    case 4 -> s.insert(at, ',');
                    case 5 -> s.setLength(at);
                    default -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(1, 40))));
                }
            }
            String line = random.nextBoolean() ? NmeaTwin.withChecksum(s.toString()) : "$" + s + "*00\r\n";
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            fed++;
            for (Fix f : reader.accept(b, 0, b.length, i)) {
                fixes++;
                assertTrue(f.latE7() == null || Math.abs(f.latE7()) <= 900_000_000, f::toString);
                assertTrue(f.lonE7() == null || Math.abs(f.lonE7()) <= 1_800_000_000, f::toString);
                assertTrue(f.haccDm() == null || f.haccDm() >= 0, f::toString);
            }
        }
        reader.flush(0);
        NmeaCounters c = reader.counters();
        assertTrue(c.sentences() >= fed, c.toString());
        assertTrue(c.badChecksum() + c.skipped() <= c.sentences(), c.toString());
        assertTrue(c.badChecksum() > 10_000 && c.skipped() > 10_000, c.toString());
        assertTrue(fixes > 0, "some mutants still carry a valid fix");
    }
}
