package com.pettysync.ml.vocal;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.tensorflowlite.TfLiteInterpreter;
import org.bytedeco.tensorflowlite.TfLiteInterpreterOptions;
import org.bytedeco.tensorflowlite.TfLiteModel;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * One loaded vocalisation classifier running in the real TensorFlow Lite runtime (org.bytedeco, C API).
 *
 * <p>Guarantee: an instance exists only for a model that passed every check, in this order — TFL3 flatbuffer,
 * metadata JSON present and matching this front end and class list ({@link ModelMetadata#requireCompatible()}),
 * the runtime's flatbuffer verification, interpreter creation (every op supported), tensor allocation, exactly
 * one float32 input of shape [1, 98, 40, 1] and one float32 output of shape [1, 5] as reported by the
 * interpreter itself, and a first inference on silence giving finite probabilities that sum to 1. Anything
 * else is a {@link ModelRejectedException} with the reason; native resources of a refused model are freed.
 *
 * <p>Thread-safety: {@link #classify} and {@link #close} are synchronized; one interpreter serves one call at a
 * time. For swapping models at runtime use {@link VocalizationClassifier}. Failure model: after {@link #close}
 * {@link #classify} throws {@link IllegalStateException}.
 */
public final class VocalizationModel implements AutoCloseable {
    /** Classpath location of the model shipped with this build. */
    public static final String BUNDLED = "/com/pettysync/ml/vocal/vocalization.tflite";

    private static final int INPUT_FLOATS = LogMelSpectrogram.FRAMES * LogMelSpectrogram.N_MELS;
    private static final int CLASSES = VocalClass.LABELS.size();

    private final ModelMetadata metadata;
    private final int sizeBytes;
    private BytePointer data;
    private TfLiteModel model;
    private TfLiteInterpreterOptions options;
    private TfLiteInterpreter interpreter;
    private final FloatPointer in = new FloatPointer(INPUT_FLOATS);
    private final FloatPointer out = new FloatPointer(CLASSES);

    private VocalizationModel(ModelMetadata metadata, int sizeBytes) {
        this.metadata = metadata;
        this.sizeBytes = sizeBytes;
    }

    /** Loads and checks a model from its .tflite bytes (copied; the array may be reused). */
    public static VocalizationModel load(byte[] tflite) throws ModelRejectedException {
        ModelMetadata meta = ModelMetadata.read(tflite);
        meta.requireCompatible();
        VocalizationModel m = new VocalizationModel(meta, tflite.length);
        try {
            m.open(tflite);
            return m;
        } catch (ModelRejectedException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The model shipped in this jar. */
    public static VocalizationModel bundled() {
        try (InputStream s = VocalizationModel.class.getResourceAsStream(BUNDLED)) {
            if (s == null) {
                throw new IllegalStateException("bundled model " + BUNDLED + " missing from the classpath");
            }
            return load(s.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelRejectedException e) {
            throw new IllegalStateException("bundled model refused: " + e.getMessage(), e);
        }
    }

    private void open(byte[] tflite) throws ModelRejectedException {
        data = new BytePointer(tflite.length);
        data.put(tflite, 0, tflite.length);
        model = TfLiteModelCreate(data, tflite.length);
        if (model == null || model.isNull()) {
            throw new ModelRejectedException("TensorFlow Lite refused the flatbuffer (corrupt or not a model)");
        }
        options = TfLiteInterpreterOptionsCreate();
        TfLiteInterpreterOptionsSetNumThreads(options, 1);
        interpreter = TfLiteInterpreterCreate(model, options);
        if (interpreter == null || interpreter.isNull()) {
            throw new ModelRejectedException("TensorFlow Lite could not build an interpreter (unsupported op?)");
        }
        if (TfLiteInterpreterAllocateTensors(interpreter) != kTfLiteOk) {
            throw new ModelRejectedException("TensorFlow Lite could not allocate the model's tensors");
        }
        if (TfLiteInterpreterGetInputTensorCount(interpreter) != 1
                || TfLiteInterpreterGetOutputTensorCount(interpreter) != 1) {
            throw new ModelRejectedException("model must have exactly one input and one output, has "
                    + TfLiteInterpreterGetInputTensorCount(interpreter) + " and "
                    + TfLiteInterpreterGetOutputTensorCount(interpreter));
        }
        requireTensor("input", TfLiteInterpreterGetInputTensor(interpreter, 0), metadata.input());
        requireTensor("output", TfLiteInterpreterGetOutputTensor(interpreter, 0), metadata.output());
        float[] p = run(new float[INPUT_FLOATS]);
        double sum = 0;
        for (float v : p) {
            if (!Float.isFinite(v) || v < 0) {
                throw new ModelRejectedException("model's first inference gave " + Arrays.toString(p));
            }
            sum += v;
        }
        if (Math.abs(sum - 1.0) > 1e-3) {
            throw new ModelRejectedException("model output is not a probability distribution (sums to " + sum + ")");
        }
    }

    private static void requireTensor(String what, TfLiteTensor t, List<Integer> expected)
            throws ModelRejectedException {
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < TfLiteTensorNumDims(t); i++) {
            dims.add(TfLiteTensorDim(t, i));
        }
        if (TfLiteTensorType(t) != kTfLiteFloat32) {
            throw new ModelRejectedException(what + " tensor has type " + TfLiteTensorType(t) + ", need float32 ("
                    + kTfLiteFloat32 + ")");
        }
        if (!dims.equals(expected)) {
            throw new ModelRejectedException(what + " tensor has shape " + dims + ", need " + expected);
        }
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** Size of the .tflite file this was loaded from. */
    public int sizeBytes() {
        return sizeBytes;
    }

    /**
     * Class probabilities (in {@link VocalClass} order) for one window of log-mel features
     * ({@link LogMelSpectrogram#FRAMES} x {@link LogMelSpectrogram#N_MELS}, row-major).
     */
    public synchronized float[] classify(float[] logMel) {
        if (interpreter == null) {
            throw new IllegalStateException("model is closed");
        }
        if (logMel.length != INPUT_FLOATS) {
            throw new IllegalArgumentException("need " + INPUT_FLOATS + " log-mel values, got " + logMel.length);
        }
        try {
            return run(logMel);
        } catch (ModelRejectedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private float[] run(float[] logMel) throws ModelRejectedException {
        in.put(logMel, 0, INPUT_FLOATS);
        if (TfLiteTensorCopyFromBuffer(TfLiteInterpreterGetInputTensor(interpreter, 0), in, INPUT_FLOATS * 4L)
                != kTfLiteOk) {
            throw new ModelRejectedException("could not copy the input into the model");
        }
        if (TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) {
            throw new ModelRejectedException("inference failed");
        }
        if (TfLiteTensorCopyToBuffer(TfLiteInterpreterGetOutputTensor(interpreter, 0), out, CLASSES * 4L)
                != kTfLiteOk) {
            throw new ModelRejectedException("could not read the model's output");
        }
        float[] p = new float[CLASSES];
        out.get(p, 0, CLASSES);
        return p;
    }

    @Override
    public synchronized void close() {
        if (interpreter != null) {
            TfLiteInterpreterDelete(interpreter);
            interpreter = null;
        }
        if (options != null) {
            TfLiteInterpreterOptionsDelete(options);
            options = null;
        }
        if (model != null) {
            TfLiteModelDelete(model);
            model = null;
        }
        if (data != null) {
            data.deallocate();
            data = null;
        }
        in.deallocate();
        out.deallocate();
    }
}
