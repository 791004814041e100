package com.pettysync.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulated collar PPG (IR counts, 100 samples/s) under motion artefacts that are NOT a linear function of the
 * accelerometer, with the accelerometer the collar's IMU would report. Written independently of the
 * estimator's canceller; the recipe (also in the README):
 * <ul>
 *   <li>Beats: rate drifting ±4 % over the window, respiratory sinus arrhythmia 4 % at 0.25 Hz, 1.5 % jitter.
 *       Pulse: skewed systolic bump + dicrotic bump, 300 counts, scaled by contact pressure (below).
 *   <li>Gait at cadence {@code cadenceHz} (drifting ±3 %): true collar acceleration per axis = harmonics 1…4 of
 *       the cadence with random amplitudes and phases, plus a sharp foot-strike transient per step, plus gravity
 *       rotating slowly with posture.
 *   <li>The IMU reports the true acceleration clipped at ±{@code imuRangeMg} plus noise; the artefact is made
 *       from the true, unclipped acceleration.
 *   <li>Artefact: a projection of the true acceleration on a coupling vector that jumps to a new random
 *       direction and strength every 10–25 s (collar fit and posture), delayed by {@code lagMs} (beyond the
 *       canceller's ±100 ms) and low-passed (tissue), through a saturating {@code tanh} (the sensor lifting off
 *       and pressing in) with a squared term; contact pressure also modulates the pulse amplitude.
 *   <li>Optical path: baseline 80 000 counts, the sum soft-saturates ({@code tanh}) at ±{@code saturationCounts}
 *       around the baseline, then 8 counts of noise.
 * </ul>
 */
public final class MotionPpgGenerator {
    public static final double FS = 100.0;

    /**
     * @param bpm              mean heart rate
     * @param cadenceHz        step rate, 0 at rest
     * @param artefactGain     artefact amplitude relative to the pulse (before saturation)
     * @param lagMs            delay of the artefact behind the acceleration
     * @param imuRangeMg       IMU full scale (clips), e.g. 2000 or 4000
     * @param accelMg          peak dynamic acceleration of the gait
     * @param saturationCounts optical soft-saturation half-range
     */
    public record Scenario(double bpm, double cadenceHz, double artefactGain, double lagMs, double imuRangeMg,
            double accelMg, double saturationCounts) {}

    public record Ppg(double[] ir, AccelTrace accel, double trueBpm) {}

    public static Ppg generate(long seed, Scenario s, double seconds) {
        Random rnd = new Random(seed);
        int n = (int) (seconds * FS);
        // beats
        List<Double> beats = new ArrayList<>();
        double driftPhase = rnd.nextDouble() * 6.28;
        double t = rnd.nextDouble() * 0.4;
        while (t < seconds + 2) {
            beats.add(t);
            double rate = s.bpm() * (1 + 0.04 * Math.sin(2 * Math.PI * t / seconds + driftPhase));
            t += 60.0 / rate * (1 + 0.04 * Math.sin(2 * Math.PI * 0.25 * t) + 0.015 * rnd.nextGaussian());
        }
        double[] pulse = new double[n];
        for (int b = 0; b < beats.size() - 1; b++) {
            double t0 = beats.get(b);
            double period = beats.get(b + 1) - t0;
            int from = Math.max(0, (int) (t0 * FS));
            int to = Math.min(n, (int) ((t0 + 1.6 * period) * FS) + 1);
            for (int i = from; i < to; i++) {
                double u = (i / FS - t0) / period;
                double sys = u < 0.18 ? Math.exp(-Math.pow((u - 0.18) / 0.07, 2)) : Math.exp(-Math.pow((u - 0.18) / 0.14, 2));
                pulse[i] += sys + 0.3 * Math.exp(-Math.pow((u - 0.55) / 0.09, 2));
            }
        }
        // true acceleration (milli-g)
        double[][] trueAcc = new double[3][n];
        double[][] amp = new double[3][5];
        double[][] ph = new double[3][5];
        for (int a = 0; a < 3; a++) {
            for (int k = 1; k <= 4; k++) {
                amp[a][k] = s.accelMg() * (0.2 + 0.8 * rnd.nextDouble()) / k;
                ph[a][k] = rnd.nextDouble() * 6.28;
            }
        }
        double cadPhase = 0;
        double cadDrift = rnd.nextDouble() * 6.28;
        double postureA = rnd.nextDouble() * 6.28;
        for (int i = 0; i < n; i++) {
            double sec = i / FS;
            double cad = s.cadenceHz() * (1 + 0.03 * Math.sin(2 * Math.PI * sec / 37.0 + cadDrift));
            cadPhase += 2 * Math.PI * cad / FS;
            double tilt = 0.25 * Math.sin(2 * Math.PI * sec / 53.0 + postureA);
            double[] g = {1000 * Math.sin(tilt), 200 * Math.cos(tilt * 1.7), 1000 * Math.cos(tilt)};
            double strike = 0;
            if (s.cadenceHz() > 0) {
                double within = (cadPhase / (2 * Math.PI)) % 1.0;
                strike = within < 0.06 ? s.accelMg() * 0.8 * Math.sin(Math.PI * within / 0.06) : 0;
            }
            for (int a = 0; a < 3; a++) {
                double v = g[a];
                if (s.cadenceHz() > 0) {
                    for (int k = 1; k <= 4; k++) {
                        v += amp[a][k] * Math.sin(k * cadPhase + ph[a][k]);
                    }
                    v += strike * (a == 2 ? 1 : 0.4);
                }
                trueAcc[a][i] = v;
            }
        }
        // artefact from the true acceleration: coupling jumps, lag, tissue low-pass, saturation, squared term
        int lag = (int) Math.round(s.lagMs() / 1000 * FS);
        double[] art = new double[n];
        double[] press = new double[n];
        double[] c = randomCoupling(rnd);
        double nextJump = 10 + 15 * rnd.nextDouble();
        double lp = 0;
        for (int i = 0; i < n; i++) {
            if (i / FS > nextJump) {
                c = randomCoupling(rnd);
                nextJump += 10 + 15 * rnd.nextDouble();
            }
            int j = Math.max(0, i - lag);
            double proj = 0;
            for (int a = 0; a < 3; a++) {
                proj += c[a] * (trueAcc[a][j] - (a == 2 ? 1000 : 0));
            }
            lp += 0.35 * (proj - lp); // tissue: ~6 Hz low-pass
            double z = lp / Math.max(1, s.accelMg());
            art[i] = Math.tanh(1.5 * z) + 0.35 * z * z;
            press[i] = 1 + 0.3 * Math.tanh(z);
        }
        double[] ir = new double[n];
        double pulseAmp = 300;
        for (int i = 0; i < n; i++) {
            double sec = i / FS;
            double dev = -pulseAmp * pulse[i] * press[i] + s.artefactGain() * pulseAmp * art[i]
                    + 150 * Math.sin(2 * Math.PI * 0.25 * sec);
            ir[i] = 80_000 + s.saturationCounts() * Math.tanh(dev / s.saturationCounts()) + 8 * rnd.nextGaussian();
        }
        double[][] imu = new double[3][n];
        for (int a = 0; a < 3; a++) {
            for (int i = 0; i < n; i++) {
                imu[a][i] = Math.max(-s.imuRangeMg(), Math.min(s.imuRangeMg(), trueAcc[a][i])) + 15 * rnd.nextGaussian();
            }
        }
        double sum = 0;
        int count = 0;
        for (int b = 1; b < beats.size(); b++) {
            if (beats.get(b) > seconds) {
                break;
            }
            sum += beats.get(b) - beats.get(b - 1);
            count++;
        }
        return new Ppg(ir, new AccelTrace(FS, imu[0], imu[1], imu[2]), 60.0 / (sum / count));
    }

    private static double[] randomCoupling(Random rnd) {
        double[] c = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
        double norm = Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
        double strength = 0.5 + rnd.nextDouble();
        for (int a = 0; a < 3; a++) {
            c[a] *= strength / norm;
        }
        return c;
    }

    private MotionPpgGenerator() {}
}
