package com.pettysync.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.cli.Pettysync;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.archive.ArchiveScenario;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pettysync cloud archive / report / dataset} on a stored day, in the order the README's sequence runs them. */
class CloudDataCommandsTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Pettysync.execute(args, List.of(new SimulatorCommands()), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void archiveThenReportThenDataset() throws Exception {
        Path cloud = tmp.resolve("cloud");
        try (IngestSink sink = IngestSink.open(cloud.resolve("frames.db"), new MutableClock(ArchiveScenario.DURING_DAY))) {
            ArchiveScenario.store(sink, "collar-0001");
            ArchiveScenario.store(sink, "collar-0002");
        }
        String dir = cloud.toString();
        // 2026-06-01 and 06-02 are long complete by the real clock; both days are archived
        assertEquals(0, run("cloud", "archive", "--dir", dir), err.toString());
        assertTrue(out.toString().startsWith("archived 4 collar-days (4 written, 0 already complete): 20 frames, "
                + "2 events, 2 clips, 2 raw chunks"), out.toString());
        assertEquals(0, run("cloud", "archive", "--dir", dir));
        assertTrue(out.toString().startsWith("archived 0 collar-days"), "nothing left: " + out);

        Path json = tmp.resolve("delivery.json");
        Path html = tmp.resolve("delivery.html");
        assertEquals(0, run("cloud", "report", "--dir", dir, "--day", "2026-06-01", "--json", json.toString(),
                "--html", html.toString()), err.toString());
        assertTrue(out.toString().contains("delivery 2026-06-01: 2 collars, 0 complete, 0 silent; 18 of 576 frames"),
                out.toString());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, report.at("/collars/0/seq_gaps").asLong(), "read back from the archive's manifests");
        assertEquals(1, report.at("/collars/0/clips_joined").asLong());
        assertTrue(Files.readString(html).contains("<svg id=\"delivered-histogram\""));

        Path set = tmp.resolve("set");
        assertEquals(0, run("cloud", "dataset", "--dir", dir, "--since", "2026-06-01", "--out", set.toString()),
                err.toString());
        List<String> labels = Files.readAllLines(set.resolve("labels.csv"));
        assertEquals("file,thing,time,t0_ms,duration_ms,label,conf_pct,mood,mood_conf_pct,corrected", labels.get(0));
        assertEquals(3, labels.size());
        assertTrue(labels.get(1).startsWith("clips/collar-0001_7.wav,collar-0001,2026-06-01T00:10:10Z,"), labels.get(1));
        assertTrue(labels.get(1).endsWith(",bark,64,happy,71,"), "on-device label, mood, empty corrected: " + labels);
        assertEquals(44 + 1280, Files.size(set.resolve("clips/collar-0001_7.wav")));
        assertEquals(0, run("cloud", "dataset", "--dir", dir, "--since", "2026-06-03", "--out",
                tmp.resolve("none").toString()));
        assertEquals(1, Files.readAllLines(tmp.resolve("none/labels.csv")).size(), "no clips after the day");
    }

    @Test
    void badInputIsAClearErrorAndChangesNothing() throws Exception {
        Path cloud = tmp.resolve("cloud");
        try (IngestSink sink = IngestSink.open(cloud.resolve("frames.db"), new MutableClock(ArchiveScenario.DURING_DAY))) {
            ArchiveScenario.store(sink, "collar-0001");
        }
        String dir = cloud.toString();
        assertEquals(2, run("cloud", "archive", "--dir", dir, "--day", "2999-01-01"));
        assertTrue(err.toString().contains("is not complete"), err.toString());
        assertEquals(2, run("cloud", "archive", "--dir", dir, "--to", "ftp://somewhere/x"));
        assertTrue(err.toString().contains("unknown archive scheme"), err.toString());
        assertEquals(2, run("cloud", "archive", "--dir", dir, "--to", "s3://No_Such/x"));
        assertTrue(err.toString().contains("not an S3 bucket name"), err.toString());
        assertEquals(2, run("cloud", "report", "--dir", dir, "--day", "yesterday"));
        assertTrue(err.toString().contains("--day must be a date"), err.toString());
        assertEquals(0, run("cloud", "archive", "--dir", dir));
        assertTrue(out.toString().startsWith("archived 2 collar-days"), "nothing was lost before: " + out);
    }
}
