package com.pettysync.ml.vocal;

/**
 * Log-mel front end of the vocalisation classifier; the same definition as {@code edge-ml/training/features.py}
 * (a test checks one clip against the Python output).
 *
 * <pre>
 * input      16 kHz mono, samples scaled to [-1, 1) (int16 / 32768)
 * frames     400 samples (25 ms) every 160 samples (10 ms), no padding: frame i = samples [160 i, 160 i + 400)
 * window     periodic Hann, w[n] = 0.5 - 0.5 cos(2 pi n / 400)
 * spectrum   zero-padded to n_fft = 512, power |X_k|^2 for k = 0 .. 256
 * mel bank   40 triangular filters, HTK mel (2595 log10(1 + f / 700)), centres evenly spaced in mel between
 *            fmin = 50 Hz and fmax = 8000 Hz, peak 1 (not area-normalised)
 * log        natural log of (mel energy + 1e-6)
 * 1 s window 16000 samples -> 98 frames x 40 bands, row-major [frame][band]
 * </pre>
 *
 * <p>Instances hold scratch buffers and are not thread-safe; create one per thread.
 */
public final class LogMelSpectrogram {
    public static final int SAMPLE_RATE = 16_000;
    public static final int WIN = 400;
    public static final int HOP = 160;
    public static final int N_FFT = 512;
    public static final int N_MELS = 40;
    public static final double FMIN = 50.0;
    public static final double FMAX = 8000.0;
    public static final double LOG_OFFSET = 1e-6;
    /** Samples in one classifier window (1 s). */
    public static final int WINDOW_SAMPLES = SAMPLE_RATE;
    /** Frames in one classifier window. */
    public static final int FRAMES = 1 + (WINDOW_SAMPLES - WIN) / HOP;

    private static final int BINS = N_FFT / 2 + 1;
    private static final double[] HANN = new double[WIN];
    /** Non-zero span of each filter: first bin and weights. */
    private static final int[] FILTER_START = new int[N_MELS];
    private static final double[][] FILTER_WEIGHTS = new double[N_MELS][];
    private static final double[] COS = new double[N_FFT / 2];
    private static final double[] SIN = new double[N_FFT / 2];
    private static final int[] BIT_REVERSED = new int[N_FFT];

    static {
        for (int n = 0; n < WIN; n++) {
            HANN[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / WIN);
        }
        double[] hz = new double[N_MELS + 2];
        double lo = hzToMel(FMIN);
        double hi = hzToMel(FMAX);
        for (int i = 0; i < hz.length; i++) {
            hz[i] = melToHz(lo + (hi - lo) * i / (N_MELS + 1));
        }
        for (int m = 0; m < N_MELS; m++) {
            double[] w = new double[BINS];
            int first = -1;
            int last = -1;
            for (int k = 0; k < BINS; k++) {
                double f = (double) k * SAMPLE_RATE / N_FFT;
                double up = (f - hz[m]) / (hz[m + 1] - hz[m]);
                double down = (hz[m + 2] - f) / (hz[m + 2] - hz[m + 1]);
                w[k] = Math.max(0.0, Math.min(up, down));
                if (w[k] > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                first = 0;
                last = -1;
            }
            FILTER_START[m] = first;
            FILTER_WEIGHTS[m] = java.util.Arrays.copyOfRange(w, first, last + 1);
        }
        for (int i = 0; i < N_FFT / 2; i++) {
            COS[i] = Math.cos(2 * Math.PI * i / N_FFT);
            SIN[i] = -Math.sin(2 * Math.PI * i / N_FFT);
        }
        int bits = Integer.numberOfTrailingZeros(N_FFT);
        for (int i = 0; i < N_FFT; i++) {
            BIT_REVERSED[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    private final double[] re = new double[N_FFT];
    private final double[] im = new double[N_FFT];
    private final double[] power = new double[BINS];

    static double hzToMel(double f) {
        return 2595.0 * Math.log10(1.0 + f / 700.0);
    }

    static double melToHz(double m) {
        return 700.0 * (Math.pow(10.0, m / 2595.0) - 1.0);
    }

    /** Frames produced for {@code samples} input samples (0 when fewer than one window). */
    public static int frameCount(int samples) {
        return samples < WIN ? 0 : 1 + (samples - WIN) / HOP;
    }

    /**
     * Log-mel of {@code length} 16-bit samples starting at {@code offset} of {@code pcm}, written row-major
     * [frame][band] into {@code out} (at least {@code frameCount(length) * N_MELS} floats).
     */
    public void compute(short[] pcm, int offset, int length, float[] out) {
        int frames = frameCount(length);
        if (out.length < frames * N_MELS) {
            throw new IllegalArgumentException("output holds " + out.length + " floats, need " + frames * N_MELS);
        }
        for (int f = 0; f < frames; f++) {
            int start = offset + f * HOP;
            for (int n = 0; n < WIN; n++) {
                re[n] = pcm[start + n] / 32768.0 * HANN[n];
            }
            frame(out, f * N_MELS);
        }
    }

    /** Log-mel of one 1 s window: a new [FRAMES * N_MELS] array. */
    public float[] window(short[] pcm, int offset) {
        float[] out = new float[FRAMES * N_MELS];
        compute(pcm, offset, WINDOW_SAMPLES, out);
        return out;
    }

    private void frame(float[] out, int at) {
        java.util.Arrays.fill(re, WIN, N_FFT, 0.0);
        java.util.Arrays.fill(im, 0.0);
        fft();
        for (int k = 0; k < BINS; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k];
        }
        for (int m = 0; m < N_MELS; m++) {
            double[] w = FILTER_WEIGHTS[m];
            int s = FILTER_START[m];
            double e = 0;
            for (int i = 0; i < w.length; i++) {
                e += w[i] * power[s + i];
            }
            out[at + m] = (float) Math.log(e + LOG_OFFSET);
        }
    }

    /** In-place iterative radix-2 FFT of re/im (N_FFT points). */
    private void fft() {
        for (int i = 0; i < N_FFT; i++) {
            int j = BIT_REVERSED[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int size = 2; size <= N_FFT; size <<= 1) {
            int half = size >> 1;
            int step = N_FFT / size;
            for (int start = 0; start < N_FFT; start += size) {
                for (int k = 0; k < half; k++) {
                    double wr = COS[k * step];
                    double wi = SIN[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
