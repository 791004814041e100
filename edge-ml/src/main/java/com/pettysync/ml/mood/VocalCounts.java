package com.pettysync.ml.mood;

import com.pettysync.ml.vocal.VocalClass;
import com.pettysync.ml.vocal.VocalEpisode;
import java.util.Collection;

/** Vocal episodes per class in one window (the counts of the frame's {@code mood} section). */
public record VocalCounts(int barks, int growls, int whines, int howls) {
    public static final VocalCounts NONE = new VocalCounts(0, 0, 0, 0);

    public static VocalCounts of(Collection<VocalEpisode> episodes) {
        int[] n = new int[VocalClass.values().length];
        for (VocalEpisode e : episodes) {
            n[e.vocalClass().ordinal()]++;
        }
        return new VocalCounts(n[0], n[1], n[2], n[3]);
    }

    public int total() {
        return barks + growls + whines + howls;
    }
}
