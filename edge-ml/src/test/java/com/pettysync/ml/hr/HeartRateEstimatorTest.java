package com.pettysync.ml.hr;

import static org.junit.jupiter.api.Assertions.*;

import com.pettysync.ml.AccelTrace;
import com.pettysync.ml.PpgGenerator;
import com.pettysync.ml.PpgGenerator.Ppg;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeartRateEstimatorTest {
    private final HeartRateEstimator estimator = new HeartRateEstimator();

    /** Mean absolute error of mean_bpm over simulated windows of 60 s; used by the tests and the benchmark. */
    public static double meanAbsoluteError(boolean walking, int windows) {
        double err = 0;
        for (int k = 0; k < windows; k++) {
            double bpm = walking ? 95 + 7 * k : 60 + 9 * k;
            double step = walking ? 1.3 + 0.11 * k : 0;
            Ppg ppg = PpgGenerator.generate(1000 + k, bpm, 60, step, walking ? 2.0 : 0);
            HeartRateSummary s = new HeartRateEstimator().window(ppg.ir(), ppg.accel())
                    .orElseThrow(() -> new AssertionError("no rate at " + bpm + " bpm"));
            err += Math.abs(s.meanBpm() - ppg.trueBpm());
        }
        return err / windows;
    }

    @Test
    void restingRateWithinThreeBpm() {
        double mae = meanAbsoluteError(false, 12);
        assertTrue(mae <= 3.0, "MAE at rest " + mae);
    }

    @Test
    void walkingRateWithinEightBpmDespiteMotionArtefacts() {
        double mae = meanAbsoluteError(true, 10);
        assertTrue(mae <= 8.0, "MAE walking " + mae);
    }

    @Test
    void aCadenceNearThePulseGivesRightRatesOrNone() {
        int reported = 0;
        for (int k = 0; k < 6; k++) {
            Ppg ppg = PpgGenerator.generate(77 + k, 120, 60, 1.9, 2.5); // steps at 114/min, pulse at 120
            Optional<HeartRateSummary> with = estimator.window(ppg.ir(), ppg.accel());
            with.ifPresent(s -> assertEquals(ppg.trueBpm(), s.meanBpm(), 8, "with the accelerometer"));
            reported += with.isPresent() ? 1 : 0;
        }
        assertTrue(reported >= 1, "the linear canceller's beat path keeps a rate 6 bpm from the cadence");
    }

    @Test
    void summaryRespectsWireRangesAndOrdering() {
        Ppg ppg = PpgGenerator.generate(5, 90, 300, 0, 0);
        HeartRateSummary s = estimator.window(ppg.ir(), ppg.accel()).orElseThrow();
        assertTrue(s.minBpm() <= s.meanBpm() && s.meanBpm() <= s.maxBpm());
        assertEquals(90, s.meanBpm(), 3);
        assertTrue(s.qualityPct() >= 60, "clean signal quality " + s.qualityPct());
        // RMSSD of the generated beats (RSA 4 % + 1 % jitter) is recovered within 40 %
        assertEquals(ppg.trueRmssdMs(), s.rmssdMs(), 0.4 * ppg.trueRmssdMs());
    }

    @Test
    void noBeatInNoiseOrFlatSignal() {
        java.util.Random r = new java.util.Random(3);
        double[] noise = new double[6000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 80_000 + 200 * r.nextGaussian();
        }
        Optional<HeartRateSummary> s = estimator.window(noise);
        s.ifPresent(x -> assertTrue(x.qualityPct() < 40, "noise gave " + x));
        assertTrue(estimator.window(new double[6000]).isEmpty());
        assertTrue(estimator.window(new double[100]).isEmpty());
    }

    @Test
    void irregularViolentMotionGivesARightRateOrNone() {
        // play: big, aperiodic motion (random bursts) whose artefact swamps the pulse
        Ppg rest = PpgGenerator.generate(9, 100, 60, 0, 0);
        java.util.Random r = new java.util.Random(9);
        int n = rest.ir().length;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] z = new double[n];
        double[] ir = rest.ir().clone();
        double vx = 0;
        double vy = 0;
        for (int i = 0; i < n; i++) {
            vx += 0.15 * (r.nextGaussian() * 1800 - vx);
            vy += 0.15 * (r.nextGaussian() * 1500 - vy);
            x[i] = vx;
            y[i] = vy;
            z[i] = 1000 + 0.5 * vx;
            ir[i] += 1500 * Math.tanh((vx + 0.7 * vy) / 800);
        }
        estimator.window(ir, new AccelTrace(100, x, y, z))
                .ifPresent(s -> assertEquals(rest.trueBpm(), s.meanBpm(), 8, "play gave " + s));
    }

    @Test
    void lowerQualityWhenHalfTheWindowIsRejected() {
        Ppg clean = PpgGenerator.generate(11, 100, 64, 0, 0);
        int q = estimator.window(clean.ir(), clean.accel()).orElseThrow().qualityPct();
        AccelTrace a = clean.accel();
        for (int i = 0; i < a.length() / 2; i++) {
            a.x()[i] += 10_000 * Math.sin(2 * Math.PI * 3 * i / 100.0); // beyond MAX_MOTION_MG: rejected
        }
        int half = estimator.window(clean.ir(), a).orElseThrow().qualityPct();
        assertTrue(half < q * 0.7, "quality clean " + q + ", half rejected " + half);
    }

    @Test
    void rejectsMismatchedAccelerometerLength() {
        Ppg ppg = PpgGenerator.generate(1, 80, 10, 0, 0);
        AccelTrace shorter = new AccelTrace(100, new double[10], new double[10], new double[10]);
        assertThrows(IllegalArgumentException.class, () -> estimator.window(ppg.ir(), shorter));
    }
}
