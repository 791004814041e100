package com.pettysync.ml.hr;

import com.pettysync.ml.MotionPpgGenerator;
import com.pettysync.ml.MotionPpgGenerator.Scenario;
import java.util.Random;
import java.util.function.Function;

/**
 * The heart-rate scenarios of {@link MotionPpgGenerator} (non-linear, lagged, saturating artefacts, clipped IMU,
 * cadence on the pulse) and their scoring: share of windows with a reported rate, worst and mean error of the
 * reported means. Shared by the unit test and the accuracy report.
 */
public enum RealMotionScenarios {
    /** Lying or standing: small posture sway only, 40–160 bpm. */
    REST(r -> new Scenario(40 + 120 * r.nextDouble(), 0, 0, 0, 4000, 0, 2000), 3.0),
    /** Walking, cadence 1.3–2.4 Hz, artefact 2–4 x the pulse, lag 100–250 ms, optical saturation. */
    WALK(r -> new Scenario(80 + 80 * r.nextDouble(), 1.3 + 1.1 * r.nextDouble(), 2 + 2 * r.nextDouble(),
            100 + 150 * r.nextDouble(), 4000, 300 + 400 * r.nextDouble(), 1200 + 800 * r.nextDouble()), 8.0),
    /** Trotting with the step rate within ±4 % of the pulse rate, 100–180 bpm. */
    TROT_ON_PULSE(r -> {
        double bpm = 100 + 80 * r.nextDouble();
        return new Scenario(bpm, bpm / 60 * (0.96 + 0.08 * r.nextDouble()), 2 + 2 * r.nextDouble(),
                100 + 150 * r.nextDouble(), 4000, 400 + 400 * r.nextDouble(), 1500);
    }, 8.0),
    /** Running: true acceleration up to 3 g on a ±2 g IMU (clipped), the artefact not clipped, 120–240 bpm. */
    RUN_IMU_CLIPPED(r -> new Scenario(120 + 120 * r.nextDouble(), 2.0 + 1.2 * r.nextDouble(), 3 + 2 * r.nextDouble(),
            100 + 150 * r.nextDouble(), 2000, 2200 + 800 * r.nextDouble(), 1500), 8.0),
    /** A slow pulse (40–55 bpm, a large calm dog) while walking at 1.0–2.0 Hz. */
    SLOW_PULSE_WALK(r -> new Scenario(40 + 15 * r.nextDouble(), 1.0 + 1.0 * r.nextDouble(), 2 + 2 * r.nextDouble(),
            100 + 150 * r.nextDouble(), 4000, 300 + 400 * r.nextDouble(), 1200 + 800 * r.nextDouble()), 8.0),
    /** A fast pulse (220–240 bpm) while running at 2.0–3.2 Hz on a clipping ±2 g IMU. */
    FAST_PULSE_RUN(r -> new Scenario(220 + 20 * r.nextDouble(), 2.0 + 1.2 * r.nextDouble(), 3 + 2 * r.nextDouble(),
            100 + 150 * r.nextDouble(), 2000, 2200 + 800 * r.nextDouble(), 1500), 8.0),
    /** Cadence within ±4 % of half the pulse (pulse 90–240 bpm): the gait's second harmonic on the pulse. */
    CADENCE_HALF_PULSE(r -> {
        double bpm = 90 + 150 * r.nextDouble();
        return new Scenario(bpm, bpm / 120 * (0.96 + 0.08 * r.nextDouble()), 2 + 2 * r.nextDouble(),
                100 + 150 * r.nextDouble(), 4000, 400 + 400 * r.nextDouble(), 1500);
    }, 8.0),
    /** Cadence within ±4 % of twice the pulse (pulse 40–110 bpm): the pulse's second harmonic on the gait. */
    CADENCE_TWICE_PULSE(r -> {
        double bpm = 40 + 70 * r.nextDouble();
        return new Scenario(bpm, bpm / 30 * (0.96 + 0.08 * r.nextDouble()), 2 + 2 * r.nextDouble(),
                100 + 150 * r.nextDouble(), 4000, 400 + 400 * r.nextDouble(), 1500);
    }, 8.0),
    /** Cadence within ±4 % of the pulse over the whole range, 40–240 bpm. */
    CADENCE_ON_PULSE_FULL_RANGE(r -> {
        double bpm = 40 + 200 * r.nextDouble();
        return new Scenario(bpm, bpm / 60 * (0.96 + 0.08 * r.nextDouble()), 2 + 2 * r.nextDouble(),
                100 + 150 * r.nextDouble(), 4000, 400 + 400 * r.nextDouble(), 1500);
    }, 8.0);

    public final Function<Random, Scenario> draw;
    public final double toleranceBpm;

    RealMotionScenarios(Function<Random, Scenario> draw, double toleranceBpm) {
        this.draw = draw;
        this.toleranceBpm = toleranceBpm;
    }

    /** Outcome over {@code windows} windows of {@code seconds}. */
    public record Score(int windows, int reported, int withinTolerance, double meanAbsError, double worstError) {
        public double coverage() {
            return reported / (double) windows;
        }
    }

    public Score score(long seed, int windows, double seconds) {
        Random r = new Random(seed);
        HeartRateEstimator estimator = new HeartRateEstimator();
        int reported = 0;
        int within = 0;
        double err = 0;
        double worst = 0;
        for (int k = 0; k < windows; k++) {
            Scenario s = draw.apply(r);
            MotionPpgGenerator.Ppg ppg = MotionPpgGenerator.generate(r.nextLong(), s, seconds);
            var out = estimator.window(ppg.ir(), ppg.accel());
            if (out.isEmpty()) {
                continue;
            }
            reported++;
            double e = Math.abs(out.get().meanBpm() - ppg.trueBpm());
            err += e;
            worst = Math.max(worst, e);
            if (e <= toleranceBpm) {
                within++;
            }
        }
        return new Score(windows, reported, within, reported == 0 ? 0 : err / reported, worst);
    }
}
