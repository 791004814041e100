package com.pettysync.ml.dsp;

/** In-place iterative radix-2 complex FFT; power spectra of real frames for the heart-rate tracker. */
public final class Fft {
    private Fft() {}

    /** Forward transform of (re, im) in place; the length must be a power of two. */
    public static void transform(double[] re, double[] im) {
        int n = re.length;
        if (Integer.bitCount(n) != 1 || im.length != n) {
            throw new IllegalArgumentException("FFT length must be a power of two, got " + n);
        }
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            double wr = Math.cos(ang);
            double wi = Math.sin(ang);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double t = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = t;
                }
            }
        }
    }

    /**
     * Power spectrum |X_k|^2, k = 0 … n/2, of {@code x[from, from + len)} with its mean removed, a Hann window and
     * zero padding to {@code n}.
     */
    public static double[] hannPower(double[] x, int from, int len, int n) {
        double[] re = new double[n];
        double[] im = new double[n];
        double mean = 0;
        for (int i = 0; i < len; i++) {
            mean += x[from + i];
        }
        mean /= len;
        for (int i = 0; i < len; i++) {
            re[i] = (x[from + i] - mean) * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / len));
        }
        transform(re, im);
        double[] p = new double[n / 2 + 1];
        for (int k = 0; k < p.length; k++) {
            p[k] = re[k] * re[k] + im[k] * im[k];
        }
        return p;
    }
}
