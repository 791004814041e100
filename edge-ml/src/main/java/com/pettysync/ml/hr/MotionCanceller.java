package com.pettysync.ml.hr;

/**
 * Removes from a moving PPG segment what is linear in the collar's motion: the ridge least-squares fit of the
 * segment on the three accelerometer axes at lags {@link #LAGS} (−300 … +300 ms at 100 samples/s), subtracted.
 * What is not linear (saturation, coupling that changes with fit and posture, IMU clipping) stays; the
 * {@link MotionRateTracker} handles it. Stateless.
 */
final class MotionCanceller {
    /** Lags of the accelerometer columns, in samples. */
    static final int[] LAGS = {-30, -25, -20, -15, -10, -5, 0, 5, 10, 15, 20, 25, 30};

    private MotionCanceller() {}

    /** Subtracts the ridge least-squares fit of {@code seg} on lagged accelerometer axes. */
    static void cancel(double[] seg, double[][] a) {
        int n = seg.length;
        int p = a.length * LAGS.length;
        double[][] cols = new double[p][n];
        int k = 0;
        for (double[] axis : a) {
            for (int lag : LAGS) {
                for (int i = 0; i < n; i++) {
                    int j = i - lag;
                    cols[k][i] = j >= 0 && j < n ? axis[j] : 0;
                }
                k++;
            }
        }
        double[][] ata = new double[p][p + 1];
        double trace = 0;
        for (int r = 0; r < p; r++) {
            for (int c = r; c < p; c++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += cols[r][i] * cols[c][i];
                }
                ata[r][c] = s;
                ata[c][r] = s;
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += cols[r][i] * seg[i];
            }
            ata[r][p] = s;
            trace += ata[r][r];
        }
        if (trace <= 1e-9) {
            return; // no motion at all
        }
        double ridge = 1e-3 * trace / p;
        for (int r = 0; r < p; r++) {
            ata[r][r] += ridge;
        }
        double[] w = solve(ata, p);
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int c = 0; c < p; c++) {
                fit += w[c] * cols[c][i];
            }
            seg[i] -= fit;
        }
    }

    /** Gaussian elimination with partial pivoting on an augmented p x (p+1) matrix. */
    private static double[] solve(double[][] m, int p) {
        for (int col = 0; col < p; col++) {
            int pivot = col;
            for (int r = col + 1; r < p; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < p; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= p; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] w = new double[p];
        for (int r = p - 1; r >= 0; r--) {
            double s = m[r][p];
            for (int c = r + 1; c < p; c++) {
                s -= m[r][c] * w[c];
            }
            w[r] = s / m[r][r];
        }
        return w;
    }

}
