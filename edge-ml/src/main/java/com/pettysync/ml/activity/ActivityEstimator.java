package com.pettysync.ml.activity;

import com.pettysync.ml.AccelTrace;
import java.util.OptionalInt;

/**
 * Steps, time per activity and peak acceleration from one window of IMU acceleration (LSM6DSOX, 52 Hz, milli-g).
 *
 * <p>The window is cut into 2 s epochs (a trailing partial epoch is not counted). Per epoch, on the vector
 * magnitude with its mean removed: standard deviation {@code s} (how hard the dog moves) and the autocorrelation
 * peak between 0.2 s and 1 s (cadence 1 … 5 Hz) with its strength {@code r} (how rhythmic). Rules, in order:
 * rest if s &lt; {@link #REST_MG}; irregular movement (r &lt; {@link #RHYTHM}) is play; rhythmic movement is run if
 * s ≥ {@link #RUN_MG} or cadence ≥ {@link #RUN_HZ}, otherwise walk. Steps in walk and run epochs are cadence ×
 * epoch length. The pedometer count, when given, is reported if it agrees with the signal's count within
 * 20 % (or 10 steps): it sees every sample, including those the agent did not keep; otherwise the signal's
 * count is reported. Peak is the largest magnitude, clamped to 16000 mg. Stateless, thread-safe.
 */
public final class ActivityEstimator {
    public static final double EPOCH_S = 2.0;
    public static final double REST_MG = 60.0;
    public static final double RUN_MG = 450.0;
    public static final double RUN_HZ = 3.2;
    public static final double RHYTHM = 0.55;

    public ActivitySummary window(AccelTrace accel, OptionalInt pedometerSteps) {
        double fs = accel.sampleRateHz();
        int epoch = (int) Math.round(EPOCH_S * fs);
        int n = accel.length();
        double[] mag = new double[n];
        double peak = 0;
        for (int i = 0; i < n; i++) {
            mag[i] = accel.magnitude(i);
            peak = Math.max(peak, mag[i]);
        }
        int rest = 0, walk = 0, run = 0, play = 0;
        double steps = 0;
        for (int start = 0; start + epoch <= n; start += epoch) {
            double mean = 0;
            for (int i = start; i < start + epoch; i++) {
                mean += mag[i];
            }
            mean /= epoch;
            double[] d = new double[epoch];
            double var = 0;
            for (int i = 0; i < epoch; i++) {
                d[i] = mag[start + i] - mean;
                var += d[i] * d[i];
            }
            double s = Math.sqrt(var / epoch);
            if (s < REST_MG) {
                rest++;
                continue;
            }
            int minLag = Math.max(1, (int) Math.floor(0.2 * fs));
            int maxLag = (int) Math.ceil(1.0 * fs);
            double[] r = new double[maxLag + 2];
            for (int lag = minLag - 1; lag <= maxLag + 1; lag++) {
                double acc = 0;
                for (int i = 0; i + lag < epoch; i++) {
                    acc += d[i] * d[i + lag];
                }
                r[lag] = acc / var * epoch / (epoch - lag);
            }
            int best = -1;
            for (int lag = minLag; lag <= maxLag; lag++) {
                if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && (best < 0 || r[lag] > r[best])) {
                    best = lag;
                }
            }
            for (int lag = minLag; best > 0 && lag < best; lag++) { // shortest near-best period
                if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] > 0.8 * r[best]) {
                    best = lag;
                    break;
                }
            }
            if (best < 0 || r[best] < RHYTHM) {
                play++;
                continue;
            }
            double lag = best + parabolicOffset(r[best - 1], r[best], r[best + 1]);
            double cadence = fs / lag;
            if (s >= RUN_MG || cadence >= RUN_HZ) {
                run++;
            } else {
                walk++;
            }
            steps += cadence * EPOCH_S;
        }
        int own = (int) Math.round(steps);
        boolean agrees = pedometerSteps.isPresent()
                && Math.abs(pedometerSteps.getAsInt() - own) <= Math.max(10, 0.2 * own);
        int secs = (int) EPOCH_S;
        return new ActivitySummary(agrees ? pedometerSteps.getAsInt() : own, rest * secs, walk * secs, run * secs,
                play * secs, (int) Math.min(16000, Math.round(peak)), agrees);
    }

    public ActivitySummary window(AccelTrace accel) {
        return window(accel, OptionalInt.empty());
    }

    private static double parabolicOffset(double a, double b, double c) {
        double den = a - 2 * b + c;
        return den == 0 ? 0 : 0.5 * (a - c) / den;
    }
}
