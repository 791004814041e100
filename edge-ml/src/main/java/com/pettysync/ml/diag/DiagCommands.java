package com.pettysync.ml.diag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.CommandContribution;
import com.pettysync.ml.AccelTrace;
import com.pettysync.ml.hr.HeartRateEstimator;
import com.pettysync.ml.hr.HeartRateSummary;
import com.pettysync.ml.mood.MoodEstimate;
import com.pettysync.ml.mood.MoodEstimator;
import com.pettysync.ml.mood.VocalCounts;
import com.pettysync.ml.vocal.VocalEpisode;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.ml.vocal.VocalizationPipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** edge-ml's diagnostics under {@code pettysync diag}: {@code audio FILE.wav} and {@code hr FILE.csv}. */
public final class DiagCommands implements CommandContribution {
    /** Built on first use: the agent's process loads this contribution but must not carry an ObjectMapper. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Override
    public List<String> parent() {
        return List.of("diag");
    }

    @Override
    public String parentDescription() {
        return "Factory and field diagnostics of a collar.";
    }

    @Override
    public List<Object> commands() {
        return List.of(new Audio(), new Hr());
    }

    static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Command(name = "audio", mixinStandardHelpOptions = true,
            description = {"Runs the vocalization pipeline (energy gate, log-mel, TFLite classifier, episodes) on a"
                + " mono 16-bit WAV file (other rates are resampled to 16 kHz).",
                "Prints one JSON line per vocal episode, {\"class\",\"start_ms\",\"end_ms\",\"conf_pct\"}, then"
                + " {\"windows\",\"gated\",\"mood\",\"conf_pct\"}."})
    static final class Audio implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE.wav", description = "mono 16-bit PCM WAV file")
        Path file;

        @Override
        public Integer call() throws IOException {
            short[] pcm = WavFile.read16k(readFile(file), file.toString());
            PrintWriter out = spec.commandLine().getOut();
            List<VocalEpisode> episodes = new ArrayList<>();
            VocalizationPipeline.Stats stats;
            try (VocalizationClassifier classifier = VocalizationClassifier.bundled()) {
                VocalizationPipeline pipeline = new VocalizationPipeline(classifier);
                for (int i = 0; i < pcm.length; i += 1600) { // 100 ms chunks, as the microphone delivers them
                    episodes.addAll(pipeline.feed(pcm, i, Math.min(1600, pcm.length - i)));
                }
                episodes.addAll(pipeline.flush());
                stats = pipeline.stats();
            }
            for (VocalEpisode e : episodes) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("class", e.vocalClass().label());
                line.put("start_ms", e.startMs());
                line.put("end_ms", e.endMs());
                line.put("conf_pct", e.confPct());
                out.println(Json.MAPPER.writeValueAsString(line));
            }
            MoodEstimate mood = new MoodEstimator().estimate(VocalCounts.of(episodes), Optional.empty(),
                    OptionalDouble.empty(), Optional.empty());
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("windows", stats.windows());
            summary.put("gated", stats.gated());
            summary.put("mood", mood.mood().label());
            summary.put("conf_pct", mood.confPct());
            out.println(Json.MAPPER.writeValueAsString(summary));
            out.flush();
            return 0;
        }
    }

    @Command(name = "hr", mixinStandardHelpOptions = true,
            description = {"Estimates the frame's hr section from a PPG recording: CSV with header t_ms,red,ir and"
                + " optionally ax,ay,az (milli-g), 100 samples/s.",
                "Prints {\"mean_bpm\",\"min_bpm\",\"max_bpm\",\"rmssd_ms\",\"quality_pct\"}, or {} when no valid"
                + " beat was found."})
    static final class Hr implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE.csv", description = "CSV: t_ms,red,ir[,ax,ay,az]")
        Path file;

        @Override
        public Integer call() throws IOException {
            Recording r = parseCsv(new String(readFile(file), StandardCharsets.UTF_8), file.toString());
            Optional<HeartRateSummary> hr = new HeartRateEstimator().window(r.ir, r.accel);
            Map<String, Object> json = new LinkedHashMap<>();
            hr.ifPresent(s -> {
                json.put("mean_bpm", s.meanBpm());
                json.put("min_bpm", s.minBpm());
                json.put("max_bpm", s.maxBpm());
                json.put("rmssd_ms", s.rmssdMs());
                json.put("quality_pct", s.qualityPct());
            });
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.MAPPER.writeValueAsString(json));
            out.flush();
            return 0;
        }
    }

    record Recording(double[] ir, AccelTrace accel) {}

    static Recording parseCsv(String text, String name) {
        String[] lines = text.strip().split("\\R");
        if (text.isBlank()) {
            throw new BadInputException(name + ": empty file");
        }
        String header = lines[0].strip().replace(" ", "");
        boolean withAccel;
        if (header.equals("t_ms,red,ir")) {
            withAccel = false;
        } else if (header.equals("t_ms,red,ir,ax,ay,az")) {
            withAccel = true;
        } else {
            throw new BadInputException(name + ": header must be t_ms,red,ir or t_ms,red,ir,ax,ay,az, got '"
                    + lines[0].strip() + "'");
        }
        int cols = withAccel ? 6 : 3;
        int n = lines.length - 1;
        if (n < 2) {
            throw new BadInputException(name + ": no samples after the header");
        }
        double[][] v = new double[cols][n];
        for (int i = 0; i < n; i++) {
            String[] f = lines[i + 1].split(",", -1);
            if (f.length != cols) {
                throw new BadInputException(name + ": line " + (i + 2) + " has " + f.length + " fields, need " + cols);
            }
            for (int c = 0; c < cols; c++) {
                try {
                    v[c][i] = Double.parseDouble(f[c].strip());
                } catch (NumberFormatException e) {
                    throw new BadInputException(name + ": line " + (i + 2) + " field " + (c + 1) + " is not a number: '"
                            + f[c].strip() + "'");
                }
                if (!Double.isFinite(v[c][i])) {
                    throw new BadInputException(name + ": line " + (i + 2) + " field " + (c + 1) + " is not finite");
                }
            }
        }
        double[] dt = new double[n - 1];
        for (int i = 1; i < n; i++) {
            dt[i - 1] = v[0][i] - v[0][i - 1];
        }
        Arrays.sort(dt);
        double median = dt[dt.length / 2];
        if (median < 8 || median > 12) {
            throw new BadInputException(name + ": samples are " + median + " ms apart, need 100 samples/s (10 ms)");
        }
        AccelTrace accel = withAccel ? new AccelTrace(HeartRateEstimator.SAMPLE_RATE_HZ, v[3], v[4], v[5]) : null;
        return new Recording(v[2], accel);
    }
}
