package com.pettysync.simulator.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.report.FleetReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate scale} for real, tiny: one {@code pettysync cloud} process and two fleet shard processes (JVMs
 * started by the run), 40 collars at ×60, stopped after one full window with every collar connected. Every frame is
 * stored once (by the shards' reports and by the broker's store itself), and no process outlives the run.
 */
class ScaleRunTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void oneBrokerTwoShardsStoreEveryFrameOnceAndLeaveNoProcessBehind() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> jvm = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");
        ScalePlan plan = ScalePlan.size(new ScalePlan.Request(40, 1, 2, 0, 0, 2, port, 3), MachineLimits.read(),
                ResourceBudget.MEASURED);
        var options = new ScaleRun.Options(60, Duration.ofMinutes(60), 1, 40, dir, Duration.ofSeconds(1),
                Duration.ofSeconds(60), 8, jvm, jvm);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ScaleRun run = new ScaleRun(plan, options, new PrintStream(text, true, StandardCharsets.UTF_8));
        ScaleReport.Outcome outcome = run.run();
        boolean passed = outcome.passed();
        String printed = text.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertTrue(passed, printed);
        assertEquals(3, run.childPids().size(), "1 broker + 2 fleet processes");
        for (long pid : run.childPids()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " ended");
        }
        JsonNode scale = new ObjectMapper().readTree(dir.resolve("scale.json").toFile());
        long made = scale.get("framesMade").asLong();
        assertTrue(made >= 40, "every collar made at least one window: " + scale);
        assertEquals(made, scale.get("framesStored").asLong());
        assertEquals(made, scale.get("brokerStoresTelemetryFrames").asLong(), "the broker's own store agrees");
        assertEquals(0, scale.get("framesLost").asLong());
        assertEquals(0, scale.get("duplicatesStored").asLong());
        assertEquals(0, scale.get("brokerStoresDuplicateRows").asLong());
        assertTrue(scale.get("fullWindowsAllConnected").asLong() >= 1, scale.toString());
        assertTrue(scale.get("peakOpenFiles").has("shard-1"), "resources sampled per process: " + scale);
        FleetReport merged = FleetReport.read(dir.resolve("merged").resolve("report.json"));
        assertEquals(2, merged.shards());
        assertEquals(40, merged.totals().collars());
        assertTrue(printed.contains(made + " frames sent, " + made + " stored, 0 lost, 0 duplicate"), printed);
        assertEquals("VERIFIED", scale.get("delivery").asText());
        assertTrue(scale.get("connectsPerS").asDouble() > 0, scale.toString());
        assertTrue(scale.has("rampCpuCoresBroker") && scale.has("pubackP99Ms"), scale.toString());
        JsonNode wire = scale.get("wireBytesPerCollarDay");
        if (wire.isTextual()) { // a machine without iproute2's ss
            assertTrue(wire.asText().startsWith("not measured (iproute2's ss"), wire.toString());
        } else { // the brokers' socket counters over the steady window
            assertEquals(40, wire.get("sockets").asInt(), wire.toString());
            assertTrue(wire.get("up").asLong() > 0 && wire.get("down").asLong() > 0, wire.toString());
        }
    }
}
