package com.pettysync.ml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.ml.PpgGenerator;
import com.pettysync.ml.hr.HeartRateEstimator;
import com.pettysync.ml.hr.HeartRateSummary;
import java.nio.file.Path;

/**
 * Accuracy numbers for the README: heart-rate MAE on simulated PPG (rest and walking with linear motion artefacts,
 * 20 one-minute windows each, other seeds than the unit tests), heart rate under non-linear motion artefacts
 * ({@link RealMotionReport}: coverage and error per scenario, 500 one-minute windows each on seeds 2000 + ordinal and
 * held-out seeds 9000 + ordinal) and the classifier's source-held-out metrics written by the training script.
 */
public final class AccuracyReport {
    public static void main(String[] args) throws Exception {
        for (boolean walking : new boolean[] {false, true}) {
            double err = 0;
            double worst = 0;
            int missing = 0;
            int n = 20;
            for (int k = 0; k < n; k++) {
                double bpm = walking ? 90 + 4 * k : 55 + 5 * k;
                double step = walking ? 1.2 + 0.08 * k : 0;
                PpgGenerator.Ppg ppg = PpgGenerator.generate(50_000 + k, bpm, 60, step, walking ? 2.0 : 0);
                var s = new HeartRateEstimator().window(ppg.ir(), ppg.accel());
                if (s.isEmpty()) {
                    missing++;
                    continue;
                }
                double e = Math.abs(s.map(HeartRateSummary::meanBpm).orElseThrow() - ppg.trueBpm());
                err += e;
                worst = Math.max(worst, e);
            }
            System.out.printf("HR %s: MAE %.2f bpm, worst %.1f bpm, %d/%d windows without estimate%n",
                    walking ? "walking (artefact 2x pulse, steps 1.2-2.7 Hz, 90-166 bpm)" : "rest (55-150 bpm)",
                    err / (n - missing), worst, missing, n);
        }
        // the README's tables: the seeds the window rules were developed on, then held-out seeds
        RealMotionReport.print(2000, 500, Runtime.getRuntime().availableProcessors());
        RealMotionReport.print(9000, 500, Runtime.getRuntime().availableProcessors());
        if (args.length > 0) {
            JsonNode m = new ObjectMapper().readTree(Path.of(args[0]).toFile());
            System.out.println("classifier, " + m.get("protocol").asText() + ", reject threshold " + m.get("threshold"));
            for (String set : new String[] {"all", "as_recorded", "collar", "all_at_0.5"}) {
                JsonNode r = m.get(set);
                System.out.println("  " + set + ": " + r.get("examples") + " windows, macro-F1 " + r.get("macro_f1")
                        + " (classes without examples " + r.get("classes_without_test_examples") + "), non-dog as dog "
                        + r.get("non_dog_as_dog"));
            }
            System.out.println("  confusion matrix (all), rows true / columns predicted " + m.get("labels") + ":");
            m.get("all").get("confusion_matrix").forEach(r -> System.out.println("    " + r));
            System.out.println("  per class (all): " + m.get("all").get("per_class"));
            System.out.println("  false episodes per hour of held-out non-dog audio: " + m.get("false_episodes_per_hour")
                    + " (" + m.get("false_episodes") + " in " + m.get("non_dog_seconds") + " s)");
            System.out.println("  synthetic test clips (final model): macro-F1 " + m.get("synthetic_test").get("macro_f1"));
        }
    }

    private AccuracyReport() {}
}
