package com.pettysync.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulated MAX30102 IR counts at 100 samples/s with a known beat sequence, and a matching accelerometer.
 * Beat intervals: 60/bpm with respiratory sinus arrhythmia (±{@code rsa} at 0.25 Hz) and 1 % random jitter.
 * Pulse: systolic and dicrotic Gaussian bumps that lower the counts (more blood absorbs more light), a
 * respiratory baseline wander and white noise. Walking adds a trot at {@code stepHz} to the accelerometer and
 * a motion artefact to the PPG: a lagged mix of the axes with a drifting coupling and a quadratic part,
 * about {@code artefactGain} times the pulse.
 */
public final class PpgGenerator {
    public static final double FS = 100.0;

    public record Ppg(double[] ir, AccelTrace accel, double trueBpm, double trueRmssdMs) {}

    public static Ppg generate(long seed, double bpm, double seconds, double stepHz, double artefactGain) {
        Random rnd = new Random(seed);
        int n = (int) (seconds * FS);
        List<Double> beats = new ArrayList<>();
        double t = rnd.nextDouble() * 0.5;
        double rsa = 0.04;
        while (t < seconds + 2) {
            beats.add(t);
            double ibi = 60.0 / bpm * (1 + rsa * Math.sin(2 * Math.PI * 0.25 * t) + 0.01 * rnd.nextGaussian());
            t += ibi;
        }
        double pulseAmp = 300;
        double[] ir = new double[n];
        double[] ax = new double[n];
        double[] ay = new double[n];
        double[] az = new double[n];
        double phase1 = rnd.nextDouble() * 6;
        double phase2 = rnd.nextDouble() * 6;
        for (int i = 0; i < n; i++) {
            double s = i / FS;
            double v = 0;
            for (int b = 0; b < beats.size() - 1; b++) {
                double t0 = beats.get(b);
                if (t0 > s + 0.1) {
                    break;
                }
                double T = 60.0 / bpm; // pulse shape fixed in time, so the systolic peak keeps the beat timing
                double u = (s - t0) / T;
                if (u < -0.5 || u > 1.5) {
                    continue;
                }
                v += Math.exp(-Math.pow((u - 0.2) / 0.09, 2)) + 0.35 * Math.exp(-Math.pow((u - 0.5) / 0.1, 2));
            }
            ir[i] = 80_000 - pulseAmp * v + 150 * Math.sin(2 * Math.PI * 0.25 * s) + 8 * rnd.nextGaussian();
            double w = 2 * Math.PI * stepHz * s;
            double on = stepHz > 0 ? 1 : 0;
            ax[i] = on * (320 * Math.sin(w + phase1) + 110 * Math.sin(2 * w + phase2)) + 20 * rnd.nextGaussian();
            ay[i] = on * (180 * Math.sin(w + phase2) + 60 * Math.sin(3 * w)) + 20 * rnd.nextGaussian();
            az[i] = 1000 + on * (260 * Math.sin(2 * w + phase1)) + 20 * rnd.nextGaussian();
        }
        if (artefactGain > 0) {
            for (int i = 3; i < n; i++) {
                // linear in the axes, with a coupling that drifts (strap tension) and a quadratic part the
                // estimator's linear canceller cannot model
                double coupling = 1 + 0.3 * Math.sin(2 * Math.PI * 0.05 * i / FS);
                ir[i] += artefactGain * pulseAmp / 300.0 * (coupling * (0.8 * ax[i - 3] + 0.5 * ay[i - 1]
                        - 0.6 * (az[i] - 1000)) + 0.3 * ax[i - 3] * ax[i - 3] / 300.0);
            }
        }
        double sum = 0;
        double sq = 0;
        int count = 0;
        int diffs = 0;
        double prev = -1;
        for (int b = 1; b < beats.size(); b++) {
            if (beats.get(b) > seconds) {
                break;
            }
            double ibi = (beats.get(b) - beats.get(b - 1)) * 1000;
            sum += ibi;
            count++;
            if (prev > 0) {
                sq += (ibi - prev) * (ibi - prev);
                diffs++;
            }
            prev = ibi;
        }
        return new Ppg(ir, new AccelTrace(FS, ax, ay, az), 60_000.0 / (sum / count), Math.sqrt(sq / diffs));
    }

    private PpgGenerator() {}
}
