package com.pettysync.ml.hr;

/**
 * The frame's {@code hr} section for one window: {@code [mean_bpm, min_bpm, max_bpm, rmssd_ms, quality_pct]}.
 * Ranges follow wire-v1: bpm 20 … 400 with min ≤ mean ≤ max, RMSSD 0 … 2000 ms, quality 0 … 100.
 *
 * @param meanBpm  60 000 / mean beat interval over the valid beats of the window
 * @param minBpm   slowest 8 s segment's mean rate
 * @param maxBpm   fastest 8 s segment's mean rate
 * @param rmssdMs  root mean square of successive differences of valid beat intervals
 * @param qualityPct share of the window covered by valid beats times their periodicity, 0 … 100
 * @param beats    number of valid beat intervals behind the numbers
 */
public record HeartRateSummary(int meanBpm, int minBpm, int maxBpm, int rmssdMs, int qualityPct, int beats) {
    public HeartRateSummary {
        if (meanBpm < 20 || maxBpm > 400 || minBpm > meanBpm || meanBpm > maxBpm || rmssdMs < 0 || rmssdMs > 2000
                || qualityPct < 0 || qualityPct > 100) {
            throw new IllegalArgumentException("heart-rate summary out of range: " + meanBpm + "/" + minBpm + "/"
                    + maxBpm + "/" + rmssdMs + "/" + qualityPct);
        }
    }
}
