package com.pettysync.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.agent.cli.AgentCommands;
import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.recovery.ExportCommands;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pettysync agent export} and {@code pettysync cloud import} as a field engineer runs them. */
class RecoveryCommandsTest {
    @TempDir
    Path tmp;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Pettysync.execute(args, List.of(new AgentCommands(), new ExportCommands(), new SimulatorCommands(),
                new RecoveryCommands()), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private JsonNode json() throws Exception {
        return JsonTrees.read(out.toString().strip());
    }

    @Test
    void exportThenImportStoresEachFrameOnceAndACorruptBundleNothing() throws Exception {
        Path data = tmp.resolve("card");
        try (OutboxStore outbox = OutboxStore.open(data, OutboxStore.Options.withCapacity(100), Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                outbox.append(FrameKind.TELEMETRY, (seq, ctx) ->
                        TelemetryFrameCodec.encode(TelemetrySummary.of(seq, 1_767_225_600L + seq * 300, 300)));
            }
        }
        Path bundle = tmp.resolve("collar.bundle");
        assertEquals(0, run("agent", "export", "--data", data.toString(), "--out", bundle.toString(), "--thing",
                "collar-cli-1"), err.toString());
        assertEquals(3, json().path("telemetry").asLong());
        assertEquals("collar-cli-1", json().path("thing").asText());
        assertEquals(2, run("agent", "export", "--data", data.toString(), "--out", bundle.toString()));
        assertTrue(err.toString().contains("exists"), err.toString());

        Path cloud = tmp.resolve("cloud");
        assertEquals(0, run("cloud", "import", bundle.toString(), "--dir", cloud.toString()), err.toString());
        assertEquals(3, json().path("stored").path("telemetry").asLong());
        assertEquals(0, run("cloud", "import", bundle.toString(), "--dir", cloud.toString()), err.toString());
        assertEquals(0, json().path("stored").path("telemetry").asLong());
        assertEquals(3, json().path("duplicates").path("telemetry").asLong());

        byte[] b = Files.readAllBytes(bundle);
        b[b.length - 40] ^= 1;
        Path bad = tmp.resolve("bad.bundle");
        Files.write(bad, b);
        assertEquals(2, run("cloud", "import", bad.toString(), "--dir", cloud.toString()));
        assertTrue(err.toString().contains("nothing was stored"), err.toString());
    }
}
