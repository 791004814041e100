package com.pettysync.ml.dsp;

/**
 * Second-order IIR section (RBJ audio-EQ cookbook), Butterworth Q = 1/sqrt(2). Used twice, forwards and
 * backwards ({@link #filtfilt}), it gives a zero-phase band-pass for whole windows of physiological signals.
 */
public final class Biquad {
    private final double b0, b1, b2, a1, a2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
        this.b0 = b0 / a0;
        this.b1 = b1 / a0;
        this.b2 = b2 / a0;
        this.a1 = a1 / a0;
        this.a2 = a2 / a0;
    }

    public static Biquad lowPass(double cutoffHz, double sampleRateHz) {
        double w = 2 * Math.PI * cutoffHz / sampleRateHz;
        double alpha = Math.sin(w) / (2 * Math.sqrt(0.5));
        double c = Math.cos(w);
        return new Biquad((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    public static Biquad highPass(double cutoffHz, double sampleRateHz) {
        double w = 2 * Math.PI * cutoffHz / sampleRateHz;
        double alpha = Math.sin(w) / (2 * Math.sqrt(0.5));
        double c = Math.cos(w);
        return new Biquad((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    /** Filters {@code x} in place, starting from rest at the first sample's value. */
    public void apply(double[] x, boolean reverse) {
        int n = x.length;
        if (n == 0) {
            return;
        }
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int k = 0; k < n; k++) {
            int i = reverse ? n - 1 - k : k;
            double in = x[i];
            double out = b0 * in + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = in;
            y2 = y1;
            y1 = out;
            x[i] = out;
        }
    }

    /**
     * Zero-phase band-pass of a copy of {@code x}: mean removed, then high-pass and low-pass each run forwards
     * and backwards.
     */
    public static double[] bandPass(double[] x, double lowHz, double highHz, double sampleRateHz) {
        double[] y = x.clone();
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= Math.max(1, y.length);
        for (int i = 0; i < y.length; i++) {
            y[i] -= mean;
        }
        Biquad hp = highPass(lowHz, sampleRateHz);
        Biquad lp = lowPass(highHz, sampleRateHz);
        hp.apply(y, false);
        hp.apply(y, true);
        lp.apply(y, false);
        lp.apply(y, true);
        return y;
    }
}
