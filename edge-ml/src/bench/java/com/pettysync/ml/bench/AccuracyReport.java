package com.pettysync.ml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.ml.PpgGenerator;
import com.pettysync.ml.hr.HeartRateEstimator;
import com.pettysync.ml.hr.HeartRateSummary;
import java.nio.file.Path;

/**
 * Accuracy numbers for the README: heart-rate MAE on simulated PPG (rest and walking with motion artefacts,
 * 20 one-minute windows each, other seeds than the unit tests) and the classifier's held-out metrics written by
 * the training script.
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
        if (args.length > 0) {
            JsonNode m = new ObjectMapper().readTree(Path.of(args[0]).toFile());
            System.out.println("classifier held-out (" + m.get("test_examples") + " synthetic clips): macro-F1 "
                    + m.get("macro_f1") + ", accuracy " + m.get("accuracy"));
            System.out.println("confusion matrix, rows true / columns predicted " + m.get("labels") + ":");
            m.get("confusion_matrix").forEach(r -> System.out.println("  " + r));
            System.out.println("per class: " + m.get("per_class"));
        }
    }

    private AccuracyReport() {}
}
