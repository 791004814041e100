package com.pettysync.ml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.ml.diag.WavFile;
import com.pettysync.ml.vocal.EnergyGate;
import com.pettysync.ml.vocal.LogMelSpectrogram;
import com.pettysync.ml.vocal.ModelRejectedException;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.ml.vocal.VocalizationModel;
import com.pettysync.ml.vocal.VocalizationPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * False vocal episodes per hour of held-out non-dog audio through the Java pipeline, with the energy gate on
 * ({@link EnergyGate#standard()}) and off (every window classified, as in the training report).
 *
 * <p>Held out by source package: each non-dog recording ({@code role "clip"}, label {@code other} in
 * {@code training/data/manifest.jsonl}) goes through the model of the fold that did not train on its package
 * ({@code training/out/fold-K.tflite}, written by {@code train.py report}, with the shipped reject thresholds;
 * fold of each package from {@code training/out/metrics.json}). Each recording is its own stream, zero-padded to 1 s like
 * {@code train.py}'s stream windows and scaled to a peak of 0.3 (-10.5 dBFS, {@code train.py}'s level: the gate-off
 * row must repeat its number), then to quieter peaks of -30 and -45 dBFS (a sound further from the collar), where
 * the gate's -50 dBFS floor starts to matter; an episode is what the pipeline returns. The recordings and fold models are not in the repository: without them this prints
 * "not measured".
 *
 * <pre>./mvnw -B -q -pl edge-ml -am -Pbench test-compile exec:exec@held-out-false-episodes</pre>
 */
public final class HeldOutFalseEpisodes {
    /** Peak levels of the recordings: train.py's 0.3, then quieter. */
    static final double[] PEAKS = {0.3, Math.pow(10, -30 / 20.0), Math.pow(10, -45 / 20.0)};

    record Result(int recordings, double seconds, long episodesGateOff, long episodesGateOn, long windows,
                  long classifiedGateOn) {
        double perHour(long episodes) {
            return episodes / (seconds / 3600.0);
        }
    }

    public static void main(String[] args) throws Exception {
        Path training = Path.of(args.length > 0 ? args[0] : "edge-ml/training");
        String missing = missing(training);
        if (missing != null) {
            System.out.println("held-out false episodes per hour with the energy gate: not measured (" + missing
                    + "; run training/realdata.py and training/train.py first)");
            return;
        }
        for (double peak : PEAKS) {
            Result r = measure(training, peak);
            System.out.printf("held-out false episodes per hour (%d non-dog recordings, %.0f s, peak %.1f dBFS, fold "
                            + "models, Java pipeline): gate off %.1f/h (%d episodes), gate on %.1f/h (%d episodes); "
                            + "gate on classified %d of %d windows (%.1f %%)%n",
                    r.recordings(), r.seconds(), 20 * Math.log10(peak), r.perHour(r.episodesGateOff()),
                    r.episodesGateOff(), r.perHour(r.episodesGateOn()), r.episodesGateOn(), r.classifiedGateOn(),
                    r.windows(), 100.0 * r.classifiedGateOn() / Math.max(1, r.windows()));
        }
    }

    static String missing(Path training) throws IOException {
        if (!Files.exists(training.resolve("data/manifest.jsonl"))) {
            return "no " + training.resolve("data/manifest.jsonl");
        }
        Path metrics = training.resolve("out/metrics.json");
        if (!Files.exists(metrics)) {
            return "no " + metrics;
        }
        for (int f = 0; f < folds(metrics); f++) {
            if (!Files.exists(foldModel(training, f))) {
                return "no " + foldModel(training, f);
            }
        }
        return null;
    }

    static Result measure(Path training, double peak) throws IOException, ModelRejectedException {
        ObjectMapper json = new ObjectMapper();
        JsonNode foldOf = json.readTree(training.resolve("out/metrics.json").toFile()).required("folds");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(training.resolve("data/manifest.jsonl"))) {
            if (!line.isBlank()) {
                rows.add(json.readTree(line));
            }
        }
        int recordings = 0;
        double seconds = 0;
        long off = 0;
        long on = 0;
        long windows = 0;
        long classified = 0;
        int folds = folds(training.resolve("out/metrics.json"));
        for (int f = 0; f < folds; f++) {
            byte[] model = Files.readAllBytes(foldModel(training, f));
            try (VocalizationClassifier classifier = new VocalizationClassifier(VocalizationModel.load(model))) {
                for (JsonNode r : rows) {
                    String pkg = r.required("package").asText();
                    if (!foldOf.has(pkg)) {
                        throw new IllegalStateException("package " + pkg + " of the manifest has no fold in "
                                + "metrics.json: the manifest and the training report do not belong together");
                    }
                    if (foldOf.get(pkg).asInt() != f || !"clip".equals(r.required("role").asText())
                            || !"other".equals(r.required("label").asText())) {
                        continue;
                    }
                    Path clip = training.resolve("data").resolve(r.required("clip").asText());
                    short[] pcm = stream(WavFile.read16k(Files.readAllBytes(clip), clip.toString()), peak);
                    recordings++;
                    seconds += pcm.length / (double) LogMelSpectrogram.SAMPLE_RATE;
                    off += episodes(new VocalizationPipeline(classifier, VocalizationPipeline.Config.standard(),
                            alwaysOpen()), pcm).episodes();
                    VocalizationPipeline.Stats gated = episodes(new VocalizationPipeline(classifier,
                            VocalizationPipeline.Config.standard(), EnergyGate.standard()), pcm);
                    on += gated.episodes();
                    windows += gated.windows();
                    classified += gated.classified();
                }
            }
        }
        return new Result(recordings, seconds, off, on, windows, classified);
    }

    /** A gate whose floor stays at -200 dB with no margin: every hop is loud, every window is classified. */
    static EnergyGate alwaysOpen() {
        return new EnergyGate(0.0, -200.0, 0.0, 0);
    }

    /** The recording scaled to a peak of {@code level} (full scale 1) and zero-padded to one window. */
    static short[] stream(short[] pcm, double level) {
        int max = 1;
        for (short s : pcm) {
            max = Math.max(max, Math.abs((int) s));
        }
        short[] out = new short[Math.max(pcm.length, LogMelSpectrogram.WINDOW_SAMPLES)];
        double scale = level * 32767.0 / max;
        for (int i = 0; i < pcm.length; i++) {
            out[i] = (short) Math.round(pcm[i] * scale);
        }
        return out;
    }

    static VocalizationPipeline.Stats episodes(VocalizationPipeline pipeline, short[] pcm) {
        pipeline.feed(pcm);
        pipeline.flush();
        return pipeline.stats();
    }

    static int folds(Path metrics) throws IOException {
        JsonNode folds = new ObjectMapper().readTree(metrics.toFile()).required("folds");
        int max = -1;
        for (JsonNode f : folds) {
            max = Math.max(max, f.asInt());
        }
        return max + 1;
    }

    static Path foldModel(Path training, int fold) {
        return training.resolve("out/fold-" + fold + ".tflite");
    }

    private HeldOutFalseEpisodes() {}
}
