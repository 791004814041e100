package com.pettysync.ml.vocal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Audio in, vocal episodes out: energy gate → 1 s log-mel windows every 0.5 s → classifier → episode tracker →
 * clip.
 *
 * <p>Feed 16 kHz mono 16-bit audio in chunks of any size with {@link #feed}; each call returns the episodes that
 * ended in it; {@link #flush} ends the stream. Every 0.5 s (once 1 s of audio is in) there is one window slot:
 * if the gate was closed for the whole second the slot is counted as gated and nothing is computed, otherwise
 * the window is classified. A window whose top class is a vocalisation with probability ≥ the reject threshold
 * is vocal; consecutive vocal windows form one episode, which ends at the first non-vocal slot. The episode's class
 * is the one with the highest summed probability over its windows.
 *
 * <p>Reject path: the threshold is the higher of {@link Config#minProbability()} and the model's own calibrated
 * threshold for the window's top class ({@link ModelMetadata#minProbability(VocalClass)}). A window that is not
 * confidently a dog vocalisation (top class "other", or a vocal class below the threshold — counted in
 * {@link Stats#rejected()}) is not vocal, so a sound
 * that never makes a confident window produces no episode: no event, no clip and no count downstream.
 *
 * <p>Clip: from {@link Config#preRollMs()} before the episode's first gate-open hop, capped at
 * {@link Config#maxClipMs()}.
 *
 * <p>Without a classifier ({@code null}: a platform without TFLite natives) the pipeline is <b>gate only</b>: every
 * slot the energy gate opened counts as vocal, so episodes are still cut around sound with their clips, but
 * unclassified: class {@link VocalClass#BARK} (index 0) with confidence 0, which no classifier output can give
 * an episode (its windows need ≥ {@link Config#minProbability()}). No log-mel is computed then, and no calibrated
 * threshold applies.
 *
 * <p>Not thread-safe: one instance per audio stream (the classifier it uses may be shared and swapped at runtime).
 */
public final class VocalizationPipeline {
    /** Window slot spacing: 0.5 s. */
    public static final int SLOT_SAMPLES = LogMelSpectrogram.WINDOW_SAMPLES / 2;
    private static final int HOP = LogMelSpectrogram.HOP;
    private static final int SR = LogMelSpectrogram.SAMPLE_RATE;

    /**
     * @param minProbability top-class probability a window needs to count as vocal
     * @param preRollMs      audio kept before an episode's start in its clip (≤ 1000)
     * @param maxClipMs      longest clip (≤ 10 000 for upload)
     */
    public record Config(double minProbability, int preRollMs, int maxClipMs) {
        public Config {
            if (minProbability <= 0 || minProbability > 1 || preRollMs < 0 || preRollMs > 1000 || maxClipMs < 1000
                    || maxClipMs > 10_000) {
                throw new IllegalArgumentException("bad vocalization config " + this);
            }
        }

        public static Config standard() {
            return new Config(0.5, 500, 10_000);
        }
    }

    /** Counters since the pipeline was made. */
    /**
     * @param rejected classified windows whose top class was a dog vocalisation below the reject threshold
     */
    public record Stats(long windows, long gated, long classified, long rejected, long episodes) {}

    private final VocalizationClassifier classifier;
    private final Config config;
    private final EnergyGate gate;
    private final LogMelSpectrogram logMel = new LogMelSpectrogram();
    private final float[] features = new float[LogMelSpectrogram.FRAMES * LogMelSpectrogram.N_MELS];
    private final short[] window = new short[LogMelSpectrogram.WINDOW_SAMPLES];

    /** Last 3 s of audio, addressed by absolute sample index modulo its length. */
    private final short[] ring = new short[3 * SR];
    /** Gate state per hop over the same 3 s. */
    private final boolean[] open = new boolean[ring.length / HOP];
    private final short[] hopBuffer = new short[HOP];
    private long total;

    private long windows;
    private long gated;
    private long classified;
    private long rejected;
    private long episodeCount;

    // the open episode, if any
    private double[] probSum;
    private int episodeWindows;
    private long episodeStart = -1;
    private long episodeEnd;
    private short[] clip;
    private int clipLength;
    private long clipStart;

    /** {@code classifier} null: gate only (see the class comment). */
    public VocalizationPipeline(VocalizationClassifier classifier, Config config, EnergyGate gate) {
        this.classifier = classifier;
        this.config = config;
        this.gate = gate;
    }

    public VocalizationPipeline(VocalizationClassifier classifier) {
        this(classifier, Config.standard(), EnergyGate.standard());
    }

    /** Feeds {@code length} samples; returns the episodes that ended within them (usually none). */
    public List<VocalEpisode> feed(short[] pcm, int offset, int length) {
        List<VocalEpisode> done = new ArrayList<>(0);
        for (int i = offset; i < offset + length; i++) {
            short s = pcm[i];
            ring[(int) (total % ring.length)] = s;
            hopBuffer[(int) (total % HOP)] = s;
            if (clip != null && clipLength < clip.length) {
                clip[clipLength++] = s;
            }
            total++;
            if (total % HOP == 0) {
                open[(int) ((total / HOP - 1) % open.length)] = gate.hop(EnergyGate.dbfs(hopBuffer, 0, HOP));
            }
            if (total % SLOT_SAMPLES == 0 && total >= LogMelSpectrogram.WINDOW_SAMPLES) {
                slot(done);
            }
        }
        return done;
    }

    public List<VocalEpisode> feed(short[] pcm) {
        return feed(pcm, 0, pcm.length);
    }

    /** Ends the stream: closes an open episode. */
    public List<VocalEpisode> flush() {
        List<VocalEpisode> done = new ArrayList<>(0);
        closeEpisode(done);
        return done;
    }

    public Stats stats() {
        return new Stats(windows, gated, classified, rejected, episodeCount);
    }

    private void slot(List<VocalEpisode> done) {
        windows++;
        long firstHop = (total - LogMelSpectrogram.WINDOW_SAMPLES) / HOP;
        long lastHop = total / HOP - 1;
        long firstOpen = -1;
        long lastOpen = -1;
        for (long h = firstHop; h <= lastHop; h++) {
            if (open[(int) (h % open.length)]) {
                if (firstOpen < 0) {
                    firstOpen = h;
                }
                lastOpen = h;
            }
        }
        if (firstOpen < 0) {
            gated++;
            closeEpisode(done);
            return;
        }
        classified++;
        long start = total - LogMelSpectrogram.WINDOW_SAMPLES;
        for (int i = 0; i < window.length; i++) {
            window[i] = ring[(int) ((start + i) % ring.length)];
        }
        float[] p;
        if (classifier == null) {
            p = new float[VocalClass.values().length]; // gate only: vocal, unclassified
            p[0] = 1f;
        } else {
            logMel.compute(window, 0, window.length, features);
            p = classifier.classify(features);
        }
        int top = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[top]) {
                top = c;
            }
        }
        boolean dogClass = top != VocalClass.OTHER.ordinal();
        double threshold = !dogClass ? 1
                : classifier == null ? config.minProbability() // gate only: no model, no calibrated threshold
                : Math.max(config.minProbability(), classifier.metadata().minProbability(VocalClass.values()[top]));
        boolean vocal = dogClass && p[top] >= threshold;
        if (dogClass && !vocal) {
            rejected++;
        }
        if (!vocal) {
            closeEpisode(done);
            return;
        }
        if (episodeStart < 0) {
            episodeStart = firstOpen * HOP;
            probSum = new double[p.length];
            episodeWindows = 0;
            clipStart = Math.max(0, Math.max(total - ring.length + 1, episodeStart - config.preRollMs() * (long) SR / 1000));
            clip = new short[config.maxClipMs() * SR / 1000];
            clipLength = (int) Math.min(clip.length, total - clipStart);
            for (int i = 0; i < clipLength; i++) {
                clip[i] = ring[(int) ((clipStart + i) % ring.length)];
            }
        }
        episodeWindows++;
        for (int c = 0; c < p.length; c++) {
            probSum[c] += p[c];
        }
        episodeEnd = (lastOpen + 1) * HOP;
    }

    private void closeEpisode(List<VocalEpisode> done) {
        if (episodeStart < 0) {
            return;
        }
        int best = 0;
        for (int c = 1; c < VocalClass.OTHER.ordinal(); c++) {
            if (probSum[c] > probSum[best]) {
                best = c;
            }
        }
        int conf = classifier == null ? 0 : (int) Math.round(100.0 * probSum[best] / episodeWindows);
        done.add(new VocalEpisode(VocalClass.values()[best], episodeStart * 1000 / SR, episodeEnd * 1000 / SR, conf,
                episodeWindows, Arrays.copyOf(clip, clipLength), clipStart * 1000 / SR));
        episodeCount++;
        episodeStart = -1;
        clip = null;
        probSum = null;
    }
}
