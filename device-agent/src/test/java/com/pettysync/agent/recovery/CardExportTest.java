package com.pettysync.agent.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.raw.RawSpool;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.contract.bundle.RecoveryBundle;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent export} on a card pulled from a running collar: WAL frames, partly sent clips, raw chunks. */
class CardExportTest {
    static final long T0 = 1_767_225_600L;

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    /** Every file under {@code root} with its bytes and modification time. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String key = root.relativize(p).toString();
                m.put(key, Files.isDirectory(p) ? "dir" : java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return m;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void exportsEveryUndeliveredPayloadOfALiveCardWithoutWritingToIt() throws Exception {
        Path collar = dir.resolve("collar");
        Path card = dir.resolve("card");
        List<OutboxEntry> frames = new ArrayList<>();
        try (OutboxStore outbox = OutboxStore.open(collar, OutboxStore.Options.withCapacity(1000), clock)) {
            for (int i = 0; i < 30; i++) {
                frames.add(outbox.append(FrameKind.TELEMETRY, (seq, ctx) ->
                        TelemetryFrameCodec.encode(TelemetrySummary.of(seq, T0 + seq * 300, 300))));
            }
            frames.add(outbox.append(FrameKind.EVENT, (eseq, ctx) ->
                    EventFrameCodec.encode(new EventFrame(eseq, T0 + 10, EventType.LOW_BATTERY, List.of(9L)))));
            for (int i = 0; i < 12; i++) {
                outbox.acknowledge(frames.get(i).id()); // delivered before the radio died
            }
            VoiceClips clips = VoiceClips.open(collar, outbox, VoiceClips.DEFAULT_QUOTA_BYTES, clock);
            long clip = clips.store(T0 * 1000, 1, 70, new short[160_000]); // 10 s: 3 parts
            outbox.setClipPartsAcked(clip, 1);
            RawSpool spool = RawSpool.open(collar, RawSpool.DEFAULT_QUOTA_BYTES);
            for (int c = 0; c < 4; c++) {
                spool.store(new RawChunk(99, c, RawSensor.IMU, T0 * 1000 + c * 10_000, 52, RawSensor.IMU.format(),
                        new byte[12 * 520]));
            }
            Files.writeString(collar.resolve("status.json"), "{\"thing\":\"collar-card-1\"}");
            // the card is pulled while the agent runs: the outbox's last commits are only in its WAL
            assertTrue(Files.size(collar.resolve("outbox.db-wal")) > 0);
            copyTree(collar, card);
        }
        Map<String, String> before = snapshot(card);
        Path out = dir.resolve("collar.bundle");
        CardExport.Result r = CardExport.run(card, out, Optional.empty(), clock);
        assertEquals(before, snapshot(card), "the card is only read");
        assertEquals(List.of(), r.skipped());

        List<RecoveryBundle.Record> records = new ArrayList<>();
        RecoveryBundle.Manifest m = RecoveryBundle.read(out, records::add);
        assertEquals(ThingName.of("collar-card-1"), m.thing());
        assertEquals(Map.of(DataStream.TELEMETRY, 18L, DataStream.EVENTS, 1L, DataStream.VOICE, 2L,
                DataStream.RAW, 4L), m.counts());
        for (int i = 0; i < 19; i++) {
            assertArrayEquals(frames.get(12 + i).payload(), records.get(i).payload(), "frame " + i + " byte for byte");
        }
        assertEquals(List.of(1L, 2L), records.subList(19, 21).stream()
                .map(x -> VoiceClipPartCodec.decode(x.payload()).part()).toList(), "the parts not acknowledged");
        assertEquals(List.of(0L, 1L, 2L, 3L), records.subList(21, 25).stream()
                .map(x -> RawChunkCodec.decode(x.payload()).chunk()).toList());
    }

    @Test
    void aDirectoryWithoutAnOutboxOrAThingNameIsAClearErrorAndNoBundle() throws Exception {
        Path out = dir.resolve("x.bundle");
        IOException e = assertThrows(IOException.class, () -> CardExport.run(dir, out, Optional.empty(), clock));
        assertTrue(e.getMessage().contains("no outbox.db"), e.getMessage());
        try (OutboxStore outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(10), clock)) {
            outbox.append(FrameKind.TELEMETRY, (seq, ctx) -> TelemetryFrameCodec.encode(TelemetrySummary.of(seq,
                    T0, 300)));
        }
        e = assertThrows(IOException.class, () -> CardExport.run(dir, out, Optional.empty(), clock));
        assertTrue(e.getMessage().contains("give --thing"), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(1, CardExport.run(dir, out, Optional.of(ThingName.of("c-1")), clock).manifest().records());
    }
}
