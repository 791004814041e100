package com.pettysync.ml.bench;

import com.pettysync.ml.PpgGenerator;
import com.pettysync.ml.hr.HeartRateEstimator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Cost of one 5-minute heart-rate window (30 000 PPG samples with accelerometer), walking. */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HeartRateBench {
    private PpgGenerator.Ppg ppg;
    private final HeartRateEstimator estimator = new HeartRateEstimator();

    @Setup
    public void setUp() {
        ppg = PpgGenerator.generate(1, 110, 300, 1.8, 2.0);
    }

    @Benchmark
    public Object fiveMinuteWindow() {
        return estimator.window(ppg.ir(), ppg.accel());
    }
}
