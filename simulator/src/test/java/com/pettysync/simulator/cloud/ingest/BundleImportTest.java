package com.pettysync.simulator.cloud.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.bundle.RecoveryBundle;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSampleFormat;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.ThingName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleImportTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-03T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    static byte[] telemetry(long seq) {
        return TelemetryFrameCodec.encode(TelemetrySummary.of(seq, 1_767_225_600L + seq * 300, 300));
    }

    static byte[] raw(long capture, long chunk) {
        return RawChunkCodec.encode(new RawChunk(capture, chunk, RawSensor.IMU, 1_767_225_600_000L + chunk * 10_000,
                52, RawSampleFormat.IMU_MG_DDPS_S16, new byte[12 * 520]));
    }

    private Path bundle(String name, long fromSeq, long toSeq) throws Exception {
        Path file = dir.resolve(name);
        try (RecoveryBundle.Writer w = new RecoveryBundle.Writer(file, ThingName.of("collar-1"), 1, "test")) {
            for (long s = fromSeq; s <= toSeq; s++) {
                w.add(DataStream.TELEMETRY, telemetry(s));
            }
            w.add(DataStream.RAW, raw(77, 0));
            w.add(DataStream.RAW, raw(77, 1));
            w.add(DataStream.TELEMETRY, new byte[] {1, 2, 3}); // not a frame: counted invalid, like live traffic
            w.finish();
        }
        return file;
    }

    @Test
    void rawChunksAreStoredOnceByThingCaptureAndChunk() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.RAW, raw(5, 0)));
            assertEquals(Verdict.DUPLICATE, sink.accept("c1", Stream.RAW, raw(5, 0)));
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.RAW, raw(5, 1)));
            assertEquals(Verdict.STORED, sink.accept("c2", Stream.RAW, raw(5, 0)));
            assertEquals(Verdict.INVALID, sink.accept("c1", Stream.RAW, telemetry(1)));
            assertEquals(2, sink.rawChunksStored("c1"));
            assertTrue(sink.rawChunk("c1", 5, 1).isPresent());
            assertEquals(0, sink.duplicateRows());
        }
    }

    @Test
    void anImportStoresWhatHadNotArrivedAndCountsTheRestExactly() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            for (long s = 1; s <= 4; s++) {
                assertEquals(Verdict.STORED, sink.accept("collar-1", Stream.TELEMETRY, telemetry(s))); // live
            }
            BundleImport.Result r = BundleImport.run(sink, bundle("a.bundle", 3, 10));
            assertEquals(6L, r.stored().get(Stream.TELEMETRY)); // 5 … 10
            assertEquals(2L, r.duplicates().get(Stream.TELEMETRY)); // 3, 4 arrived live
            assertEquals(2L, r.stored().get(Stream.RAW));
            assertEquals(1L, r.invalid().get(Stream.TELEMETRY));
            assertEquals(11, r.records());
            assertEquals(10, sink.counts("collar-1").telemetryStored());
            assertEquals(0, sink.counts("collar-1").missingTelemetry());

            BundleImport.Result again = BundleImport.run(sink, bundle("b.bundle", 3, 10));
            assertEquals(0, again.totalStored(), "importing the same data twice stores nothing");
            assertEquals(0, sink.duplicateRows());
        }
    }

    @Test
    void aCorruptBundleStoresNothing() throws Exception {
        Path good = bundle("a.bundle", 1, 50);
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 0x40;
        Path bad = dir.resolve("bad.bundle");
        Files.write(bad, bytes);
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            RecoveryBundle.BundleException e = assertThrows(RecoveryBundle.BundleException.class,
                    () -> BundleImport.run(sink, bad));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            assertEquals(0, sink.counts("collar-1").telemetryStored());
            assertEquals(0, sink.rawChunksStored("collar-1"));
        }
    }
}
