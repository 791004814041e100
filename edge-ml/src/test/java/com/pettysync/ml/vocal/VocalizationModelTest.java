package com.pettysync.ml.vocal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled model in the real TensorFlow Lite runtime: export proof, checks before first use, swapping. */
class VocalizationModelTest {

    static byte[] resource(String path) throws IOException {
        try (InputStream s = VocalizationModelTest.class.getResourceAsStream(path)) {
            assertNotNull(s, path);
            return s.readAllBytes();
        }
    }

    @Test
    void tfliteOutputsMatchTorchOutputsOnTheHeldOutCheckSet() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(resource("/com/pettysync/ml/vocal/export-check.bin")).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(), h = b.getInt(), w = b.getInt(), k = b.getInt();
        assertEquals(LogMelSpectrogram.FRAMES, h);
        assertEquals(LogMelSpectrogram.N_MELS, w);
        float[][] feats = new float[n][h * w];
        for (float[] f : feats) {
            b.asFloatBuffer().get(f);
            b.position(b.position() + f.length * 4);
        }
        float[][] torch = new float[n][k];
        for (float[] t : torch) {
            b.asFloatBuffer().get(t);
            b.position(b.position() + k * 4);
        }
        try (VocalizationModel model = VocalizationModel.bundled()) {
            assertTrue(model.sizeBytes() <= 150 * 1024, "model is " + model.sizeBytes() + " bytes");
            for (int i = 0; i < n; i++) {
                float[] p = model.classify(feats[i]);
                for (int c = 0; c < k; c++) {
                    assertEquals(torch[i][c], p[c], 1e-4, "example " + i + " class " + c);
                }
            }
        }
    }

    @Test
    void javaLogMelMatchesTheTrainingFrontEnd() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(resource("/com/pettysync/ml/vocal/frontend-check.bin")).order(ByteOrder.LITTLE_ENDIAN);
        int samples = b.getInt(), frames = b.getInt(), mels = b.getInt();
        short[] pcm = new short[samples];
        b.asShortBuffer().get(pcm);
        b.position(b.position() + samples * 2);
        float[] expected = new float[frames * mels];
        b.asFloatBuffer().get(expected);
        float[] actual = new LogMelSpectrogram().window(pcm, 0);
        for (int i = 0; i < expected.length; i++) {
            // log domain; bins near digital silence are the most sensitive to rounding
            assertEquals(expected[i], actual[i], 1e-3, "value " + i);
        }
    }

    @Test
    void metadataDescribesTheFrontEnd() {
        try (VocalizationModel model = VocalizationModel.bundled()) {
            ModelMetadata m = model.metadata();
            assertEquals(VocalClass.LABELS, m.classes());
            assertEquals(java.util.List.of(1, 98, 40, 1), m.input());
            assertEquals(512, m.nFft());
        }
    }

    @Test
    void refusesEmptyTruncatedAndForeignFiles() throws Exception {
        byte[] good = resource(VocalizationModel.BUNDLED);
        assertTrue(assertThrows(ModelRejectedException.class, () -> VocalizationModel.load(new byte[0]))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(ModelRejectedException.class,
                () -> VocalizationModel.load("hello, this is not a model at all".getBytes(StandardCharsets.UTF_8)))
                .getMessage().contains("TFL3"));
        assertThrows(ModelRejectedException.class, () -> VocalizationModel.load(Arrays.copyOf(good, good.length / 2)));
        byte[] flipped = good.clone();
        for (int i = 64; i < 512; i++) {
            flipped[i] ^= (byte) 0x5a;
        }
        assertThrows(ModelRejectedException.class, () -> VocalizationModel.load(flipped));
    }

    @Test
    void refusesAModelWhoseMetadataDoesNotMatchTheFrontEnd() throws Exception {
        byte[] bad = replaceOnce(resource(VocalizationModel.BUNDLED), "\"n_mels\":40", "\"n_mels\":64");
        ModelRejectedException e = assertThrows(ModelRejectedException.class, () -> VocalizationModel.load(bad));
        assertTrue(e.getMessage().contains("front end"), e.getMessage());
        byte[] classes = replaceOnce(resource(VocalizationModel.BUNDLED), "\"whine\"", "\"purrr\"");
        assertTrue(assertThrows(ModelRejectedException.class, () -> VocalizationModel.load(classes))
                .getMessage().contains("classes"));
    }

    @Test
    void theBundledModelCarriesItsCalibratedRejectThreshold() throws Exception {
        try (VocalizationModel m = VocalizationModel.bundled()) {
            for (VocalClass c : List.of(VocalClass.BARK, VocalClass.GROWL, VocalClass.WHINE, VocalClass.HOWL)) {
                assertTrue(m.metadata().minProbability(c) >= 0.5 && m.metadata().minProbability(c) < 1,
                        "min_probability " + m.metadata().minProbability());
            }
        }
        byte[] impossible = withMinProbability(resource(VocalizationModel.BUNDLED), "1.50");
        assertTrue(assertThrows(ModelRejectedException.class, () -> VocalizationModel.load(impossible))
                .getMessage().contains("min_probability"));
    }

    /** The model with every threshold in its metadata's min_probability set to {@code value} ("1.00"). */
    static byte[] withMinProbability(byte[] model, String value) {
        String text = new String(model, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"min_probability\":\\[([0-9.,]+)]").matcher(text);
        assertTrue(m.find(), "metadata has min_probability");
        String[] old = m.group(1).split(",");
        StringBuilder list = new StringBuilder();
        for (String t : old) {
            list.append(list.isEmpty() ? "" : ",").append((value + "0000").substring(0, t.length()));
        }
        return replaceOnce(model, m.group(), "\"min_probability\":[" + list + "]");
    }

    @Test
    void refusesAModelWhoseTensorsDisagreeWithItsMetadata() throws Exception {
        // the metadata claims 98 x 40 but the graph's input tensor shape is patched to 98 x 41
        byte[] model = resource(VocalizationModel.BUNDLED);
        byte[] shape = intBytes(4, 1, 98, 40, 1);
        int at = indexOf(model, shape, 0);
        assertTrue(at >= 0);
        byte[] bad = model.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 12, 41);
        ModelRejectedException e = assertThrows(ModelRejectedException.class, () -> VocalizationModel.load(bad));
        assertEquals("input tensor has shape [1, 98, 41, 1], need [1, 98, 40, 1]", e.getMessage());
    }

    @Test
    void aRefusedReplacementKeepsTheModelInService() throws Exception {
        byte[] good = resource(VocalizationModel.BUNDLED);
        float[] silence = new float[LogMelSpectrogram.FRAMES * LogMelSpectrogram.N_MELS];
        Arrays.fill(silence, (float) Math.log(1e-6));
        try (VocalizationClassifier c = VocalizationClassifier.bundled()) {
            float[] before = c.classify(silence);
            assertThrows(ModelRejectedException.class, () -> c.replace(new byte[] {1, 2, 3}));
            assertArrayEquals(before, c.classify(silence));
            c.replace(good);
            assertArrayEquals(before, c.classify(silence));
        }
    }

    @Test
    void swappingWhileClassifyingNeverFailsAClassification() throws Exception {
        byte[] good = resource(VocalizationModel.BUNDLED);
        float[] silence = new float[LogMelSpectrogram.FRAMES * LogMelSpectrogram.N_MELS];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (VocalizationClassifier c = VocalizationClassifier.bundled()) {
            CountDownLatch started = new CountDownLatch(1);
            Future<Integer> worker = pool.submit(() -> {
                started.countDown();
                int n = 0;
                for (int i = 0; i < 300; i++) {
                    assertEquals(1.0, sum(c.classify(silence)), 1e-3);
                    n++;
                }
                return n;
            });
            started.await();
            for (int i = 0; i < 5; i++) {
                c.replace(good);
            }
            assertEquals(300, worker.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    private static double sum(float[] p) {
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s;
    }

    static byte[] replaceOnce(byte[] data, String from, String to) {
        assertEquals(from.length(), to.length());
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(data, f, 0);
        assertTrue(at >= 0, "metadata contains " + from);
        byte[] out = data.clone();
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, out, at, f.length);
        return out;
    }

    private static byte[] intBytes(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
