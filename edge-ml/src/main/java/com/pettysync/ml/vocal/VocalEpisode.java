package com.pettysync.ml.vocal;

/**
 * One vocal episode: consecutive classified windows of the same dog vocalisation merged into one event.
 * Times are milliseconds from the start of the audio stream fed to the {@link VocalizationPipeline}.
 *
 * @param vocalClass the class with the highest summed probability over the episode's windows (never OTHER)
 * @param startMs    first gate-open 10 ms hop of the episode
 * @param endMs      end of its last gate-open hop
 * @param confPct    mean probability of {@code vocalClass} over the episode's windows, 0 … 100
 * @param windows    classifier windows merged into the episode
 * @param clip       16 kHz mono 16-bit audio for upload: from {@code clipStartMs} (pre-roll before
 *                   {@code startMs}), at most {@link VocalizationPipeline.Config#maxClipMs()} long
 * @param clipStartMs stream time of {@code clip[0]}
 */
public record VocalEpisode(VocalClass vocalClass, long startMs, long endMs, int confPct, int windows, short[] clip,
        long clipStartMs) {

    public long durationMs() {
        return endMs - startMs;
    }

    /** Clip length in milliseconds. */
    public long clipMs() {
        return clip.length * 1000L / LogMelSpectrogram.SAMPLE_RATE;
    }
}
