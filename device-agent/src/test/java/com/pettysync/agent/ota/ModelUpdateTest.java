package com.pettysync.agent.ota;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.MutableClock;
import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.job.JobsApi.Status;
import com.pettysync.ml.vocal.LogMelSpectrogram;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.ml.vocal.VocalizationModel;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model updates through the engine, on the real TFLite runtime: hot swap, persistence, refusal keeps serving. */
class ModelUpdateTest {
    @TempDir
    Path dir;
    MutableClock clock = MutableClock.at("2026-12-06T12:00:00Z");

    @Test
    void aModelWithWrongShapesIsRefusedWhileTheOldOneKeepsClassifyingAndAGoodOneIsSwappedIn() throws Exception {
        byte[] bundled;
        try (InputStream in = VocalizationModel.class.getResourceAsStream(VocalizationModel.BUNDLED)) {
            bundled = in.readAllBytes();
        }
        KeyPair keys = OtaFixture.p256();
        OtaFixture.MemoryFetcher server = new OtaFixture.MemoryFetcher();
        Path data = dir.resolve("data");
        try (VocalizationClassifier classifier = ClassifierModelSlot.load(data).classifier()) {
            long running = classifier.metadata().version();
            long newer = nines(running);
            SimulatedCollar collar = new SimulatedCollar(data, clock, server, keys.getPublic());
            collar.models = new ClassifierModelSlot(data, classifier);
            collar.boot();
            float[] silence = new float[LogMelSpectrogram.FRAMES * LogMelSpectrogram.N_MELS];
            Arrays.fill(silence, (float) Math.log(1e-6));
            float[] before = classifier.classify(silence);

            // a model declaring a newer version whose input tensor is [1, 98, 41, 1]: refused, the old one serves
            byte[] wrong = withVersion(bundled, running, newer - 1);
            int at = indexOf(wrong, intBytes(4, 1, 98, 40, 1));
            ByteBuffer.wrap(wrong).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 12, 41);
            offer(collar, server, keys, "model-bad", newer - 1, wrong);
            assertEquals(Status.REJECTED, collar.channel.last().status());
            assertTrue(collar.channel.last().details().get("reason").contains("input tensor has shape [1, 98, 41, 1]"),
                    collar.channel.last().details().toString());
            assertEquals(running, classifier.metadata().version());
            assertArrayEquals(before, classifier.classify(silence), "the old model keeps classifying");
            assertTrue(!Files.exists(data.resolve(ClassifierModelSlot.FILE)));
            collar.engine.accepted("model-bad", Status.REJECTED);
            collar.run();

            // a good model of a newer version: swapped in without a restart, kept for the next start
            offer(collar, server, keys, "model-good", newer, withVersion(bundled, running, newer));
            assertEquals(Status.SUCCEEDED, collar.channel.last().status());
            assertEquals(newer, classifier.metadata().version());
            assertEquals(newer, collar.engine.modelVersion());
            assertTrue(collar.restarts.isEmpty());
            float[] p = classifier.classify(silence);
            double sum = 0;
            for (float v : p) {
                sum += v;
            }
            assertEquals(1.0, sum, 1e-3);
            try (VocalizationClassifier afterRestart = ClassifierModelSlot.load(data).classifier()) {
                assertEquals(newer, afterRestart.metadata().version());
            }
        }
    }

    private void offer(SimulatedCollar collar, OtaFixture.MemoryFetcher server, KeyPair keys, String job, long version,
            byte[] model) throws Exception {
        URI url = URI.create("https://artifacts.example/" + job);
        server.artifacts.put(url, model);
        JobDocument doc = OtaFixture.document(JobOperation.MODEL_UPDATE, version, url, model, keys);
        collar.engine.offer(OtaFixture.execution(job, Status.QUEUED, 1, doc.toJson()));
        collar.run();
        collar.engine.offer(OtaFixture.execution(job, Status.IN_PROGRESS, 2, doc.toJson()));
        collar.run();
    }

    /** The largest version with as many digits as {@code v} (the metadata is patched in place). */
    static long nines(long v) {
        long n = 9;
        while (n < v) {
            n = n * 10 + 9;
        }
        return n;
    }

    static byte[] withVersion(byte[] model, long from, long to) {
        String a = "\"version\":" + from;
        String b = "\"version\":" + to;
        byte[] f = a.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(model, f);
        if (at < 0 || a.length() != b.length()) {
            throw new IllegalStateException("cannot patch the model's version");
        }
        byte[] out = model.clone();
        System.arraycopy(b.getBytes(StandardCharsets.US_ASCII), 0, out, at, f.length);
        return out;
    }

    static byte[] intBytes(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
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
