package com.pettysync.ml.mood;

/** Mood classes of the frame's {@code mood} section; the ordinal is the wire code (0 relaxed … 4 sad). */
public enum Mood {
    RELAXED, HAPPY, ANXIOUS, ANGRY, SAD;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
