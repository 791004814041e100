package com.pettysync.ml.vocal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a vocalisation model file before it is put in service (a model arriving over the air): everything
 * {@link VocalizationModel#load} checks — TFLite flatbuffer, metadata present and matching this front end and class
 * list, input/output tensor shapes and types as the interpreter reports them, a first inference giving a
 * probability distribution — in a throw-away interpreter, plus a size bound and, when asked, the version the
 * metadata declares. Depends only on the model's declared input/output contract ({@link ModelMetadata}), not on
 * the bundled model.
 */
public final class ModelCheck {
    /** Largest model file accepted (the bundled one is a few hundred KiB; a collar has 512 MB of RAM). */
    public static final long MAX_BYTES = 16L * 1024 * 1024;

    private ModelCheck() {}

    /**
     * Checks {@code tflite}; returns its metadata.
     *
     * @param expectedVersion the version the model must declare, or a negative number for any
     * @throws ModelRejectedException with the reason; nothing stays loaded
     */
    public static ModelMetadata check(byte[] tflite, long expectedVersion) throws ModelRejectedException {
        if (tflite.length > MAX_BYTES) {
            throw new ModelRejectedException("model file has " + tflite.length + " bytes, at most " + MAX_BYTES);
        }
        ModelMetadata meta;
        try (VocalizationModel m = VocalizationModel.load(tflite)) {
            meta = m.metadata();
        }
        if (expectedVersion >= 0 && meta.version() != expectedVersion) {
            throw new ModelRejectedException("model metadata declares version " + meta.version() + ", expected "
                    + expectedVersion);
        }
        return meta;
    }

    /** {@link #check(byte[], long)} of a file. */
    public static ModelMetadata check(Path file, long expectedVersion) throws ModelRejectedException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ModelRejectedException("model file has " + Files.size(file) + " bytes, at most "
                        + MAX_BYTES);
            }
            return check(Files.readAllBytes(file), expectedVersion);
        } catch (IOException e) {
            throw new ModelRejectedException("cannot read the model file: " + e.getMessage());
        }
    }
}
