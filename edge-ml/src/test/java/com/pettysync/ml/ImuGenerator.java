package com.pettysync.ml;

import java.util.Random;

/** Simulated LSM6DSOX acceleration at 52 Hz in milli-g for a sequence of behaviours with known truth. */
public final class ImuGenerator {
    public static final double FS = 52.0;

    public enum State { REST, WALK, RUN, PLAY }

    /** One behaviour for {@code seconds}; WALK and RUN at cadence {@code hz} (steps per second). */
    public record Bout(State state, double seconds, double hz) {}

    public record Imu(AccelTrace accel, double trueSteps) {}

    public static Imu generate(long seed, Bout... bouts) {
        Random rnd = new Random(seed);
        int n = 0;
        for (Bout b : bouts) {
            n += (int) Math.round(b.seconds() * FS);
        }
        double[] x = new double[n], y = new double[n], z = new double[n];
        int i = 0;
        double steps = 0;
        double playX = 0, playY = 0, playZ = 0;
        for (Bout b : bouts) {
            int len = (int) Math.round(b.seconds() * FS);
            double ph = rnd.nextDouble() * 6;
            for (int k = 0; k < len; k++, i++) {
                double t = k / FS;
                double w = 2 * Math.PI * b.hz() * t + ph;
                x[i] = 10 * rnd.nextGaussian();
                y[i] = 10 * rnd.nextGaussian();
                z[i] = 1000 + 10 * rnd.nextGaussian();
                switch (b.state()) {
                    case WALK -> {
                        z[i] += 220 * Math.sin(w) + 60 * Math.sin(2 * w);
                        x[i] += 120 * Math.sin(w + 1);
                    }
                    case RUN -> {
                        z[i] += 900 * Math.sin(w) + 250 * Math.sin(2 * w);
                        x[i] += 500 * Math.sin(w + 1);
                    }
                    case PLAY -> {
                        // smoothed random jolts: strong, not rhythmic
                        playX = 0.85 * playX + 180 * rnd.nextGaussian();
                        playY = 0.85 * playY + 180 * rnd.nextGaussian();
                        playZ = 0.85 * playZ + 180 * rnd.nextGaussian();
                        x[i] += playX;
                        y[i] += playY;
                        z[i] += playZ;
                    }
                    default -> { }
                }
            }
            if (b.state() == State.WALK || b.state() == State.RUN) {
                steps += b.hz() * b.seconds();
            }
        }
        return new Imu(new AccelTrace(FS, x, y, z), steps);
    }

    private ImuGenerator() {}
}
