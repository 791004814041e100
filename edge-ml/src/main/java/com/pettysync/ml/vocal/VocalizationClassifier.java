package com.pettysync.ml.vocal;

import org.tinylog.Logger;

/**
 * The vocalisation model in service, replaceable at runtime (a model arriving over the air).
 *
 * <p>Guarantee: {@link #replace} either installs a fully checked new model or throws
 * {@link ModelRejectedException} and leaves the current one in service, untouched. A classification never
 * sees a half-swapped or closed model: {@link #classify} and the swap hold the same lock, and the old model is
 * closed only after the new one is in place. Safe to call from any thread.
 */
public final class VocalizationClassifier implements AutoCloseable {
    private VocalizationModel current;

    public VocalizationClassifier(VocalizationModel initial) {
        this.current = initial;
    }

    /** A classifier serving the model bundled in this jar. */
    public static VocalizationClassifier bundled() {
        return new VocalizationClassifier(VocalizationModel.bundled());
    }

    /** Class probabilities for one log-mel window, from the model in service. */
    public synchronized float[] classify(float[] logMel) {
        return current.classify(logMel);
    }

    /** Loads, checks and installs {@code tflite}; on any problem keeps the current model and throws. */
    public void replace(byte[] tflite) throws ModelRejectedException {
        VocalizationModel next;
        try {
            next = VocalizationModel.load(tflite); // checked outside the lock: inference goes on meanwhile
        } catch (ModelRejectedException e) {
            Logger.warn("vocalization model refused, keeping version {}: {}", metadata().version(), e.getMessage());
            throw e;
        }
        VocalizationModel old;
        synchronized (this) {
            old = current;
            current = next;
        }
        old.close();
        Logger.info("vocalization model version {} in service ({} bytes)", next.metadata().version(),
                next.sizeBytes());
    }

    public synchronized ModelMetadata metadata() {
        return current.metadata();
    }

    @Override
    public synchronized void close() {
        current.close();
    }
}
