package com.pettysync.agent.sensing;

import com.pettysync.ml.hr.HeartRateEstimator;
import com.pettysync.ml.hr.HeartRateSummary;
import java.util.Optional;

/**
 * A heart-rate estimate over the last {@value #SPAN_S} s of PPG, made every {@value #EVERY_S} s of samples: the input
 * of the heart-rate alert, which must not wait for a 5-minute window. Uses edge-ml's {@link HeartRateEstimator}
 * (the same as the window's summary) on a ring of the newest {@code SPAN_S × 100} IR samples; no estimate until the
 * ring is full, or when the estimator finds too few beats. Fed by one thread (the PPG's poll); not thread-safe.
 */
final class SlidingHeartRate {
    static final int SPAN_S = 30;
    static final int EVERY_S = 5;
    private static final int N = (int) (SPAN_S * HeartRateEstimator.SAMPLE_RATE_HZ);
    private static final int STEP = (int) (EVERY_S * HeartRateEstimator.SAMPLE_RATE_HZ);

    private final HeartRateEstimator estimator = new HeartRateEstimator();
    private final double[] ring = new double[N];
    private int next;
    private long filled;
    private int sinceEstimate;

    /** Adds one IR sample; returns an estimate when one is due and the estimator found one. */
    Optional<HeartRateSummary> add(double ir) {
        ring[next] = ir;
        next = (next + 1) % N;
        filled++;
        if (++sinceEstimate < STEP || filled < N) {
            return Optional.empty();
        }
        sinceEstimate = 0;
        double[] ordered = new double[N];
        System.arraycopy(ring, next, ordered, 0, N - next);
        System.arraycopy(ring, 0, ordered, N - next, next);
        try {
            return estimator.window(ordered, null);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A gap in the samples (a sensor fault): start filling again. */
    void reset() {
        filled = 0;
        sinceEstimate = 0;
    }
}
