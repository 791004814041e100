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
        var options = new ScaleRun.Options(40, 1, 2, 14_000, 4_000, 60, Duration.ofMinutes(60), 40, 2, port, dir,
                Duration.ofSeconds(1), Duration.ofSeconds(60), 8, jvm, jvm, 1);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ScaleRun run = new ScaleRun(options, new PrintStream(text, true, StandardCharsets.UTF_8));
        boolean passed = run.run();
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
    }

    @Test
    void shardsAreSpreadOverBrokersInBlocksAndCountsFollowTheFileLimits() {
        var o = new ScaleRun.Options(28_000, 0, 0, 14_000, 4_000, 1, Duration.ofMinutes(45), 45, 4, 18_900,
                Path.of("x"), Duration.ofSeconds(10), Duration.ofSeconds(120), 8, List.of(), List.of(), 2);
        assertEquals(2, o.brokerCount());
        assertEquals(8, o.shardCount(), "7 by the file limit, rounded up to a multiple of the brokers");
        assertEquals(List.of(0, 0, 0, 0, 1, 1, 1, 1),
                java.util.stream.IntStream.range(0, 8).map(o::brokerOf).boxed().toList());
        var few = new ScaleRun.Options(100, 3, 1, 14_000, 4_000, 1, Duration.ofMinutes(45), 45, 4, 18_900,
                Path.of("x"), Duration.ofSeconds(10), Duration.ofSeconds(120), 8, List.of(), List.of(), 2);
        assertEquals(3, few.shardCount(), "at least one shard per broker");
    }
}
