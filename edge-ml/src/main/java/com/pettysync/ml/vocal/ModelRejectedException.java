package com.pettysync.ml.vocal;

/**
 * A model file was refused: not a TensorFlow Lite flatbuffer, corrupt, missing or mismatched metadata, wrong
 * input/output shape or type, or it failed its first inference. Nothing was replaced: the caller keeps the model
 * it had.
 */
public final class ModelRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelRejectedException(String message) {
        super(message);
    }
}
