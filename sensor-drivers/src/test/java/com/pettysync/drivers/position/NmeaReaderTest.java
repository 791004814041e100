package com.pettysync.drivers.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.twin.NmeaTwin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real-world sentences (checksums as published) and the edge cases of epochs and counting. */
class NmeaReaderTest {

    static List<Fix> feed(NmeaReader r, String... lines) {
        List<Fix> out = new ArrayList<>();
        for (String l : lines) {
            byte[] b = (l + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            out.addAll(r.accept(b, 0, b.length, 0));
        }
        out.addAll(r.flush(0));
        return out;
    }

    static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void sirfGgaRmcGsaOfOneTimeAreOneEpoch() {
        NmeaReader r = new NmeaReader();
        List<Fix> fixes = feed(r,
                "$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*76",
                "$GPGSA,A,3,10,07,05,02,29,04,08,13,,,,,1.72,1.03,1.38*0A",
                "$GPRMC,092750.000,A,5321.6802,N,00630.3372,W,0.02,31.66,280511,,,A*43");
        assertEquals(1, fixes.size());
        Fix f = fixes.get(0);
        assertEquals(ms("2011-05-28T09:27:50Z"), f.utcMillis());
        assertEquals(533613367, f.latE7());
        assertEquals(-65056200, f.lonE7());
        assertEquals(26, f.haccDm()); // HDOP 1.03 × 2.5 m
        assertEquals(1, f.quality());
        assertEquals(8, f.sats());
        assertEquals(new NmeaCounters(3, 0, 0, 0), r.counters());
    }

    @Test
    void southernAndEasternHemispheresFromAnOldNmea2Rmc() {
        List<Fix> fixes = feed(new NmeaReader(),
                "$GPRMC,081836,A,3751.65,S,14507.36,E,000.0,360.0,130998,011.3,E*62");
        assertEquals(1, fixes.size());
        Fix f = fixes.get(0);
        assertEquals(ms("1998-09-13T08:18:36Z"), f.utcMillis());
        assertEquals(-378608333, f.latE7());
        assertEquals(1451226667, f.lonE7());
        assertNull(f.quality());
        assertNull(f.sats());
        assertNull(f.haccDm());
        assertEquals("{\"t\":905674716000,\"lat_e7\":-378608333,\"lon_e7\":1451226667}", f.toJson());
    }

    @Test
    void northWestAndUbloxMultiGnssTalker() {
        List<Fix> fixes = feed(new NmeaReader(),
                "$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68",
                "$GNRMC,001031.00,A,4404.13993,N,12118.86023,W,0.146,,100117,,,A*7B",
                "$GNGGA,001043.00,4404.14036,N,12118.85961,W,1,12,0.98,1113.0,M,-21.3,M,,*47");
        assertEquals(3, fixes.size());
        assertEquals(ms("1994-11-19T22:54:46Z"), fixes.get(0).utcMillis());
        assertEquals(492741667, fixes.get(0).latE7());
        assertEquals(-1231853333, fixes.get(0).lonE7());
        assertEquals(ms("2017-01-10T00:10:31Z"), fixes.get(1).utcMillis());
        Fix gga = fixes.get(2);
        assertEquals(ms("2017-01-10T00:10:43Z"), gga.utcMillis()); // date of the latest RMC
        assertEquals(12, gga.sats());
        assertTrue(Math.abs(gga.haccDm() - 24.5) <= 0.5, "HDOP 0.98 × 2.5 m");
        assertEquals(440690060, gga.latE7());
        assertEquals(-1213143268, gga.lonE7());
    }

    @Test
    void emptyFieldsBeforeTheFirstFixGiveNothingAndAreNotErrors() {
        NmeaReader r = new NmeaReader();
        List<Fix> fixes = feed(r, "$GPGGA,,,,,,0,00,99.99,,,,,,*48",
                NmeaTwin.withChecksum("GNRMC,120000.00,V,,,,,,,010626,,,N,V").strip(),
                NmeaTwin.withChecksum("GNGGA,120000.00,,,,,0,00,99.99,,,,,,").strip());
        assertEquals(List.of(), fixes);
        assertEquals(new NmeaCounters(3, 0, 0, 0), r.counters());
    }

    @Test
    void gstStandardDeviationsGiveTheAccuracy() {
        List<Fix> fixes = feed(new NmeaReader(),
                NmeaTwin.withChecksum("GNRMC,082356.00,A,5231.2000,N,01324.3000,E,0.1,,010626,,,A,V").strip(),
                NmeaTwin.withChecksum("GNGGA,082356.00,5231.2000,N,01324.3000,E,1,09,3.00,40.0,M,45.0,M,,").strip(),
                NmeaTwin.withChecksum("GNGST,082356.00,1.8,,,,1.7,1.3,2.2").strip());
        assertEquals(1, fixes.size());
        assertEquals(21, fixes.get(0).haccDm()); // sqrt(1.7² + 1.3²) = 2.14 m, not HDOP 3 × 2.5
    }

    @Test
    void ggaAfterMidnightTakesTheNextDayOfTheLastRmc() {
        List<Fix> fixes = feed(new NmeaReader(),
                NmeaTwin.withChecksum("GNRMC,235959.00,A,5231.2000,N,01324.3000,E,0.1,,311224,,,A,V").strip(),
                NmeaTwin.withChecksum("GNGGA,000000.00,5231.2000,N,01324.3000,E,1,09,1.00,40.0,M,45.0,M,,").strip(),
                NmeaTwin.withChecksum("GNGGA,000001.00,5231.2000,N,01324.3000,E,1,09,1.00,40.0,M,45.0,M,,").strip());
        assertEquals(List.of(ms("2024-12-31T23:59:59Z"), ms("2025-01-01T00:00:00Z"), ms("2025-01-01T00:00:01Z")),
                fixes.stream().map(Fix::utcMillis).toList());
    }

    @Test
    void epochsBeforeAnyDateAreSkipped() {
        List<Fix> fixes = feed(new NmeaReader(),
                NmeaTwin.withChecksum("GNGGA,100000.00,5231.2000,N,01324.3000,E,1,09,1.00,40.0,M,45.0,M,,").strip(),
                NmeaTwin.withChecksum("GNRMC,100001.00,A,5231.2000,N,01324.3000,E,0.1,,010626,,,A,V").strip());
        assertEquals(List.of(ms("2026-06-01T10:00:01Z")), fixes.stream().map(Fix::utcMillis).toList());
    }

    @Test
    void ggaWithQualityZeroAndRmcVoidAreNoFix() {
        List<Fix> fixes = feed(new NmeaReader(),
                NmeaTwin.withChecksum("GNRMC,100000.00,V,5231.2000,N,01324.3000,E,0.1,,010626,,,N,V").strip(),
                NmeaTwin.withChecksum("GNGGA,100000.00,5231.2000,N,01324.3000,E,0,03,9.00,40.0,M,45.0,M,,").strip());
        assertEquals(List.of(), fixes);
    }

    @Test
    void badPartialOverlongUnknownAndJunkAreCountedAndSkipped() {
        NmeaReader r = new NmeaReader();
        String good = "$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68";
        List<Fix> fixes = feed(r,
                good.replace("*68", "*69"), // bad checksum
                good.substring(0, 30), // partial
                "$GPRMC,225446,A," + "1".repeat(120) + "*00", // over-long
                "$GPGSV,1,1,00*79", // unknown type, valid
                "$PUBX,00*33", // proprietary
                "\u00b5b\u0001\u0007junk", // binary bytes outside a sentence
                "$GPRMC,2254$GPGSV,1,1,00*79", // a new '$' cuts a partial line
                good);
        assertEquals(1, fixes.size(), "only the last good sentence makes a fix");
        NmeaCounters c = r.counters();
        assertEquals(9, c.sentences());
        assertEquals(1, c.badChecksum());
        assertEquals(3, c.unknown());
        assertEquals(8, c.skipped() + c.badChecksum());
    }

    @Test
    void lowercaseHexChecksumIsAccepted() {
        List<Fix> fixes = feed(new NmeaReader(), "$GPGSA,A,3,10,07,05,02,29,04,08,13,,,,,1.72,1.03,1.38*0a",
                "$GPRMC,092750.000,A,5321.6802,N,00630.3372,W,0.02,31.66,280511,,,A*43");
        assertEquals(1, fixes.size());
    }

    @Test
    void bytesSplitAnywhereGiveTheSameFixes() {
        String text = "$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*76\r\n"
                + "$GPRMC,092750.000,A,5321.6802,N,00630.3372,W,0.02,31.66,280511,,,A*43\r\n"
                + "$GPRMC,092751.000,A,5321.6802,N,00630.3372,W,0.02,31.66,280511,,,A*42\n";
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        NmeaReader whole = new NmeaReader();
        List<Fix> expected = new ArrayList<>(whole.accept(b, 0, b.length, 0));
        expected.addAll(whole.flush(0));
        NmeaReader bytewise = new NmeaReader();
        List<Fix> actual = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            actual.addAll(bytewise.accept(b, i, 1, 0));
        }
        actual.addAll(bytewise.flush(0));
        assertEquals(2, expected.size());
        assertEquals(expected, actual);
        assertEquals(whole.counters(), bytewise.counters());
    }
}
