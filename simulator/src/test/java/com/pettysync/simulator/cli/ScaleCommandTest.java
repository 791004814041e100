package com.pettysync.simulator.cli;

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

/** {@code simulate scale} checks this machine's limits before it starts anything. */
class ScaleCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pettysync.execute(args, List.of(new SimulatorCommands()), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void aFleetNoLoopbackCanHoldIsRefusedWithWhatIsShortAndNothingStarts() {
        Path runDir = dir.resolve("run");
        // 10 million connections need ~394 source addresses of 90 % of 28,232 ports: past 127.0.0.254 on any machine
        int rc = run("simulate", "scale", "--collars", "10000000", "--out", runDir.toString());
        assertEquals(SimulateExit.MACHINE_TOO_SMALL, rc, out + "" + err);
        assertTrue(out.toString().contains("loopback source addresses: needs "), out.toString());
        assertTrue(out.toString().contains("nothing started (exit 5)"), out.toString());
        assertTrue(!Files.exists(runDir), "no run directory, no process");
    }

    @Test
    void aDryRunPrintsThePlanAndStartsNothing() {
        Path runDir = dir.resolve("run");
        int rc = run("simulate", "scale", "--collars", "100", "--dry-run", "--out", runDir.toString());
        String printed = out.toString();
        assertTrue(printed.startsWith("plan for 100 collars"), printed);
        assertTrue(printed.contains("brokers: 1 process(es) on localhost:18900–18900"), printed);
        assertTrue(printed.contains("source addresses: 127.0.0.1–127.0.0.1"), printed);
        assertEquals(printed.contains("check: SHORT") ? SimulateExit.MACHINE_TOO_SMALL : SimulateExit.VERIFIED, rc);
        assertTrue(!Files.exists(runDir), "no run directory, no process");
    }
}
