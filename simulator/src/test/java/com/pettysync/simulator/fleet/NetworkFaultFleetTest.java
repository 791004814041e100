package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.simulator.report.FleetReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A fleet through a bad network ({@code net:} fault): slower, but every frame stored once. */
class NetworkFaultFleetTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void latencyAndLossOnLoopbackLoseNothing() throws Exception {
        var options = new FleetSimulation.Options(40, 100, Duration.ofMinutes(20), 60, null, 8883, null,
                List.of(Fault.parse("net:120ms/10%@3m+10m")), 0, 1, dir.resolve("out"), null, 8, 2, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(90), Instant.parse("2026-06-01T06:58:00Z"), null, null, null);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        FleetReport r = new FleetSimulation(options, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
        String out = text.toString(StandardCharsets.UTF_8);
        var t = r.totals();
        assertTrue(r.passed(), r.verdict() + "\n" + out);
        assertEquals(0, t.lost());
        assertEquals(0, t.duplicatesStored());
        assertEquals(t.framesMade(), t.stored());
        assertTrue(t.framesMade() >= 40 * 3, "windows kept closing: " + t.framesMade());
        assertTrue(out.contains("impaired link"), out);
        assertTrue(out.contains("network impaired for") && out.contains("network clean again"),
                "the fault was applied and lifted: " + out);
    }
}
