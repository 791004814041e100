package com.pettysync.simulator.cloud.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commits on a real SQLite store. Payloads are submitted before the writer starts where a test needs them in
 * one batch (the writer then finds them all queued); futures are awaited with a bound, never slept on.
 */
class GroupCommitTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void eachPayloadOfAMixedBatchGetsItsOwnVerdictAfterOneCommit() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            sink.accept("c1", Stream.TELEMETRY, telemetry(1)); // stored before: its copy below is a duplicate
            GroupCommit writer = new GroupCommit(sink);
            List<CompletableFuture<Verdict>> f = List.of(
                    writer.submit("c1", Stream.TELEMETRY, telemetry(0)),
                    writer.submit("c1", Stream.TELEMETRY, telemetry(1)),
                    writer.submit("c1", Stream.TELEMETRY, new byte[] {(byte) 0xff, 0x00}),
                    writer.submit("c1", Stream.TELEMETRY, telemetry(0)), // a copy within the same batch
                    writer.submit("c2", Stream.TELEMETRY, telemetry(0)),
                    writer.submit("c1", Stream.EVENTS, event(5)),
                    writer.submit("c1", Stream.VOICE, event(6))); // an event is no voice part
            assertTrue(f.stream().noneMatch(CompletableFuture::isDone), "no verdict before the writer commits");
            writer.start();
            writer.close();
            assertEquals(List.of(Verdict.STORED, Verdict.DUPLICATE, Verdict.INVALID, Verdict.DUPLICATE,
                    Verdict.STORED, Verdict.STORED, Verdict.INVALID), verdicts(f));
            assertEquals(1, writer.batches(), "one transaction for the whole batch");
            assertEquals(new CollarCounts("c1", 2, 1, 0, 2, 2, 0, 0), sink.counts("c1"));
            assertEquals(new CollarCounts("c2", 1, 0, 0, 0, 0, 0, 0), sink.counts("c2"));
            assertEquals(4, sink.storedSinceOpen());
            assertEquals(0, sink.duplicateRows());
        }
    }

    @Test
    void aFailedGroupCommitAcknowledgesNoneOfItsBatchAndTheResendsAreStoredOnce() throws Exception {
        Path file = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(file, clock);
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = other.createStatement()) {
                // a real SQLite failure in the middle of the batch, after seq 10..12 were written in its transaction
                s.execute("CREATE TRIGGER broken_disk BEFORE INSERT ON telemetry WHEN NEW.seq = 13"
                        + " BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END");
            }
            GroupCommit writer = new GroupCommit(sink);
            List<CompletableFuture<Verdict>> f = new ArrayList<>();
            for (long seq = 10; seq <= 15; seq++) {
                f.add(writer.submit("c1", Stream.TELEMETRY, telemetry(seq)));
            }
            f.add(writer.submit("c1", Stream.TELEMETRY, new byte[] {1})); // invalid: its reject row is rolled back too
            writer.start();
            for (CompletableFuture<Verdict> v : f) {
                CompletionException e = assertThrows(CompletionException.class, () -> v.orTimeout(30,
                        TimeUnit.SECONDS).join());
                IngestRefused refused = assertInstanceOf(IngestRefused.class, e.getCause());
                assertEquals(IngestRefused.Reason.STORE_FAILED, refused.reason());
            }
            assertEquals(0, sink.telemetryStored("c1", "c1"), "seq 10..12 were rolled back with the batch");
            assertEquals(new CollarCounts("c1", 0, 0, 0, 0, 0, 0, 0), sink.counts("c1"));
            assertEquals(0, sink.storedSinceOpen(), "the live counter counts committed frames only");

            try (Statement s = other.createStatement()) {
                s.execute("DROP TRIGGER broken_disk");
            }
            List<CompletableFuture<Verdict>> resent = new ArrayList<>();
            for (int copy = 0; copy < 2; copy++) { // the collar's re-send, and a second copy of it
                for (long seq = 10; seq <= 15; seq++) {
                    resent.add(writer.submit("c1", Stream.TELEMETRY, telemetry(seq)));
                }
            }
            List<Verdict> v = verdicts(resent);
            writer.close();
            assertEquals(6, v.stream().filter(Verdict.STORED::equals).count());
            assertEquals(6, v.stream().filter(Verdict.DUPLICATE::equals).count());
            assertEquals(6, sink.telemetryStored("c1", "c1"));
            assertEquals(0, sink.duplicateRows());
        }
    }

    @Test
    void aFullQueueRefusesAtOnceWithoutWritingAndTheResendIsStored() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            GroupCommit writer = new GroupCommit(sink, 2, 1 << 20, 100);
            CompletableFuture<Verdict> first = writer.submit("c1", Stream.TELEMETRY, telemetry(0));
            CompletableFuture<Verdict> second = writer.submit("c1", Stream.TELEMETRY, telemetry(1));
            CompletableFuture<Verdict> third = writer.submit("c1", Stream.TELEMETRY, telemetry(2));
            assertTrue(third.isCompletedExceptionally(), "refused at once, the caller is not blocked");
            assertEquals(IngestRefused.Reason.BUSY, reasonOf(third));
            writer.start();
            assertEquals(List.of(Verdict.STORED, Verdict.STORED), verdicts(List.of(first, second)));
            assertEquals(Verdict.STORED, writer.submit("c1", Stream.TELEMETRY, telemetry(2)).get(30,
                    TimeUnit.SECONDS), "the re-send after the back-off");
            writer.close();
            assertEquals(3, sink.telemetryStored("c1", "c1"));
        }
    }

    @Test
    void theQueueIsBoundedInBytesToo() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            byte[] frame = telemetry(0);
            GroupCommit writer = new GroupCommit(sink, 100, frame.length * 2L, 100);
            CompletableFuture<Verdict> a = writer.submit("c1", Stream.TELEMETRY, frame);
            CompletableFuture<Verdict> b = writer.submit("c2", Stream.TELEMETRY, frame);
            CompletableFuture<Verdict> c = writer.submit("c3", Stream.TELEMETRY, frame);
            assertEquals(IngestRefused.Reason.BUSY, reasonOf(c));
            writer.start();
            assertEquals(List.of(Verdict.STORED, Verdict.STORED), verdicts(List.of(a, b)));
            assertEquals(Verdict.STORED, writer.submit("c3", Stream.TELEMETRY, frame).get(30, TimeUnit.SECONDS),
                    "room again once the batch is written");
            writer.close();
        }
    }

    @Test
    void closeStoresWhatIsQueuedAndRefusesWhatComesLater() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            GroupCommit writer = new GroupCommit(sink);
            List<CompletableFuture<Verdict>> f = new ArrayList<>();
            for (long seq = 0; seq < 50; seq++) {
                f.add(writer.submit("c1", Stream.TELEMETRY, telemetry(seq)));
            }
            writer.start();
            writer.close();
            assertTrue(f.stream().allMatch(CompletableFuture::isDone), "close returns after the queued ones");
            assertTrue(verdicts(f).stream().allMatch(Verdict.STORED::equals));
            assertEquals(IngestRefused.Reason.CLOSED,
                    reasonOf(writer.submit("c1", Stream.TELEMETRY, telemetry(50))));
            assertEquals(50, sink.telemetryStored("c1", "c1"));
        }
    }

    @Test
    void manyProducersSendingEveryFrameTwiceGetEachStoredExactlyOnce() throws Exception {
        int producers = 8;
        int things = 40;
        int framesPerThing = 50;
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            GroupCommit writer = new GroupCommit(sink, 64, 1 << 20, 16).start(); // small: BUSY happens, re-sent
            List<List<Verdict>> results = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                List<Verdict> mine = new ArrayList<>();
                results.add(mine);
                int producer = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    // producers p and p + producers/2 send the same things: every frame arrives twice
                    for (int t = producer % (producers / 2); t < things; t += producers / 2) {
                        for (long seq = 0; seq < framesPerThing; seq++) {
                            mine.add(sendUntilDecided(writer, String.format("c%03d", t), telemetry(seq)));
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(2));
                assertFalse(t.isAlive(), "a producer did not finish");
            }
            writer.close();
            long stored = results.stream().flatMap(List::stream).filter(Verdict.STORED::equals).count();
            long duplicates = results.stream().flatMap(List::stream).filter(Verdict.DUPLICATE::equals).count();
            assertEquals((long) things * framesPerThing, stored, "each frame stored once");
            assertEquals((long) things * framesPerThing, duplicates, "and its copy dropped");
            assertEquals((long) things * framesPerThing, sink.telemetryStored("c000", "c999"));
            assertEquals(0, sink.duplicateRows());
            assertEquals(stored, sink.storedSinceOpen());
            assertTrue(writer.batches() < writer.decided(), "some transactions held several frames");
        }
    }

    /** What a collar does: on BUSY it backs off and sends again (here: yields and sends again). */
    private static Verdict sendUntilDecided(GroupCommit writer, String thing, byte[] frame) {
        while (true) {
            try {
                return writer.submit(thing, Stream.TELEMETRY, frame).orTimeout(60, TimeUnit.SECONDS).join();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof IngestRefused r) || r.reason() != IngestRefused.Reason.BUSY) {
                    throw e;
                }
                Thread.yield();
            }
        }
    }

    private static IngestRefused.Reason reasonOf(CompletableFuture<Verdict> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(IngestRefused.class, e.getCause()).reason();
    }

    private static List<Verdict> verdicts(List<CompletableFuture<Verdict>> futures) {
        return futures.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).toList();
    }

    private static byte[] telemetry(long seq) {
        return TelemetryFrameCodec.encode(TelemetrySummary.of(seq, 1767225600L + seq * 300, 300));
    }

    private static byte[] event(long eseq) {
        return EventFrameCodec.encode(new EventFrame(eseq, 1767225600L, EventType.LOW_BATTERY, List.of(9L)));
    }
}
