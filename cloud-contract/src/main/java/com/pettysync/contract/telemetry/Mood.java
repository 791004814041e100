package com.pettysync.contract.telemetry;

import java.util.Objects;

/** Key 7 {@code mood}: mood estimate, its confidence (percent) and vocal episodes per class in the window. */
public record Mood(MoodClass mood, int confPct, int barks, int growls, int whines, int howls) {
    public Mood {
        Objects.requireNonNull(mood, "mood");
    }
}
