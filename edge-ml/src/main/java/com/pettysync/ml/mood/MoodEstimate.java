package com.pettysync.ml.mood;

import java.util.List;

/**
 * The on-device mood pre-inference for one window: mood, confidence 0 … 100 and the reasons that moved it (one
 * short sentence per rule that fired, for logs and diagnostics).
 */
public record MoodEstimate(Mood mood, int confPct, List<String> reasons) {
    public MoodEstimate {
        if (confPct < 0 || confPct > 100) {
            throw new IllegalArgumentException("confidence " + confPct);
        }
        reasons = List.copyOf(reasons);
    }
}
