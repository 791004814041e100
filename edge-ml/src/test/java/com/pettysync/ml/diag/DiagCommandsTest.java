package com.pettysync.ml.diag;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.cli.CommandContribution;
import com.pettysync.cli.Pettysync;
import com.pettysync.ml.AudioGenerator;
import com.pettysync.ml.PpgGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<CommandContribution> contributions = ServiceLoader.load(CommandContribution.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        int code = Pettysync.execute(args, contributions, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void audioPrintsOneLinePerEpisodeThenTheSummary() throws Exception {
        // a whine: the Java-made barks fall below the model's calibrated bark threshold (model card)
        short[] pcm = new AudioGenerator(2).silence(3).whine(1.5).silence(3).pcm();
        Path wav = Files.write(dir.resolve("whine.wav"), WavFile.write(pcm, 16_000));
        Result r = run("diag", "audio", wav.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        JsonNode episode = JSON.readTree(lines.get(0));
        assertEquals("whine", episode.get("class").asText());
        assertEquals(3000, episode.get("start_ms").asLong(), 60);
        assertTrue(episode.get("end_ms").asLong() > episode.get("start_ms").asLong());
        assertTrue(episode.get("conf_pct").asInt() >= 50);
        JsonNode summary = JSON.readTree(lines.get(1));
        assertEquals(List.of("windows", "gated", "mood", "conf_pct"), iterable(summary));
        assertEquals(14, summary.get("windows").asInt()); // 7.5 s of audio: one slot every 0.5 s from 1.0 s to 7.5 s
        assertTrue(summary.get("gated").asInt() > 0);
    }

    @Test
    void audioAtAnotherRateIsResampled() throws Exception {
        short[] pcm16 = new AudioGenerator(2).silence(3).whine(1.5).silence(3).pcm();
        short[] pcm48 = new short[pcm16.length * 3];
        for (int i = 0; i < pcm48.length; i++) {
            pcm48[i] = pcm16[i / 3];
        }
        Path wav = Files.write(dir.resolve("whine48.wav"), WavFile.write(pcm48, 48_000));
        Result r = run("diag", "audio", wav.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("whine", JSON.readTree(r.out().lines().findFirst().orElseThrow()).get("class").asText());
    }

    @Test
    void badAudioFilesExitTwoWithOneLine() throws Exception {
        byte[] good = WavFile.write(new AudioGenerator(1).silence(2).pcm(), 16_000);
        Path truncated = Files.write(dir.resolve("t.wav"), Arrays.copyOf(good, 1000));
        Path empty = Files.write(dir.resolve("e.wav"), new byte[0]);
        Path text = Files.writeString(dir.resolve("x.wav"), "hello");
        byte[] stereo = good.clone();
        stereo[22] = 2;
        Path st = Files.write(dir.resolve("s.wav"), stereo);
        for (Path p : List.of(truncated, empty, text, st, dir.resolve("missing.wav"))) {
            Result r = run("diag", "audio", p.toString());
            assertEquals(2, r.code(), p + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out());
        }
        assertTrue(run("diag", "audio", truncated.toString()).err().contains("truncated"));
        assertTrue(run("diag", "audio", st.toString()).err().contains("mono"));
    }

    @Test
    void hrPrintsTheHrSection() throws Exception {
        var ppg = PpgGenerator.generate(8, 96, 60, 1.8, 2.0);
        StringBuilder csv = new StringBuilder("t_ms,red,ir,ax,ay,az\n");
        for (int i = 0; i < ppg.ir().length; i++) {
            csv.append(i * 10).append(',').append(Math.round(ppg.ir()[i] * 0.8)).append(',')
                    .append(Math.round(ppg.ir()[i])).append(',').append(Math.round(ppg.accel().x()[i])).append(',')
                    .append(Math.round(ppg.accel().y()[i])).append(',').append(Math.round(ppg.accel().z()[i]))
                    .append('\n');
        }
        Result r = run("diag", "hr", Files.writeString(dir.resolve("hr.csv"), csv).toString());
        assertEquals(0, r.code(), r.err());
        JsonNode hr = JSON.readTree(r.out());
        assertEquals(List.of("mean_bpm", "min_bpm", "max_bpm", "rmssd_ms", "quality_pct"), iterable(hr));
        assertEquals(ppg.trueBpm(), hr.get("mean_bpm").asDouble(), 8);
    }

    @Test
    void hrWithoutBeatsPrintsEmptyObject() throws Exception {
        StringBuilder csv = new StringBuilder("t_ms,red,ir\n");
        for (int i = 0; i < 3000; i++) {
            csv.append(i * 10).append(",50000,60000\n");
        }
        Result r = run("diag", "hr", Files.writeString(dir.resolve("flat.csv"), csv).toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{}", r.out().strip());
    }

    @Test
    void badCsvFilesExitTwo() throws Exception {
        for (String bad : List.of("", "time,a,b\n1,2,3\n", "t_ms,red,ir\n", "t_ms,red,ir\n0,1,2\n10,1\n",
                "t_ms,red,ir\n0,1,2\n10,x,3\n", "t_ms,red,ir\n0,1,2\n1000,1,2\n2000,1,2\n")) {
            Result r = run("diag", "hr", Files.writeString(dir.resolve("bad.csv"), bad).toString());
            assertEquals(2, r.code(), "'" + bad + "' -> " + r.out() + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    @Test
    void helpDescribesTheCommands() {
        Result r = run("diag", "audio", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("FILE.wav"));
        assertEquals(0, run("diag", "hr", "--help").code());
    }

    private static List<String> iterable(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
