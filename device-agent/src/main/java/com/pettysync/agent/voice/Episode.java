package com.pettysync.agent.voice;

/**
 * A vocal episode found by the on-device pre-inference (edge-ml's {@code VocalizationPipeline}), in wall-clock
 * time, with the audio cut around it.
 *
 * @param startMs     episode start, Unix ms
 * @param vocalClass  0 bark, 1 growl, 2 whine, 3 howl (contract §4 type 6)
 * @param confPct     0 … 100
 * @param clipStartMs Unix ms of {@code clip[0]}
 * @param clip        16 kHz mono signed 16-bit samples (at most 10 s are kept)
 */
public record Episode(long startMs, int vocalClass, int confPct, long clipStartMs, short[] clip) {
    /** A source of episodes (the sensor pipeline) that hands each one to a sink as it is found. */
    public interface Source {
        /** Episodes found from now on go to {@code sink} (on the thread that collects the sensors). */
        void onEpisode(java.util.function.Consumer<Episode> sink);
    }
}
