package com.pettysync.simulator.cloud.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.bundle.RecoveryBundle;
import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.archive.DayArchiver;
import com.pettysync.simulator.cloud.archive.DirectoryArchiveStore;
import com.pettysync.simulator.cloud.archive.SqliteHotStore;
import com.pettysync.simulator.cloud.ingest.BundleImport;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collar delivers its morning, loses its radio, and its SD card is imported the next day ({@code cloud import}):
 * after the day was archived, the recovered frames are merged into the archive and the day's report shows them late.
 */
class RecoveredFramesReportTest {
    @TempDir
    Path dir;

    @Test
    void recoveredFramesAreMergedAndReportedLate() throws Exception {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(DeliveryReportTest.START));
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            for (long i = 0; i < 100; i++) { // live until 08:20, then the radio dies
                sink.accept("collar-1", Stream.TELEMETRY, Frames.frame(i, DeliveryReportTest.START + i * 300, 70,
                        false));
            }
        }
        clock.advance(Duration.ofHours(24).plusMinutes(30));
        try (SqliteHotStore hot = SqliteHotStore.open(frames);
                DirectoryArchiveStore archive = new DirectoryArchiveStore(dir.resolve("archive"))) {
            DayArchiver archiver = new DayArchiver(hot, archive, clock);
            assertEquals(100, archiver.archiveCompleted().frames());
            DeliveryTally before = DeliveryReport.build(DeliveryReportTest.DAY, hot, archive, List.of(),
                    clock.instant()).collars().get(0);
            assertEquals(188, before.missing());

            Path card = dir.resolve("collar-1.bundle"); // the card holds 95 … 287: 95–99 were delivered
            try (RecoveryBundle.Writer w = new RecoveryBundle.Writer(card, ThingName.of("collar-1"), 1, "test")) {
                for (long i = 95; i < 288; i++) {
                    w.add(DataStream.TELEMETRY, Frames.frame(i, DeliveryReportTest.START + i * 300, 50, false));
                }
                w.finish();
            }
            clock.advance(Duration.ofHours(9));
            try (IngestSink sink = IngestSink.open(frames, clock)) {
                BundleImport.Result r = BundleImport.run(sink, card);
                assertEquals(193L, r.stored().get(Stream.TELEMETRY), "95–99 are new to the emptied hot store");
            }
            DayArchiver.Result merged = archiver.archiveCompleted();
            assertEquals(188, merged.frames(), "only 100–287 are new to the archive");

            DeliveryTally after = DeliveryReport.build(DeliveryReportTest.DAY, hot, archive, List.of(),
                    clock.instant()).collars().get(0);
            assertEquals(288, after.received());
            assertEquals(0, after.missing());
            assertEquals(188, after.late(), "recovered frames arrived a day late");
            assertEquals(5, after.duplicates(), "95–99 came again from the card");
            assertTrue(after.reasons().contains("188 late (backlog or recovered)"), after.reasons().toString());
        }
    }
}
