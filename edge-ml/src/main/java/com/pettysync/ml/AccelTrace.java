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

    /** Vector magnitude of sample {@code i} in milli-g. */
    public double magnitude(int i) {
        return Math.sqrt(x[i] * x[i] + y[i] * y[i] + z[i] * z[i]);
    }
}
