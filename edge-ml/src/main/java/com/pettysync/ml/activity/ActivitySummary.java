package com.pettysync.ml.activity;

/**
 * The frame's {@code act} section: {@code [steps, rest_s, walk_s, run_s, play_s, peak_mg]}. The four durations
 * count whole 2 s epochs, so they sum to at most the window's length; peak is 0 … 16000 mg.
 *
 * @param stepsFromPedometer true when the IMU's own pedometer count was given and agreed with the count from
 *                           the signal, so it was reported; false when the signal's count was reported
 */
public record ActivitySummary(int steps, int restS, int walkS, int runS, int playS, int peakMg,
        boolean stepsFromPedometer) {
    public ActivitySummary {
        if (steps < 0 || restS < 0 || walkS < 0 || runS < 0 || playS < 0 || peakMg < 0 || peakMg > 16000) {
            throw new IllegalArgumentException("activity summary out of range");
        }
    }

    public int activeS() {
        return walkS + runS + playS;
    }
}
