package com.pettysync.ml.vocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.contract.json.JsonTrees;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a vocalisation model says about itself: name, version, class labels, tensor shapes and the front-end
 * parameters it was trained with. Stored as one JSON object in the {@code description} string of the TFLite
 * flatbuffer (field 3 of the root {@code Model} table), written by {@code edge-ml/training/train.py}:
 *
 * <pre>
 * {"name":"pettysync-vocalization","version":1,"classes":["bark","growl","whine","howl","other"],
 *  "input":[1,98,40,1],"output":[1,5],"sample_rate":16000,"win":400,"hop":160,"n_fft":512,"n_mels":40,
 *  "fmin":50.0,"fmax":8000.0,"log_offset":1e-06,"min_probability":[0.62,0.97,0.91,0.95]}
 * </pre>
 *
 * <p>{@code min_probability} (optional, default {@link #DEFAULT_MIN_PROBABILITY} for every class; one number for
 * all four or one per dog class in {@link VocalClass} order) is the model's reject threshold, calibrated in training
 * on held-out non-dog recordings: a window is a dog vocalisation only when its top class is one with at least its
 * class's probability. It travels with the model because it belongs to the model's calibration.
 */
public record ModelMetadata(String name, int version, List<String> classes, List<Integer> input,
        List<Integer> output, int sampleRate, int win, int hop, int nFft, int nMels, double fmin, double fmax,
        double logOffset, List<Double> minProbability) {
    /** Reject threshold of a model whose metadata does not state one. */
    public static final double DEFAULT_MIN_PROBABILITY = 0.5;

    public ModelMetadata {
        classes = List.copyOf(classes);
        input = List.copyOf(input);
        output = List.copyOf(output);
        minProbability = List.copyOf(minProbability);
    }

    /** Metadata without a reject threshold of its own ({@link #DEFAULT_MIN_PROBABILITY}). */
    public ModelMetadata(String name, int version, List<String> classes, List<Integer> input, List<Integer> output,
            int sampleRate, int win, int hop, int nFft, int nMels, double fmin, double fmax, double logOffset) {
        this(name, version, classes, input, output, sampleRate, win, hop, nFft, nMels, fmin, fmax, logOffset,
                thresholds(DEFAULT_MIN_PROBABILITY));
    }

    /** The reject threshold of a dog class ({@link VocalClass#OTHER} has none: it is never an episode). */
    public double minProbability(VocalClass c) {
        if (c == VocalClass.OTHER) {
            throw new IllegalArgumentException("\"other\" has no reject threshold");
        }
        return minProbability.get(c.ordinal());
    }

    private static List<Double> thresholds(double all) {
        return List.of(all, all, all, all);
    }

    private static List<Double> thresholds(JsonNode n) {
        if (n == null) {
            return thresholds(DEFAULT_MIN_PROBABILITY);
        }
        if (n.isNumber()) {
            return thresholds(n.asDouble());
        }
        List<Double> out = new ArrayList<>();
        n.forEach(e -> out.add(e.isNumber() ? e.asDouble() : Double.NaN));
        return out;
    }

    /** Reads the metadata from a TFLite flatbuffer, checking every offset against the buffer's bounds. */
    static ModelMetadata read(byte[] model) throws ModelRejectedException {
        if (model == null || model.length < 16) {
            throw new ModelRejectedException("model file is empty or truncated (" + (model == null ? 0 : model.length)
                    + " bytes)");
        }
        if (!"TFL3".equals(new String(model, 4, 4, StandardCharsets.US_ASCII))) {
            throw new ModelRejectedException("not a TensorFlow Lite model (file identifier is not TFL3)");
        }
        String description;
        try {
            ByteBuffer b = ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN);
            int root = b.getInt(0);
            int vtable = root - b.getInt(root);
            int vtableSize = Short.toUnsignedInt(b.getShort(vtable));
            int slot = 4 + 2 * 3; // field 3: description
            int field = slot < vtableSize ? Short.toUnsignedInt(b.getShort(vtable + slot)) : 0;
            if (field == 0) {
                throw new ModelRejectedException("model has no metadata (empty description)");
            }
            int at = root + field;
            int str = at + b.getInt(at);
            int len = b.getInt(str);
            if (len < 0 || str + 4 + len > model.length) {
                throw new ModelRejectedException("model metadata runs past the end of the file");
            }
            description = new String(model, str + 4, len, StandardCharsets.UTF_8);
        } catch (IndexOutOfBoundsException e) {
            throw new ModelRejectedException("model flatbuffer is corrupt (offset out of bounds)");
        }
        return parse(description);
    }

    static ModelMetadata parse(String json) throws ModelRejectedException {
        try {
            JsonNode n = JsonTrees.read(json); // jackson-core only: no ObjectMapper on the collar
            return new ModelMetadata(text(n, "name"), n.required("version").asInt(), strings(n, "classes"),
                    ints(n, "input"), ints(n, "output"), n.required("sample_rate").asInt(), n.required("win").asInt(),
                    n.required("hop").asInt(), n.required("n_fft").asInt(), n.required("n_mels").asInt(),
                    n.required("fmin").asDouble(), n.required("fmax").asDouble(), n.required("log_offset").asDouble(),
                    thresholds(n.get("min_probability")));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new ModelRejectedException("model metadata is not the expected JSON: " + e.getMessage());
        }
    }

    /** Throws unless this model was trained for exactly the front end and classes this code produces. */
    void requireCompatible() throws ModelRejectedException {
        if (minProbability.size() != VocalClass.OTHER.ordinal()
                || !minProbability.stream().allMatch(t -> t > 0 && t <= 1)) {
            throw new ModelRejectedException("model's min_probability " + minProbability
                    + " is not one threshold in (0, 1] per dog class");
        }
        if (!classes.equals(VocalClass.LABELS)) {
            throw new ModelRejectedException("model classes " + classes + " differ from " + VocalClass.LABELS);
        }
        List<Integer> in = List.of(1, LogMelSpectrogram.FRAMES, LogMelSpectrogram.N_MELS, 1);
        if (!input.equals(in) || !output.equals(List.of(1, VocalClass.LABELS.size()))) {
            throw new ModelRejectedException("model metadata declares input " + input + " output " + output
                    + ", the front end needs input " + in + " output [1, " + VocalClass.LABELS.size() + "]");
        }
        if (sampleRate != LogMelSpectrogram.SAMPLE_RATE || win != LogMelSpectrogram.WIN
                || hop != LogMelSpectrogram.HOP || nFft != LogMelSpectrogram.N_FFT
                || nMels != LogMelSpectrogram.N_MELS || fmin != LogMelSpectrogram.FMIN
                || fmax != LogMelSpectrogram.FMAX || Math.abs(logOffset - LogMelSpectrogram.LOG_OFFSET) > 1e-12) {
            throw new ModelRejectedException("model was trained with a different log-mel front end: " + this);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.required(field).asText();
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.required(field).forEach(e -> out.add(e.asText()));
        return out;
    }

    private static List<Integer> ints(JsonNode n, String field) {
        List<Integer> out = new ArrayList<>();
        n.required(field).forEach(e -> out.add(e.asInt()));
        return out;
    }
}
