package com.pettysync.ml.hr;

import com.pettysync.ml.dsp.Fft;

/**
 * Heart rate while the collar moves: spectral peak tracking over time with the motion's own frequencies masked
 * out, so the artefact may be any non-linear, lagged, saturated function of the motion.
 *
 * <p>Why masks and not a model of the artefact: whatever the optical path does to the motion (saturation,
 * coupling that changes with fit and posture, lag, clipping of the IMU but not of the artefact), a periodic
 * gait produces artefact power only at the gait's harmonics (and intermodulation products, which are harmonics
 * of the stride). So the tracker needs only the gait's frequencies, which the accelerometer gives reliably even
 * when it clips; it does not need the artefact's shape.
 *
 * <p>Per frame ({@link #FRAME} samples every {@link #HOP}): power spectra (Hann, zero-padded to {@link #NFFT}) of
 * the PPG and of the three accelerometer axes. Masked: every spectral peak of the summed accelerometer power above
 * {@link #ACCEL_MASK} of the strongest and {@link #NOISE_FLOOR_FACTOR} times the band's median (sensor noise is
 * not gait), and harmonics 1 … 8 of the strongest (non-linear products of the gait),
 * each widened by ±{@link #MASK_HZ}. Score of a rate b (bpm, {@link #MIN_BPM} … {@link #MAX_BPM}: a 40 … 240 bpm
 * mean drifts beyond its ends within a window): the PPG power at b plus half the power at 2b, that vote capped at
 * the power at b (the pulse's own second harmonic supports a fundamental that is there, not a sub-harmonic track
 * half-way down), divided by the frame's unmasked power.
 * Tracking: Viterbi over frames, the rate moving at most {@link #MAX_STEP_BPM} per hop with a cost per bpm of
 * change; a masked rate gets the frame's median score (unknown, neither for nor against), so the track can
 * coast through a crossing with the cadence but such a frame is never reported.
 *
 * <p>A frame's rate is trustworthy when the track there is a local maximum with no mask within
 * {@link #CLEAR_BPM} (not the shoulder of a masked peak, nor a breathing side band of a motion line), is the
 * frame's strongest unmasked peak (within {@link #PEAK_RATIO}), holds at least {@link #MIN_CONCENTRATION} of the unmasked power, outweighs its own second
 * harmonic, and is not the second harmonic of a pulse hidden under the motion (power at 1.5 b, the third harmonic
 * of b / 2, while b / 2 is masked); otherwise the frame reports nothing. Stateless and thread-safe.
 */
final class MotionRateTracker {
    static final int FRAME = 800;
    static final int HOP = 200;
    static final int NFFT = 2048;
    static final int MIN_BPM = 36;
    static final int MAX_BPM = 264;
    static final double ACCEL_MASK = 0.03;
    static final double MASK_HZ = 0.06;
    /** A motion peak must stand this many times above the median accelerometer power of the band. */
    static final double NOISE_FLOOR_FACTOR = 10.0;
    static final int MAX_STEP_BPM = 12;
    static final double STEP_COST = 0.08;
    static final double PEAK_RATIO = 0.6;
    static final double MIN_CONCENTRATION = 0.05;
    static final int CLEAR_BPM = 16;
    static final double THIRD_RATIO = 0.05;

    private final double fs;

    MotionRateTracker(double sampleRateHz) {
        this.fs = sampleRateHz;
    }

    /**
     * Per frame: rate in bpm or NaN where it cannot be trusted, its concentration (0 … 1), and for diagnostics the
     * track's raw rate, its share of the strongest unmasked peak, whether a rule refused it, and the motion's main
     * frequency (Hz, 0 without motion).
     */
    record Track(int[] frameStart, double[] bpm, double[] concentration, double[] rawBpm, double[] ratio, boolean[] hidden,
            double[] motionHz, double[][] score, boolean[][] masked) {}

    Track track(double[] ppg, double[][] acc) {
        int frames = ppg.length < FRAME ? 0 : 1 + (ppg.length - FRAME) / HOP;
        int states = MAX_BPM - MIN_BPM + 1;
        double[][] score = new double[frames][states];
        boolean[][] masked = new boolean[frames][states];
        boolean[][] ownPeak = new boolean[frames][states];
        boolean[][] thirdHarmonic = new boolean[frames][states];
        double[] motionHz = new double[frames];
        double binHz = fs / NFFT;
        for (int f = 0; f < frames; f++) {
            int from = f * HOP;
            double[] p = Fft.hannPower(ppg, from, FRAME, NFFT);
            boolean[] maskBin = new boolean[p.length];
            if (acc != null) {
                double[] a = new double[p.length];
                for (double[] axis : acc) {
                    double[] pa = Fft.hannPower(axis, from, FRAME, NFFT);
                    for (int k = 0; k < a.length; k++) {
                        a[k] += pa[k];
                    }
                }
                int lo = (int) (0.4 / binHz);
                int hi = Math.min(a.length - 1, (int) (5.0 / binHz));
                int peak = lo;
                double max = 0;
                for (int k = lo; k <= hi; k++) {
                    if (a[k] > max) {
                        max = a[k];
                        peak = k;
                    }
                }
                int widen = (int) Math.ceil(MASK_HZ / binHz);
                motionHz[f] = max > 0 ? vertex(a, peak) * binHz : 0;
                if (max > 0) {
                    double[] band = java.util.Arrays.copyOfRange(a, lo, hi + 1);
                    java.util.Arrays.sort(band);
                    double floor = NOISE_FLOOR_FACTOR * band[band.length / 2]; // accelerometer noise is not gait
                    for (int k = Math.max(1, lo); k <= hi; k++) {
                        if (a[k] > ACCEL_MASK * max && a[k] > floor && a[k] >= a[k - 1] && a[k] >= a[k + 1]) {
                            mark(maskBin, k, widen); // every spectral peak of the motion, not its skirts
                        }
                    }
                    for (int h = 1; h <= 8; h++) {
                        mark(maskBin, h * peak, widen);
                    }
                }
            }
            double total = 0;
            for (int k = (int) (MIN_BPM / 60.0 / binHz); k <= (int) (2 * MAX_BPM / 60.0 / binHz) && k < p.length; k++) {
                if (!maskBin[k]) {
                    total += p[k];
                }
            }
            for (int s = 0; s < states; s++) {
                double hz = (MIN_BPM + s) / 60.0;
                int k = (int) Math.round(hz / binHz);
                int k2 = (int) Math.round(2 * hz / binHz);
                masked[f][s] = maskBin[k];
                double own = peakPower(p, k);
                double octave = k2 < p.length && !maskBin[k2] ? 0.5 * peakPower(p, k2) : 0;
                double v = own + Math.min(own, octave); // a harmonic supports only a fundamental that is there
                ownPeak[f][s] = own >= octave; // a fundamental outweighs its own second harmonic
                // power at 1.5 b is the third harmonic of a pulse at b / 2 (a fundamental at b has none there):
                // then b may be the second harmonic of a pulse hidden under the motion
                int k3 = (int) Math.round(1.5 * hz / binHz);
                int kh = (int) Math.round(0.5 * hz / binHz);
                thirdHarmonic[f][s] = k3 < p.length && !maskBin[k3] && maskBin[kh] && peakPower(p, k3) > THIRD_RATIO * own;
                score[f][s] = total > 0 ? v / total : 0;
            }
        }
        int[] path = viterbi(score, masked);
        int[] starts = new int[frames];
        double[] bpm = new double[frames];
        double[] conc = new double[frames];
        double[] raw = new double[frames];
        double[] ratio = new double[frames];
        boolean[] hidden = new boolean[frames];
        for (int f = 0; f < frames; f++) {
            starts[f] = f * HOP;
            int s = path[f];
            double best = 0;
            for (int q = 0; q < states; q++) {
                if (!masked[f][q]) {
                    best = Math.max(best, score[f][q]);
                }
            }
            conc[f] = score[f][s];
            int half = (s + MIN_BPM) / 2 - MIN_BPM; // the rate an octave down: is this the pulse's 2nd harmonic?
            boolean octaveHidden = half >= 0 && masked[f][half];
            boolean peak = true; // a real local maximum, clear of every mask: not the shoulder of a masked peak
            for (int q = Math.max(0, s - CLEAR_BPM); q <= Math.min(states - 1, s + CLEAR_BPM); q++) {
                if (masked[f][q] || score[f][q] > score[f][s]) {
                    peak = false;
                    break;
                }
            }
            boolean ok = peak && ownPeak[f][s] && !thirdHarmonic[f][s] && best > 0 && score[f][s] >= PEAK_RATIO * best
                    && score[f][s] >= MIN_CONCENTRATION;
            bpm[f] = ok ? refine(score[f], s) + MIN_BPM : Double.NaN;
            raw[f] = refine(score[f], s) + MIN_BPM;
            ratio[f] = best > 0 ? score[f][s] / best : 0;
            hidden[f] = !peak || octaveHidden || !ownPeak[f][s];
        }
        return new Track(starts, bpm, conc, raw, ratio, hidden, motionHz, score, masked);
    }

    private static void mark(boolean[] mask, int k, int widen) {
        for (int j = Math.max(0, k - widen); j <= Math.min(mask.length - 1, k + widen); j++) {
            mask[j] = true;
        }
    }

    /** The largest power within one bin of k (a rate rarely sits exactly on a bin). */
    private static double peakPower(double[] p, int k) {
        double v = 0;
        for (int j = Math.max(0, k - 1); j <= Math.min(p.length - 1, k + 1); j++) {
            v = Math.max(v, p[j]);
        }
        return v;
    }

    /** Parabolic vertex of the log power around bin k (fractional bin; a Hann peak is near-Gaussian). */
    private static double vertex(double[] p, int k) {
        if (k == 0 || k == p.length - 1 || p[k - 1] <= 0 || p[k + 1] <= 0) {
            return k;
        }
        double a = Math.log(p[k - 1]);
        double b = Math.log(p[k]);
        double c = Math.log(p[k + 1]);
        double d = a - 2 * b + c;
        return d < 0 ? k + Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / d)) : k;
    }

    /** Parabolic vertex around state s (fractional bpm). */
    static double refine(double[] score, int s) {
        if (s == 0 || s == score.length - 1) {
            return s;
        }
        double a = score[s - 1];
        double b = score[s];
        double c = score[s + 1];
        double d = a - 2 * b + c;
        if (d >= 0) {
            return s;
        }
        double off = 0.5 * (a - c) / d;
        return Math.abs(off) <= 1 ? s + off : s;
    }

    static int[] viterbi(double[][] score, boolean[][] masked) {
        return viterbi(score, masked, 0, score.length == 0 ? 0 : score[0].length - 1);
    }

    /** The Viterbi path restricted to states {@code lo … hi} (indices into the score rows). */
    static int[] viterbi(double[][] score, boolean[][] masked, int lo, int hi) {
        int frames = score.length;
        if (frames == 0) {
            return new int[0];
        }
        int states = score[0].length;
        double[][] cost = new double[frames][states];
        int[][] from = new int[frames][states];
        for (int f = 0; f < frames; f++) {
            double[] e = emission(score[f], masked[f]); // the neutral score is the whole frame's, not the band's
            for (int s = lo; s <= hi; s++) {
                if (f == 0) {
                    cost[f][s] = e[s];
                    continue;
                }
                double best = Double.MAX_VALUE;
                int arg = s;
                for (int q = Math.max(lo, s - MAX_STEP_BPM); q <= Math.min(hi, s + MAX_STEP_BPM); q++) {
                    double c = cost[f - 1][q] + STEP_COST * Math.abs(s - q);
                    if (c < best) {
                        best = c;
                        arg = q;
                    }
                }
                cost[f][s] = best + e[s];
                from[f][s] = arg;
            }
        }
        int[] path = new int[frames];
        int s = lo;
        for (int q = lo + 1; q <= hi; q++) {
            if (cost[frames - 1][q] < cost[frames - 1][s]) {
                s = q;
            }
        }
        for (int f = frames - 1; f >= 0; f--) {
            path[f] = s;
            s = from[f][s];
        }
        return path;
    }

    /** −log of the score; masked states get the median of the unmasked ones. */
    private static double[] emission(double[] score, boolean[] masked) {
        double[] e = new double[score.length];
        double[] open = new double[score.length];
        int n = 0;
        for (int s = 0; s < score.length; s++) {
            e[s] = -Math.log(score[s] + 1e-4);
            if (!masked[s]) {
                open[n++] = e[s];
            }
        }
        double neutral;
        if (n == 0) {
            neutral = 0;
        } else {
            double[] sorted = java.util.Arrays.copyOf(open, n);
            java.util.Arrays.sort(sorted);
            neutral = sorted[n / 2];
        }
        for (int s = 0; s < score.length; s++) {
            if (masked[s]) {
                e[s] = neutral;
            }
        }
        return e;
    }
}
