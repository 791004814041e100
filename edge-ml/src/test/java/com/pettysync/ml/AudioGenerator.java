package com.pettysync.ml;

import java.util.Random;

/**
 * 16 kHz 16-bit test audio built in Java, independently of the Python training data (same ideas: harmonic
 * sources with class-typical pitch and envelope, plus noise): silence with a little hiss, barks, whines, howls,
 * growls.
 */
public final class AudioGenerator {
    public static final int SR = 16_000;
    private final Random rnd;
    private short[] pcm;
    private int length;

    public AudioGenerator(long seed) {
        rnd = new Random(seed);
        pcm = new short[SR * 4];
    }

    private void append(double[] x, double gain) {
        if (length + x.length > pcm.length) {
            pcm = java.util.Arrays.copyOf(pcm, Math.max(pcm.length * 2, length + x.length));
        }
        for (double v : x) {
            double s = Math.max(-1, Math.min(1, v * gain + 0.0005 * rnd.nextGaussian()));
            pcm[length++] = (short) Math.round(s * 32767);
        }
    }

    public AudioGenerator silence(double seconds) {
        append(new double[(int) (seconds * SR)], 0);
        return this;
    }

    /** {@code count} barks, one every {@code spacing} s. */
    public AudioGenerator barks(int count, double spacing) {
        double[] x = new double[(int) (count * spacing * SR)];
        for (int b = 0; b < count; b++) {
            int start = (int) (b * spacing * SR);
            int dur = (int) ((0.12 + 0.08 * rnd.nextDouble()) * SR);
            double f0 = 450 + 300 * rnd.nextDouble();
            double phase = 0;
            for (int i = 0; i < dur && start + i < x.length; i++) {
                double t = i / (double) SR;
                double f = f0 * Math.exp(-3 * t);
                phase += 2 * Math.PI * f / SR;
                double v = 0;
                for (int h = 1; h <= 8; h++) {
                    v += Math.pow(10, -4.0 * (h - 1) / 20) * Math.sin(h * phase);
                }
                double env = Math.min(1, t / 0.008) * Math.exp(-t / (dur / (double) SR * 0.4));
                x[start + i] = env * (0.25 * v + 0.5 * rnd.nextGaussian() * 0.5);
            }
        }
        append(x, 0.5);
        return this;
    }

    public AudioGenerator whine(double seconds) {
        return tone(seconds, 900 + 400 * rnd.nextDouble(), 0.2, 2, 12, 0.1, 0.3);
    }

    public AudioGenerator howl(double seconds) {
        return tone(seconds, 400 + 250 * rnd.nextDouble(), 0.15, 5, 6, 0.3, 0.4);
    }

    private AudioGenerator tone(double seconds, double f0, double glide, int harmonics, double tiltDb,
            double attack, double gain) {
        int n = (int) (seconds * SR);
        double[] x = new double[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) SR;
            double f = f0 * (1 + glide * Math.sin(Math.PI * t / seconds)) * (1 + 0.02 * Math.sin(2 * Math.PI * 6 * t));
            phase += 2 * Math.PI * f / SR;
            double v = 0;
            for (int h = 1; h <= harmonics; h++) {
                v += Math.pow(10, -tiltDb * (h - 1) / 20) * Math.sin(h * phase);
            }
            double env = Math.min(1, t / attack) * Math.min(1, (seconds - t) / 0.1);
            x[i] = env * v / harmonics * 2;
        }
        append(x, gain);
        return this;
    }

    public short[] pcm() {
        return java.util.Arrays.copyOf(pcm, length);
    }

    public int lengthMs() {
        return (int) (length * 1000L / SR);
    }
}
