package com.pettysync.ml.bench;

import com.pettysync.ml.AudioGenerator;
import com.pettysync.ml.vocal.LogMelSpectrogram;
import com.pettysync.ml.vocal.VocalEpisode;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.ml.vocal.VocalizationPipeline;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Audio-path costs. {@code logMelPlusInference}: one 1 s window through the front end and the TFLite model
 * (target ≤ 3 ms median). {@code tenSecondsSilence} / {@code tenSecondsBarking}: 10 s of audio through the whole
 * pipeline in 100 ms chunks; CPU share of one core in real time = score (ms) / 10 000 ms.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VocalizationBench {
    private VocalizationClassifier classifier;
    private final LogMelSpectrogram logMel = new LogMelSpectrogram();
    private final float[] features = new float[LogMelSpectrogram.FRAMES * LogMelSpectrogram.N_MELS];
    private short[] second;
    private short[] silence;
    private short[] barking;

    @Setup
    public void setUp() {
        classifier = VocalizationClassifier.bundled();
        second = new AudioGenerator(1).barks(2, 0.5).pcm();
        silence = new AudioGenerator(2).silence(10).pcm();
        AudioGenerator g = new AudioGenerator(3);
        for (int i = 0; i < 5; i++) {
            g.barks(5, 0.4);
        }
        barking = g.pcm();
    }

    @TearDown
    public void tearDown() {
        classifier.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[] logMelPlusInference() {
        logMel.compute(second, 0, LogMelSpectrogram.WINDOW_SAMPLES, features);
        return classifier.classify(features);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long tenSecondsSilence() {
        return run(silence);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long tenSecondsBarking() {
        return run(barking);
    }

    private long run(short[] pcm) {
        VocalizationPipeline p = new VocalizationPipeline(classifier);
        long n = 0;
        for (int i = 0; i < pcm.length; i += 1600) {
            List<VocalEpisode> e = p.feed(pcm, i, Math.min(1600, pcm.length - i));
            n += e.size();
        }
        return n + p.flush().size() + p.stats().classified();
    }
}
