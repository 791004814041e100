package com.pettysync.simulator.cloud.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.archive.HotStore.CollarDay;
import com.pettysync.simulator.cloud.ingest.ClipJoin;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import com.pettysync.simulator.cloud.ingest.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DayArchiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String C1 = "collar-0001";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(ArchiveScenario.DURING_DAY);

    @Test
    void archivesACompletedDayAsOneFolderAndDeletesExactlyWhatItArchived() throws Exception {
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            ArchiveScenario.store(sink, C1);
        }
        clock.advance(Duration.ofHours(24)); // next day, 01:00 UTC
        try (SqliteHotStore hot = SqliteHotStore.open(frames);
                DirectoryArchiveStore archive = new DirectoryArchiveStore(dir.resolve("archive"))) {
            DayArchiver archiver = new DayArchiver(hot, archive, clock);
            DayArchiver.Result r = archiver.archiveCompleted();
            assertEquals(new DayArchiver.Result(1, 1, 0, 9, 1, 1, 1, r.bytesWritten()), r);

            String folder = C1 + "/20260601/";
            assertEquals(List.of(folder + "events.jsonl.gz", folder + "manifest.json", folder + "raw/3.jsonl.gz",
                    folder + "telemetry.jsonl.gz", folder + "voice/7.json", folder + "voice/7.wav"),
                    archive.list(C1 + "/"));
            assertEquals("ppg", read(DayArchiver.gunzipLines(archive.get(folder + "raw/3.jsonl.gz").orElseThrow())
                    .get(0)).get("sensor").asText(), "the raw chunk's decoded JSON");
            List<String> lines = DayArchiver.gunzipLines(archive.get(folder + "telemetry.jsonl.gz").orElseThrow());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L),
                    lines.stream().map(l -> read(l).get("seq").asLong()).toList(), "seq order, each once");
            assertEquals("happy", read(lines.get(0)).at("/mood/mood").asText(), "the contract's decoded JSON");
            assertEquals("low_battery", read(DayArchiver.gunzipLines(archive.get(folder + "events.jsonl.gz")
                    .orElseThrow()).get(0)).get("type").asText());

            byte[] wav = archive.get(folder + "voice/7.wav").orElseThrow();
            byte[] pcm = ClipJoin.samples(wav);
            assertEquals(1280, pcm.length);
            assertEquals(1, pcm[0]);
            assertEquals(2, pcm[1279], "part 1 after part 0");
            JsonNode sidecar = JSON.readTree(archive.get(folder + "voice/7.json").orElseThrow());
            assertEquals("bark", sidecar.get("class").asText());
            assertEquals(64, sidecar.get("conf_pct").asInt());
            assertEquals("happy", sidecar.at("/mood/mood").asText(), "mood of window 2, where the clip starts");
            assertEquals(2, sidecar.get("window_seq").asLong());

            JsonNode delivery = JSON.readTree(archive.get(folder + "manifest.json").orElseThrow()).get("delivery");
            assertEquals(9, delivery.get("received").asLong());
            assertEquals(288, delivery.get("expected").asLong(), "seq 0 starts at 00:00: a whole day at 300 s");
            assertEquals(1, delivery.get("seq_gaps").asLong());
            assertEquals(0, delivery.get("late").asLong());

            assertEquals(List.of(new CollarDay(C1, ArchiveScenario.DAY.plusDays(1))),
                    hot.collarDaysBefore(ArchiveScenario.DAY.plusDays(5)), "only the open day is left");
        }
    }

    @Test
    void rerunWritesNothingThenMergesLateFramesAndDropsLateCopies() throws Exception {
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            ArchiveScenario.store(sink, C1);
        }
        clock.advance(Duration.ofHours(24));
        try (IngestSink sink = IngestSink.open(frames, clock);
                SqliteHotStore hot = SqliteHotStore.open(frames);
                DirectoryArchiveStore archive = new DirectoryArchiveStore(dir.resolve("archive"))) {
            DayArchiver archiver = new DayArchiver(hot, archive, clock);
            archiver.archiveDay(ArchiveScenario.DAY);
            byte[] before = archive.get(ArchiveLayout.telemetry(C1, ArchiveScenario.DAY)).orElseThrow();
            assertEquals(DayArchiver.Result.NONE, archiver.archiveDay(ArchiveScenario.DAY), "nothing new: no write");

            clock.advance(Duration.ofHours(1));
            assertEquals(Verdict.STORED, sink.accept(C1, Stream.TELEMETRY, ArchiveScenario.window(5)), "backlog");
            assertEquals(Verdict.STORED, sink.accept(C1, Stream.TELEMETRY, ArchiveScenario.window(3)),
                    "a copy of an archived frame is new to the hot store");
            DayArchiver.Result r = archiver.archiveDay(ArchiveScenario.DAY);
            assertEquals(1, r.frames());
            List<String> lines = DayArchiver.gunzipLines(archive.get(ArchiveLayout.telemetry(C1, ArchiveScenario.DAY))
                    .orElseThrow());
            assertEquals(10, lines.size());
            assertEquals(5, read(lines.get(5)).get("seq").asLong());
            JsonNode delivery = JSON.readTree(archive.get(ArchiveLayout.manifest(C1, ArchiveScenario.DAY))
                    .orElseThrow()).get("delivery");
            assertEquals(1, delivery.get("late").asLong(), "seq 5 arrived a day late");
            assertEquals(0, delivery.get("seq_gaps").asLong());
            assertEquals(1, delivery.get("duplicates_dropped").asLong(), "the late copy of seq 3");
            assertTrue(hot.load(new CollarDay(C1, ArchiveScenario.DAY)).isEmpty());
            assertTrue(before.length < archive.get(ArchiveLayout.telemetry(C1, ArchiveScenario.DAY)).orElseThrow()
                    .length);
        }
    }

    @Test
    void refusesADayThatIsNotComplete() throws Exception {
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            ArchiveScenario.store(sink, C1);
        }
        clock.advance(Duration.ofHours(23).plusMinutes(5)); // 00:05 the next day: late frames may still come
        try (SqliteHotStore hot = SqliteHotStore.open(frames);
                DirectoryArchiveStore archive = new DirectoryArchiveStore(dir.resolve("archive"))) {
            DayArchiver archiver = new DayArchiver(hot, archive, clock);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> archiver.archiveDay(ArchiveScenario.DAY));
            assertTrue(e.getMessage().contains("not complete"), e.getMessage());
            assertEquals(DayArchiver.Result.NONE, archiver.archiveCompleted());
        }
    }

    @Test
    void aReadBackThatDiffersDeletesNothing() throws Exception {
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            ArchiveScenario.store(sink, C1);
        }
        clock.advance(Duration.ofHours(24));
        try (SqliteHotStore hot = SqliteHotStore.open(frames);
                DirectoryArchiveStore dirStore = new DirectoryArchiveStore(dir.resolve("archive"))) {
            ArchiveStore flipping = new ArchiveStore() {
                @Override
                public void put(String key, byte[] bytes) throws IOException {
                    byte[] bad = bytes.clone();
                    bad[bad.length / 2] ^= 1; // a store that damages what it keeps
                    dirStore.put(key, bad);
                }

                @Override
                public Optional<byte[]> get(String key) throws IOException {
                    return dirStore.get(key);
                }

                @Override
                public List<String> list(String prefix) throws IOException {
                    return dirStore.list(prefix);
                }

                @Override
                public String location() {
                    return "flipping:";
                }

                @Override
                public void close() {}
            };
            IOException e = assertThrows(IOException.class,
                    () -> new DayArchiver(hot, flipping, clock).archiveDay(ArchiveScenario.DAY));
            assertTrue(e.getMessage().contains("differs"), e.getMessage());
            assertEquals(9, hot.load(new CollarDay(C1, ArchiveScenario.DAY)).telemetry().size(), "all still hot");
            assertTrue(dirStore.get(ArchiveLayout.manifest(C1, ArchiveScenario.DAY)).isEmpty());
        }
    }

    @Test
    void anArchivedObjectThatNoLongerMatchesItsManifestIsRefusedNotOverwritten() throws Exception {
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            ArchiveScenario.store(sink, C1);
        }
        clock.advance(Duration.ofHours(24));
        try (IngestSink sink = IngestSink.open(frames, clock);
                SqliteHotStore hot = SqliteHotStore.open(frames);
                DirectoryArchiveStore archive = new DirectoryArchiveStore(dir.resolve("archive"))) {
            DayArchiver archiver = new DayArchiver(hot, archive, clock);
            archiver.archiveDay(ArchiveScenario.DAY);
            String key = ArchiveLayout.telemetry(C1, ArchiveScenario.DAY);
            byte[] tampered = DayArchiverTestGzip.gzip("{\"v\":1,\"seq\":0,\"t0\":0,\"dur\":300}\n");
            archive.put(key, tampered);
            sink.accept(C1, Stream.TELEMETRY, ArchiveScenario.window(5));
            IOException e = assertThrows(IOException.class, () -> archiver.archiveDay(ArchiveScenario.DAY));
            assertTrue(e.getMessage().contains("does not match its manifest"), e.getMessage());
            assertArrayEquals(tampered, archive.get(key).orElseThrow());
            assertEquals(1, hot.load(new CollarDay(C1, ArchiveScenario.DAY)).telemetry().size(), "seq 5 kept");
        }
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
