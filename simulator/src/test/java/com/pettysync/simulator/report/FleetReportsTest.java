package com.pettysync.simulator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.simulator.cli.SimulatorCommands;
import com.pettysync.simulator.fleet.FleetTally;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Shard reports merge exactly (counts, latency histograms, worst collars), and {@code simulate merge} works. */
class FleetReportsTest {
    @TempDir
    Path dir;

    static FleetReport shard(int i, int n, long made, long stored, long latencyMicros) {
        Histogram h = new Histogram(3);
        for (int k = 0; k < stored; k++) {
            h.recordValue(latencyMicros);
        }
        var totals = new FleetReport.Totals(10, made, made + 2, made, stored, made - stored, 0, 2, 0, 0, 10, 0, 0, 0,
                10, 30, 3600, 5, 2, stored / 30.0, latencyMicros, latencyMicros, latencyMicros, 1 << 20);
        var cfg = new FleetReport.Config(10 * n, i + "/" + n, 100, 3600, 120, List.of(), "2026-06-01T06:58:00Z");
        var line = new FleetReport.CollarLine("collar-00000" + i, made / 10, stored / 10, made - stored, 0, 0,
                0);
        return new FleetReport(1, "local", cfg, totals,
                List.of(new FleetReport.Point(0, 0, 0, 0, 0, 0, 0), new FleetReport.Point(30, 3600, 10, made, made,
                        made, stored)),
                FleetReport.encode(h), List.of(line),
                FleetTally.cost(made, 600, stored, Duration.ofHours(1)), List.of("fault " + i));
    }

    @Test
    void countsAddUpAndLatenciesMergeExactly() {
        FleetReport merged = FleetReports.merge(List.of(shard(0, 2, 120, 120, 1000), shard(1, 2, 120, 119, 3000)));
        var t = merged.totals();
        assertEquals(2, merged.shards());
        assertEquals(20, t.collars());
        assertEquals(240, t.framesMade());
        assertEquals(239, t.stored());
        assertEquals(1, t.lost());
        assertEquals(4, t.duplicatesDropped());
        assertEquals(239, merged.latency().getTotalCount());
        assertEquals(3000, merged.latency().getValueAtPercentile(99), 3000 * 0.001);
        assertEquals("collar-000001", merged.worstCollars().getFirst().thing(), "the lossy shard's collar first");
        assertEquals(20, merged.timeline().getLast().connected());
        assertFalse(merged.passed());
        assertTrue(merged.verdict().startsWith("240 frames sent, 239 stored, 1 lost, 0 duplicate"));
        assertEquals(2, merged.faultsApplied().size());
    }

    @Test
    void mergeCommandWritesTheMergedReportAndExitsByTheVerdict() throws Exception {
        Path a = dir.resolve("a/report.json");
        Path b = dir.resolve("b/report.json");
        shard(0, 2, 120, 120, 1000).write(a);
        shard(1, 2, 120, 120, 2000).write(b);
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new SimulatorCommands().commands().get(1));
        cli.setOut(new PrintWriter(text, true));
        int exit = cli.execute("merge", a.toString(), b.toString(), "--out", dir.resolve("m").toString());
        assertEquals(0, exit, text.toString());
        assertTrue(text.toString().contains("240 frames sent, 240 stored, 0 lost, 0 duplicate"), text.toString());
        FleetReport merged = FleetReport.read(dir.resolve("m/report.json"));
        assertEquals(240, merged.totals().stored());
        String html = Files.readString(dir.resolve("m/report.html"));
        assertTrue(html.contains("<svg") && html.contains("collar-000000"));
        assertFalse(html.contains("<script"), "self-contained, no scripts");

        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int bad = cli.execute("merge", dir.resolve("missing.json").toString());
        assertTrue(bad != 0, "a missing report is an error");
    }
}
