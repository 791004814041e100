package com.pettysync.ml.vocal;

import java.util.List;

/** The classifier's output classes, in the model's output order. {@link #OTHER} is "not a dog vocalisation". */
public enum VocalClass {
    BARK, GROWL, WHINE, HOWL, OTHER;

    /** Lower-case names in output order, as written in the model's metadata. */
    public static final List<String> LABELS = List.of("bark", "growl", "whine", "howl", "other");

    public String label() {
        return LABELS.get(ordinal());
    }
}
