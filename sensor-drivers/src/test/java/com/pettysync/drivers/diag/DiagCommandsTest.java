package com.pettysync.drivers.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.cli.Pettysync;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagCommandsTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Pettysync.execute(args, List.of(new DiagCommands()), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void simulatedCollarPassesTheFactoryTest() {
        Run r = run("diag", "sensors", "--simulated");
        assertEquals(0, r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(6, lines.size(), r.out());
        for (String sensor : List.of("hr", "motion", "battery", "gnss", "mic")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(sensor + " ") && l.contains(" ok ")), r.out());
        }
        assertEquals("PASS", lines.get(5));
    }

    @Test
    void injectedNackFailsThatSensorWithItsCodeOnly() {
        Run r = run("diag", "sensors", "--simulated", "--fault", "hr:nack");
        assertEquals(1, r.exit(), r.out() + r.err());
        String hr = r.out().lines().filter(l -> l.startsWith("hr ")).findFirst().orElseThrow();
        assertTrue(hr.contains("FAIL") && hr.contains("fault 2"), hr);
        assertTrue(r.out().lines().filter(l -> l.contains(" ok ")).count() == 4, r.out());
    }

    @Test
    void stuckImuAndSilentMicAndGarbledGnssAreReported() {
        Run r = run("diag", "sensors", "--simulated", "--fault", "motion:stuck", "--fault", "mic:silence",
                "--fault", "gnss:garbled");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("motion") && l.contains("fault 4")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("mic") && l.contains("fault 5")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("gnss") && l.contains("FAIL")), r.out());
    }

    @Test
    void noFixIsShownButDoesNotFail() {
        Run r = run("diag", "sensors", "--simulated", "--fault", "gnss:nofix");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("gnss") && l.contains("no fix")), r.out());
    }

    @Test
    void badFaultSpecIsBadInput() {
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("diag", "sensors", "--simulated", "--fault", "hr").exit());
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("diag", "sensors", "--simulated", "--fault", "hr:garbled").exit());
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("diag", "sensors", "--simulated", "--fault", "tail:nack").exit());
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("diag", "sensors", "--fault", "hr:nack").exit());
    }

    @Test
    void nmeaPrintsOneLinePerValidEpochThenCounters(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("in.nmea");
        Files.writeString(f, String.join("\r\n",
                "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
                "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
                "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A",
                "$GPRMC,123520,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*60",
                "$GPRMC,123521,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*00",
                "$GPGSV,1,1,00*79",
                "garbage"));
        Run r = run("diag", "nmea", "--file", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(
                "{\"t\":764426119000,\"lat_e7\":481173000,\"lon_e7\":115166667,\"hacc_dm\":23,\"quality\":1,\"sats\":8}",
                "{\"t\":764426120000,\"lat_e7\":481173000,\"lon_e7\":115166667}",
                "{\"sentences\":7,\"bad_checksum\":1,\"skipped\":2}"), r.out().lines().toList());
    }

    @Test
    void nmeaOfAMissingFileIsBadInput() {
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("diag", "nmea", "--file", "/nonexistent/x.nmea").exit());
    }

    @Test
    void i2cScanOfTheSimulatedBusFindsTheThreeParts() {
        Run r = run("diag", "i2c-scan", "--simulated");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("0x36 MAX17048 fuel gauge", "0x57 MAX30102 PPG", "0x6a LSM6DSOX IMU", "3 device(s)"),
                r.out().lines().toList());
    }
}
