package com.pettysync.contract.telemetry;

import com.pettysync.contract.frame.ContractViolation;

/** The on-device mood estimate; {@link #code()} is the wire value, {@link #jsonName()} the decoded form. */
public enum MoodClass {
    RELAXED, HAPPY, ANXIOUS, ANGRY, SAD;

    public int code() {
        return ordinal();
    }

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The class with wire value {@code code}, or a violation at {@code path}. */
    public static MoodClass ofCode(long code, String path) {
        if (code < 0 || code >= values().length) {
            throw new ContractViolation(path, "mood must be 0 … 4");
        }
        return values()[(int) code];
    }

    /** The class named {@code name} in the decoded form, or a violation at {@code path}. */
    public static MoodClass ofJsonName(String name, String path) {
        for (MoodClass m : values()) {
            if (m.jsonName().equals(name)) {
                return m;
            }
        }
        throw new ContractViolation(path, "mood must be one of relaxed, happy, anxious, angry, sad");
    }
}
