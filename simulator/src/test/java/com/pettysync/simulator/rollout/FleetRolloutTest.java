package com.pettysync.simulator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small rollout through the same code as {@code simulate --rollout}: the abort criterion stops the job before every
 * collar was notified, each collar whose new build fails its health check rolls back by itself and runs its old
 * build, the others run the new one, and the report shows it.
 */
class FleetRolloutTest {
    @TempDir
    Path dir;

    @Test
    void abortCriterionStopsTheRolloutAndFailingCollarsAreBackOnTheirOldBuild() throws Exception {
        RolloutScenario s = new RolloutScenario(40, 10, 7, 8, 4096, "base=2,increment=2,max=20,succeeded=4",
                List.of("failed>5%@min10"), "30m", Duration.ofMinutes(3), Duration.ofMinutes(1),
                Duration.ofSeconds(20), Duration.ofHours(2), 3);
        FleetRollout.Result r = new FleetRollout(s, line -> { }).run();

        assertTrue(r.passed(), r.violations().toString());
        assertEquals("CANCELED", r.jobStatus());
        assertEquals("ABORTED", r.reasonCode());
        assertTrue(r.notReleased() > 0, "the abort came before every collar was notified: " + r.executions());
        List<FleetRollout.CollarResult> failed = r.collars().stream().filter(c -> c.execution().equals("FAILED"))
                .toList();
        assertTrue(!failed.isEmpty());
        for (FleetRollout.CollarResult c : failed) {
            assertTrue(c.failing(), c.thing() + " failed but its build was good");
            assertEquals(7, c.runningBuild());
            assertEquals(7, c.committedBuild());
            assertEquals(3, c.starts(), "start, trial start, back on the old build");
            assertEquals(1, c.events().size());
            assertTrue(c.events().get(0).rolledBack());
        }
        long succeeded = r.collars().stream().filter(c -> c.execution().equals("SUCCEEDED")).peek(c -> {
            assertEquals(8, c.runningBuild());
            assertEquals(8, c.committedBuild());
        }).count();
        assertTrue(succeeded > 0);
        List<Path> files = RolloutReport.write(r, dir);
        assertTrue(Files.readString(files.get(0)).contains("\"reasonCode\" : \"ABORTED\""));
        assertTrue(Files.readString(files.get(1)).contains("<svg"));
    }
}
