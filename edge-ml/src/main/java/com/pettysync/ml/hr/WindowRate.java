package com.pettysync.ml.hr;

import java.util.Arrays;

/**
 * The window's mean rate under motion, from the moving segments that reported a rate and the tracker's frames where
 * the pulse is visible, and a bound on how far that mean may be from the whole window's.
 *
 * <p>Why: a window's rate drifts (exercise, breathing, arousal), so the mean of a few reporting 8 s segments is not
 * the window's mean; at 230 bpm a 4 % drift is 9 bpm. Two steps:
 * <ol>
 *   <li><b>Anchors.</b> Each accepted (and each still) segment's rate at its centre, and each tracker frame where a
 *       Viterbi track restricted to the window's reference rate ± {@link HeartRateEstimator#MOTION_AGREEMENT} is
 *       <i>visible</i>: on the frame's strongest unmasked peak, with no motion line within
 *       {@link MotionRateTracker#CLEAR_BPM} (the tracker's own rule for a trustworthy peak, without its harmonic
 *       tests: the band already says which octave the pulse is in). A moving segment without a rate gets the
 *       anchors' rate interpolated linearly across it (held at the nearest anchor beyond the first and last), so
 *       the mean covers the whole window instead of the reporting segments only.
 *   <li><b>Trust bound.</b> Away from any anchor the rate is unknown; each instant of the window contributes
 *       {@code min(DRIFT_PER_S × its distance beyond the nearest anchor's reach, MAX_DRIFT)} of the rate to the
 *       bound on the mean's error (an anchor reaches over its own 8 s). When that bound plus
 *       {@link #ANCHOR_ERROR_BPM} for the anchors' own error exceeds {@link #TOLERANCE_BPM}, the motion part of the
 *       window gives no rate. The drift prior (0.4 % per second, 8 % at most within a window) is a steadily
 *       exercising dog's — and the test generator's (±4 % over the window), so against that generator the bound is
 *       no independent check.
 * </ol>
 * Stateless.
 */
final class WindowRate {
    /** Largest drift of the rate per second of distance from an anchor, relative to the rate. */
    static final double DRIFT_PER_S = 0.004;
    /** Largest difference between two parts of one window's rate, relative to the rate. */
    static final double MAX_DRIFT = 0.08;
    /** The error a reported mean may have under motion. */
    static final double TOLERANCE_BPM = 8.0;
    /** What the anchors' own error may add to the mean's (about their mean error under motion, 1–2 bpm). */
    static final double ANCHOR_ERROR_BPM = 2.0;
    /** Visible tracker frames (2 s apart) that let one accepted segment speak for the window. */
    static final int MIN_VISIBLE_FRAMES = 6;

    /**
     * @param rates         per segment: the accepted rate, or the interpolated one for a fillable segment; NaN
     *                      elsewhere
     * @param visibleFrames tracker frames on which the band track saw the pulse
     * @param boundBpm      bound on the error of the mean of {@code rates} against the whole window's mean
     */
    record Estimate(double[] rates, int visibleFrames, double boundBpm) {
        /** Whether the drift bound leaves the mean within the tolerance, the anchors' own error included. */
        boolean trusted() {
            return boundBpm + ANCHOR_ERROR_BPM <= TOLERANCE_BPM;
        }
    }

    private WindowRate() {}

    /**
     * @param accepted  per moving segment, the rate accepted for it (NaN: none)
     * @param still     per still segment, its beat rate (NaN: none); an anchor, not among the returned rates
     * @param reference the window's reference rate (centre of the band track)
     * @param fillable  per segment, whether a missing rate may be interpolated (moving and within range)
     * @param samples   the window's length in samples (the bound covers all of it)
     */
    static Estimate estimate(MotionRateTracker.Track track, double[] accepted, double[] still, double reference,
            boolean[] fillable, int segment, int samples, double sampleRateHz) {
        double[] t = new double[2 * accepted.length + (track == null ? 0 : track.bpm().length)];
        double[] r = new double[t.length];
        int n = 0;
        for (int k = 0; k < accepted.length; k++) {
            for (double bpm : new double[] {accepted[k], still[k]}) {
                if (!Double.isNaN(bpm)) {
                    t[n] = (k + 0.5) * segment;
                    r[n++] = bpm;
                }
            }
        }
        int visible = 0;
        if (track != null && !Double.isNaN(reference)) {
            double[][] score = track.score();
            int states = score.length == 0 ? 0 : score[0].length;
            double band = HeartRateEstimator.MOTION_AGREEMENT * reference;
            int lo = Math.max(0, (int) Math.floor(reference - band) - MotionRateTracker.MIN_BPM);
            int hi = Math.min(states - 1, (int) Math.ceil(reference + band) - MotionRateTracker.MIN_BPM);
            int[] path = lo < hi ? MotionRateTracker.viterbi(score, track.masked(), lo, hi) : new int[0];
            for (int f = 0; f < path.length; f++) {
                if (visible(score[f], track.masked()[f], path[f])) {
                    t[n] = track.frameStart()[f] + MotionRateTracker.FRAME / 2.0;
                    r[n++] = MotionRateTracker.refine(score[f], path[f]) + MotionRateTracker.MIN_BPM;
                    visible++;
                }
            }
        }
        double[] rates = new double[accepted.length];
        Arrays.fill(rates, Double.NaN);
        if (n == 0) {
            return new Estimate(rates, 0, Double.POSITIVE_INFINITY);
        }
        sort(t, r, n);
        double sum = 0;
        int m = 0;
        for (int k = 0; k < accepted.length; k++) {
            if (!Double.isNaN(accepted[k])) {
                rates[k] = accepted[k];
            } else if (fillable[k] && Double.isNaN(still[k])) {
                double s = 0;
                for (int q = 0; q < 4; q++) {
                    s += interpolate(t, r, n, k * segment + (q + 0.5) * segment / 4.0);
                }
                rates[k] = s / 4;
            }
            if (!Double.isNaN(rates[k])) {
                sum += rates[k];
                m++;
            }
        }
        double mean = sum / m;
        // bound: every half second of the window, the drift possible beyond the nearest anchor's reach
        double step = sampleRateHz / 2;
        double reach = segment / 2.0;
        double drift = 0;
        int points = 0;
        for (double x = step / 2; x < samples; x += step) {
            double nearest = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                nearest = Math.min(nearest, Math.abs(x - t[i]));
            }
            double seconds = Math.max(0, nearest - reach) / sampleRateHz;
            drift += Math.min(DRIFT_PER_S * seconds, MAX_DRIFT);
            points++;
        }
        return new Estimate(rates, visible, mean * drift / points);
    }

    /**
     * The band track's state {@code s} is an unmasked local maximum with no mask within the tracker's clearance,
     * the frame's strongest unmasked peak (within {@link MotionRateTracker#PEAK_RATIO}) and holds at least
     * {@link MotionRateTracker#MIN_CONCENTRATION} of its unmasked power: a band around a wrong reference then shows
     * nothing.
     */
    private static boolean visible(double[] score, boolean[] masked, int s) {
        double best = 0;
        for (int q = 0; q < score.length; q++) {
            if (!masked[q]) {
                best = Math.max(best, score[q]);
            }
        }
        if (score[s] < MotionRateTracker.PEAK_RATIO * best || score[s] < MotionRateTracker.MIN_CONCENTRATION) {
            return false;
        }
        for (int q = Math.max(0, s - MotionRateTracker.CLEAR_BPM);
                q <= Math.min(score.length - 1, s + MotionRateTracker.CLEAR_BPM); q++) {
            if (masked[q] || score[q] > score[s]) {
                return false;
            }
        }
        return true;
    }

    /** Sorts the first {@code n} points by time. */
    private static void sort(double[] t, double[] r, int n) {
        for (int i = 1; i < n; i++) {
            double ti = t[i];
            double ri = r[i];
            int j = i - 1;
            while (j >= 0 && t[j] > ti) {
                t[j + 1] = t[j];
                r[j + 1] = r[j];
                j--;
            }
            t[j + 1] = ti;
            r[j + 1] = ri;
        }
    }

    /** Linear interpolation of the sorted points at {@code x}, held at the first and last point beyond them. */
    private static double interpolate(double[] t, double[] r, int n, double x) {
        if (x <= t[0]) {
            return r[0];
        }
        for (int i = 1; i < n; i++) {
            if (x <= t[i]) {
                if (t[i] == t[i - 1]) {
                    return (r[i] + r[i - 1]) / 2;
                }
                return r[i - 1] + (x - t[i - 1]) / (t[i] - t[i - 1]) * (r[i] - r[i - 1]);
            }
        }
        return r[n - 1];
    }
}
