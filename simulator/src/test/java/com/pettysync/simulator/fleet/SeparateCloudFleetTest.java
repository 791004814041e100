package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.report.FleetReport;
import com.pettysync.simulator.report.FleetReports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet against a local IoT Core it did not start (what each shard of {@code simulate scale} does): the collars'
 * certificates come from the cloud's CA directory ({@code --ca}), and each shard counts stored, lost and duplicate
 * frames of <em>its own</em> collars from the cloud's store ({@code --frames}), though two shards share the store.
 */
class SeparateCloudFleetTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void twoShardsOnOneSeparateCloudEachCountOnlyTheirOwnFrames() throws Exception {
        Path ca = dir.resolve("shared-ca");
        // CA-only, as `pettysync cloud --no-registry-authentication`: the shards issue their certificates from the
        // shared CA in their own processes, so the cloud's registry never sees them
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).caDirectory(ca)
                .registryAuthentication(false).build().start()) {
            assertTrue(Files.isRegularFile(ca.resolve("ca.pem")), "the CA lives in the shared directory");
            FleetReport a = shard(cloud, ca, 0);
            FleetReport b = shard(cloud, ca, 1);
            for (FleetReport r : List.of(a, b)) {
                var t = r.totals();
                assertEquals(20, t.collars());
                assertTrue(t.framesMade() >= 20, "every collar made a window: " + t);
                assertEquals(t.framesMade(), t.stored(), "this shard's frames, counted in the other process's store");
                assertEquals(0, t.lost());
                assertEquals(0, t.duplicatesStored());
                assertEquals(0, t.invalid());
                assertTrue(r.passed(), r.verdict());
            }
            long inStore = cloud.sink().counts().stream().mapToLong(c -> c.telemetryStored()).sum();
            var merged = FleetReports.merge(List.of(a, b)).totals();
            assertEquals(inStore, merged.stored(), "the shards' counts add up to the store, nothing counted twice");
            assertEquals(merged.framesMade(), merged.stored());
        }
    }

    private FleetReport shard(LocalIotCore cloud, Path ca, int index) throws Exception {
        var options = new FleetSimulation.Options(40, 100, Duration.ofMinutes(10), 120, "localhost", cloud.port(),
                null, List.of(), index, 2, dir.resolve("shard-" + index), null, 8, 1, 2, Duration.ofMillis(500),
                Duration.ofSeconds(60), Instant.parse("2026-06-01T06:58:00Z"), ca, cloud.framesFile(), null);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        FleetReport r = new FleetSimulation(options, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
        System.out.println(text.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("[sim"))
                .reduce("", (x, y) -> x + y + "\n"));
        return r;
    }
}
