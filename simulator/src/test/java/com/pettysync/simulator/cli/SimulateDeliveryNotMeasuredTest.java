package com.pettysync.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.cli.Pettysync;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.report.FleetReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate} against a broker it cannot count in (a local cloud in another process, no {@code --frames}): the
 * frames are sent and acknowledged, but loss and duplicates are unknown — the verdict and the report say "not
 * measured" and the exit status is {@link SimulateExit#NOT_MEASURED}, never a pass.
 */
class SimulateDeliveryNotMeasuredTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aRunWithoutAFrameStoreSaysNotMeasuredAndExitsWithItsOwnCode() throws Exception {
        Path ca = dir.resolve("ca");
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).caDirectory(ca)
                .registryAuthentication(false).build().start()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Path reportDir = dir.resolve("report");
            int rc = Pettysync.execute(new String[] {"simulate", "--collars", "10", "--target",
                    "localhost:" + cloud.port(), "--ca", ca.toString(), "--duration", "10m", "--speedup", "120",
                    "--progress-every", "1s", "--out", reportDir.toString()}, List.of(new SimulatorCommands()),
                    new PrintWriter(out, true), new PrintWriter(err, true));
            String printed = out.toString();

            assertEquals(SimulateExit.NOT_MEASURED, rc, printed + err);
            assertTrue(printed.contains("lost: not measured, duplicate: not measured"), printed);
            FleetReport report = FleetReport.read(reportDir.resolve("report.json"));
            assertEquals(FleetReport.Delivery.NOT_MEASURED, report.delivery());
            assertEquals(-1, report.totals().lost());
            assertEquals(-1, report.totals().duplicatesStored());
            assertTrue(report.totals().acknowledged() >= 10, "the frames did go out: " + report.totals());
            // the frames are in the cloud's store all the same: only this run could not see them
            assertTrue(cloud.sink().storedSinceOpen() >= 10);

            // the operator who knows it (a Kubernetes Job against AWS) asks for 0; the verdict still says so
            StringWriter again = new StringWriter();
            int ok = Pettysync.execute(new String[] {"simulate", "merge", reportDir.resolve("report.json").toString(),
                    "--unmeasured-ok", "--out", dir.resolve("merged").toString()}, List.of(new SimulatorCommands()),
                    new PrintWriter(again, true), new PrintWriter(err, true));
            assertEquals(SimulateExit.VERIFIED, ok, again + err.toString());
            assertTrue(again.toString().contains("lost: not measured, duplicate: not measured"), again.toString());
        }
    }
}
