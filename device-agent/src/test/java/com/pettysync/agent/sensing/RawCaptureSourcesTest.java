package com.pettysync.agent.sensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.raw.RawCapturer;
import com.pettysync.agent.raw.RawSpool;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.uplink.RawChunks;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.shadow.RawCapture;
import com.pettysync.drivers.twin.SimulatedCollar;
import com.pettysync.ml.vocal.VocalizationClassifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw capture (contract §9) from both sensor paths — the twins ({@code --simulated}) and the real drivers — on
 * simulated time, with the rates, chunk sizes and bytes per second measured from the spool's files.
 */
class RawCaptureSourcesTest {
    static VocalizationClassifier classifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadModel() {
        classifier = VocalizationClassifier.bundled();
    }

    @AfterAll
    static void closeModel() {
        classifier.close();
    }

    record Measured(List<RawChunk> chunks, long payloadBytes) {
        double bytesPerSecond(int seconds) {
            return (double) payloadBytes / seconds;
        }
    }

    static Measured drain(RawSpool spool) {
        List<RawChunk> out = new ArrayList<>();
        long bytes = 0;
        RawChunks.Chunk c;
        while ((c = spool.next(0, -1)) != null) {
            assertTrue(c.payload().length <= RawChunkCodec.MAX_CHUNK_BYTES);
            out.add(RawChunkCodec.decode(c.payload()));
            bytes += c.payload().length;
            spool.acknowledged(c);
        }
        return new Measured(out, bytes);
    }

    /** Checks a two-minute capture and prints what was measured. */
    static void check(String path, Measured m, long t0, int seconds) {
        List<RawChunk> ppg = m.chunks().stream().filter(c -> c.sensor() == RawSensor.PPG).toList();
        List<RawChunk> imu = m.chunks().stream().filter(c -> c.sensor() == RawSensor.IMU).toList();
        int ppgSamples = ppg.stream().mapToInt(RawChunk::sampleCount).sum();
        int imuSamples = imu.stream().mapToInt(RawChunk::sampleCount).sum();
        assertTrue(Math.abs(ppgSamples - 100 * seconds) <= 100, path + " PPG samples " + ppgSamples);
        assertTrue(Math.abs(imuSamples - 52 * seconds) <= 52, path + " IMU samples " + imuSamples);
        assertTrue(ppg.stream().allMatch(c -> c.rateHz() == 100));
        assertTrue(imu.stream().allMatch(c -> c.rateHz() == 52));
        assertTrue(m.chunks().stream().allMatch(c -> c.t0Ms() >= t0 * 1000 && c.endMs() <= (t0 + seconds) * 1000 + 20),
                path + ": samples in Unix time inside the capture");
        double bps = m.bytesPerSecond(seconds);
        // 100 × 6 + 52 × 12 = 1,224 sample bytes/s, plus about 40 bytes of CBOR per 10 s chunk and sensor
        assertTrue(bps > 1_200 && bps < 1_260, path + " bytes/s " + bps);
        int maxChunk = m.chunks().stream().mapToInt(c -> RawChunkCodec.encode(c).length).max().orElseThrow();
        System.out.printf("raw capture (%s, %d s simulated): %d chunks, PPG %d samples (%.1f/s), IMU %d samples "
                + "(%.1f/s), %.0f payload bytes/s, largest chunk %d bytes%n", path, seconds, m.chunks().size(),
                ppgSamples, ppgSamples / (double) seconds, imuSamples, imuSamples / (double) seconds, bps, maxChunk);
    }

    @Test
    void theTwinsStreamAbout1KilobytePerSecond() {
        long t0 = TwinWindowSourceTest.walkStart();
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(t0));
        RawSpool spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
        RawCapturer capture = new RawCapturer(spool, Runnable::run, clock);
        try (TwinWindowSource source = new TwinWindowSource(TwinWindowSourceTest.THING, TwinWindowSourceTest.HOME_LAT,
                TwinWindowSourceTest.HOME_LON, classifier)) {
            source.onRawSamples(capture);
            capture.request(new RawCapture(Set.of(RawSensor.PPG, RawSensor.IMU), t0 + 120));
            source.collect(t0, 60);
            source.collect(t0 + 60, 60);
            source.collect(t0 + 120, 60); // after untilUnix: nothing more is kept
        }
        assertEquals(RawCapturer.StopReason.UNTIL, capture.state().stopReason());
        check("twins", drain(spool), t0, 120);
    }

    @Test
    void theRealDriversStreamTheSame() {
        long t0 = TwinWindowSourceTest.walkStart();
        SimulatedCollar collar = HardwareWindowSourceTest.twinsAt(t0);
        HardwareWindowSource source = new HardwareWindowSource(HardwareWindowSourceTest.partsOf(collar),
                collar.clock(), Clock.fixed(Instant.ofEpochSecond(t0), ZoneOffset.UTC), classifier, false, List.of());
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(t0));
        RawSpool spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
        RawCapturer capture = new RawCapturer(spool, Runnable::run, clock);
        source.onRawSamples(capture);
        capture.request(new RawCapture(Set.of(RawSensor.PPG, RawSensor.IMU), t0 + 120));
        HardwareWindowSourceTest.stepTo(source, collar, 60_000_000_000L);
        source.collect(t0, 60);
        HardwareWindowSourceTest.stepTo(source, collar, 120_000_000_000L);
        source.collect(t0 + 60, 60);
        clock.set(Instant.ofEpochSecond(t0 + 120));
        capture.checkTime();
        assertEquals(RawCapturer.StopReason.UNTIL, capture.state().stopReason());
        check("real drivers", drain(spool), t0, 120);
    }
}
