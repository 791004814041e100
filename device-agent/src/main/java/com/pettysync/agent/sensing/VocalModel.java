package com.pettysync.agent.sensing;

import com.pettysync.ml.vocal.VocalizationClassifier;
import org.tinylog.Logger;

/**
 * The vocalisation classifier, or why there is none. On a platform without TFLite natives (armv7 / armhf: the
 * {@code org.bytedeco} TFLite build ships none) loading the bundled model fails with a linkage error; the agent then
 * runs without a classifier instead of not starting: episodes are still cut by the energy gate (unclassified, see
 * {@code VocalizationPipeline}), frames carry {@code fw.model} 0, mood comes from heart rate and activity only, and
 * the status file says why ({@code classifier.whyAbsent}). Depends only on the classifier's absence, never on a
 * particular model.
 *
 * @param classifier the classifier, or null when absent
 * @param whyAbsent  null when present
 */
public record VocalModel(VocalizationClassifier classifier, String whyAbsent) implements AutoCloseable {

    /** The model bundled in edge-ml, or an absent one with the reason it could not be loaded. */
    public static VocalModel bundled() {
        try {
            return new VocalModel(VocalizationClassifier.bundled(), null);
        } catch (LinkageError | RuntimeException e) {
            String why = "TFLite could not be loaded on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ": " + e;
            Logger.warn("vocalisation classifier absent ({}); episodes are cut by the energy gate, unclassified,"
                    + " and mood comes from heart rate and activity", why);
            return new VocalModel(null, why);
        }
    }

    /** A classifier loaded by the caller (not closed here). */
    public static VocalModel of(VocalizationClassifier classifier) {
        return new VocalModel(classifier, classifier == null ? "no classifier given" : null);
    }

    public boolean present() {
        return classifier != null;
    }

    /** The model's version (frame {@code fw.model}), 0 without one. */
    public long version() {
        return classifier == null ? 0 : classifier.metadata().version();
    }

    public CollarSource.ClassifierState state() {
        return new CollarSource.ClassifierState(present(), version(), whyAbsent);
    }

    @Override
    public void close() {
        if (classifier != null) {
            classifier.close();
        }
    }
}
