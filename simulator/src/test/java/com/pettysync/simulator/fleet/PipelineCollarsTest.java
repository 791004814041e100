package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.simulator.cloud.LocalIotCore;
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

/**
 * {@code --pipeline-collars K}: the first K collars run the full signal pipeline (register twins, the real drivers,
 * edge-ml with the TFLite classifier) inside the fleet; their frames carry the classifier's version as
 * {@code fw.model}, the others the fleet's, and nothing is lost either way.
 */
class PipelineCollarsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void theFirstCollarsRunTwinsDriversAndEdgeMlAndEveryFrameIsStoredOnce() throws Exception {
        long modelVersion;
        try (VocalizationClassifier c = VocalizationClassifier.bundled()) {
            modelVersion = c.metadata().version();
        }
        assertNotEquals(1, modelVersion, "the test tells the two kinds apart by fw.model");
        Path ca = dir.resolve("ca");
        // CA-only: the fleet issues its collars' certificates from the CA directory (--ca), unregistered
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).caDirectory(ca)
                .registryAuthentication(false).build().start()) {
            var options = new FleetSimulation.Options(6, 100, Duration.ofMinutes(15), 60, "localhost", cloud.port(),
                    null, List.of(), 0, 1, dir.resolve("out"), null, 8, 2, 1, Duration.ofSeconds(1),
                    Duration.ofSeconds(60), Instant.parse("2026-06-01T06:58:00Z"), ca, cloud.framesFile(), null, 2);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            FleetReport r = new FleetSimulation(options, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
            var t = r.totals();
            assertTrue(r.passed(), r.verdict());
            assertEquals(0, t.lost());
            assertEquals(t.framesMade(), t.stored());
            for (int i = 0; i < 6; i++) {
                String thing = FleetSimulation.thingName(i);
                TelemetrySummary f = TelemetryFrameCodec.validate(TelemetryFrameCodec.decode(
                        cloud.sink().telemetryFrame(thing, 0).orElseThrow(() -> new AssertionError(thing + " seq 0"))));
                assertEquals(i < 2 ? modelVersion : 1, f.fw().model(), thing + " fw.model");
                assertNotNull(f.act(), thing + " activity");
                assertNotNull(f.mood(), thing + " mood");
            }
        }
    }
}
