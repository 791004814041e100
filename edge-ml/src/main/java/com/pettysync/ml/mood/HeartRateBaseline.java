package com.pettysync.ml.mood;

import java.util.OptionalDouble;

/**
 * The dog's own resting heart rate, learnt on the collar: an exponential average (weight {@code 1/20} per
 * window, about 1.5 h of 5-minute windows) of the mean rate of windows the dog mostly rested in (≥ 80 % rest)
 * with a usable signal (quality ≥ 50). Known after 3 such windows. Not thread-safe; the agent owns one per dog
 * and may persist {@link #value()} / restore it with {@link #restore}.
 */
public final class HeartRateBaseline {
    private static final double WEIGHT = 1.0 / 20;
    private double value;
    private int samples;

    /** Offers one window; returns whether it was used. */
    public boolean offer(int meanBpm, int qualityPct, double restFraction) {
        if (qualityPct < 50 || restFraction < 0.8) {
            return false;
        }
        value = samples == 0 ? meanBpm : value + (meanBpm - value) * Math.max(WEIGHT, 1.0 / (samples + 1));
        samples++;
        return true;
    }

    public OptionalDouble value() {
        return samples >= 3 ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    public static HeartRateBaseline restore(double bpm) {
        HeartRateBaseline b = new HeartRateBaseline();
        b.value = bpm;
        b.samples = 3;
        return b;
    }
}
