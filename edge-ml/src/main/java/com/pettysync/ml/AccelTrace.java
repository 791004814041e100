package com.pettysync.ml;

/**
 * Three-axis acceleration in milli-g, sampled at {@code sampleRateHz}, equal-length arrays (gravity included).
 * The arrays are not copied: callers hand over ownership.
 */
public record AccelTrace(double sampleRateHz, double[] x, double[] y, double[] z) {
    public AccelTrace {
        if (sampleRateHz <= 0 || x.length != y.length || x.length != z.length) {
            throw new IllegalArgumentException("accelerometer axes must have equal length and a positive rate");
        }
    }

    public int length() {
        return x.length;
    }

    /**
     * This trace linearly interpolated to {@code samples} samples at {@code rateHz}, both starting at the same
     * instant (the heart-rate estimator wants the accelerometer at the PPG's 100 samples/s and length). Samples
     * past the end repeat the last value.
     */
    public AccelTrace resample(double rateHz, int samples) {
        if (rateHz <= 0 || samples < 0) {
            throw new IllegalArgumentException("bad resampling target " + rateHz + " Hz, " + samples + " samples");
        }
        double[][] in = {x, y, z};
        double[][] out = new double[3][samples];
        for (int i = 0; i < samples; i++) {
            double pos = i * sampleRateHz / rateHz;
            int k = (int) pos;
            double f = pos - k;
            for (int a = 0; a < 3; a++) {
                double[] v = in[a];
                if (v.length == 0) {
                    out[a][i] = 0;
                } else if (k + 1 < v.length) {
                    out[a][i] = v[k] * (1 - f) + v[k + 1] * f;
                } else {
                    out[a][i] = v[v.length - 1];
                }
            }
        }
        return new AccelTrace(rateHz, out[0], out[1], out[2]);
    }

    /** Vector magnitude of sample {@code i} in milli-g. */
    public double magnitude(int i) {
        return Math.sqrt(x[i] * x[i] + y[i] * y[i] + z[i] * z[i]);
    }
}
