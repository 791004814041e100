package com.pettysync.agent.voice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.outbox.VoiceClipEntry;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.uplink.VoiceParts;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import com.pettysync.contract.voice.VoiceCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Voice clips on real SQLite and real files in a temp directory. */
class VoiceClipsTest {
    static final long T0_MS = 1_767_225_600_123L;
    static final int TEN_S = 160_000;

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    OutboxStore outbox;

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.close();
        }
    }

    VoiceClips open(long quota) {
        if (outbox != null) {
            outbox.close();
        }
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(1000), clock);
        return VoiceClips.open(dir, outbox, quota, clock);
    }

    static short[] audio(int samples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) r.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
        }
        return s;
    }

    static byte[] pcmLittleEndian(short[] s) {
        ByteBuffer b = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s) {
            b.putShort(v);
        }
        return b.array();
    }

    List<Long> indexedIds() {
        return outbox.clips(100).orElseThrow().stream().map(VoiceClipEntry::clipId).toList();
    }

    Path file(long id) {
        return dir.resolve(VoiceClips.DIR).resolve("clip-" + id + ".pcm");
    }

    @Test
    void aTenSecondClipIsAFileAndAnIndexRowAndItsPartsDecodeBackToTheSameAudio() throws IOException {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        short[] samples = audio(TEN_S, 1);
        long id = clips.store(T0_MS, 2, 87, samples);
        assertTrue(id >= 1, "clip ids start at 1 (0 means no clip)");
        assertEquals(320_000, Files.size(file(id)));
        assertFalse(Files.exists(dir.resolve(VoiceClips.DIR).resolve("clip-" + id + ".pcm.tmp")));
        VoiceClipEntry e = outbox.clips(10).orElseThrow().get(0);
        assertEquals(id, e.clipId());
        assertEquals(T0_MS, e.t0Ms());
        assertEquals(2, e.vocalClass());
        assertEquals(87, e.confPct());
        assertEquals(VoiceCodec.PCM_S16LE, e.codec());
        assertEquals(10_000, e.durationMs());
        assertEquals(320_000, e.bytes());
        assertEquals(3, e.parts());
        assertEquals(0, e.partsAcked());
        assertEquals("clip-" + id + ".pcm", e.file());

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int k = 0; k < 3; k++) {
            VoiceParts.Part p = clips.next();
            assertNotNull(p);
            assertEquals(k, p.part());
            assertTrue(p.payload().length <= VoiceClipPartCodec.MAX_PART_BYTES, p.payload().length + " bytes");
            VoiceClipPart decoded = VoiceClipPartCodec.decode(p.payload());
            assertEquals(id, decoded.clipId());
            assertEquals(T0_MS, decoded.t0Ms());
            assertEquals(16_000, decoded.sampleRate());
            assertEquals(VoiceCodec.PCM_S16LE, decoded.codec());
            assertEquals(10_000, decoded.durationMs());
            assertEquals(2, decoded.vocalClass());
            assertEquals(87, decoded.confPct());
            assertEquals(k, decoded.part());
            assertEquals(3, decoded.parts());
            assertEquals(0, decoded.byteCount() % 2, "no sample split across parts");
            joined.write(decoded.bytes());
            assertTrue(Files.exists(file(id)), "the file stays until every part is acknowledged");
            clips.acknowledged(p);
        }
        assertArrayEquals(pcmLittleEndian(samples), joined.toByteArray());
        assertNull(clips.next());
        assertFalse(Files.exists(file(id)), "file deleted after the last PUBACK");
        assertEquals(List.of(), indexedIds());
        assertEquals(1, clips.status().uploaded());
    }

    @Test
    void partsAtEveryBoundaryStayUnder128KiBAndJoinBackExactly() throws IOException {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        int perPart = VoiceClips.PART_AUDIO_BYTES / 2; // samples in a full part
        for (int samples : new int[] {1, 2, perPart - 1, perPart, perPart + 1, 2 * perPart, 2 * perPart + 1,
                TEN_S - 1, TEN_S}) {
            short[] audio = audio(samples, samples);
            long id = clips.store(T0_MS, 0, 90, audio);
            int expectedParts = (samples + perPart - 1) / perPart;
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int k = 0; k < expectedParts; k++) {
                VoiceParts.Part p = clips.next();
                assertEquals(id, p.clipId(), samples + " samples");
                assertTrue(p.payload().length <= VoiceClipPartCodec.MAX_PART_BYTES, p.payload().length + " bytes");
                VoiceClipPart d = VoiceClipPartCodec.decode(p.payload());
                assertEquals(k, d.part());
                assertEquals(expectedParts, d.parts(), samples + " samples");
                assertEquals(samples * 1000L / 16_000, d.durationMs());
                joined.write(d.bytes());
                clips.acknowledged(p);
            }
            assertArrayEquals(pcmLittleEndian(audio), joined.toByteArray(), samples + " samples");
            assertNull(clips.next(), samples + " samples: nothing left");
        }
    }

    @Test
    void noPartIsOfferedWhileUploadIsNotAllowed() {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        java.util.concurrent.atomic.AtomicBoolean allowed = new java.util.concurrent.atomic.AtomicBoolean(false);
        clips.uploadOnlyWhile(allowed::get);
        long id = clips.store(T0_MS, 0, 90, audio(16_000, 1));
        assertNull(clips.next(), "voiceUpload off: the clip stays on the collar");
        assertEquals(List.of(id), indexedIds());
        allowed.set(true);
        assertEquals(id, clips.next().clipId());
    }

    @Test
    void clipsLongerThanTenSecondsAreCutToTheContractMaximum() throws IOException {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long id = clips.store(T0_MS, 0, 50, audio(TEN_S + 8000, 2));
        assertEquals(320_000, Files.size(file(id)));
        assertEquals(10_000, VoiceClipPartCodec.decode(clips.next().payload()).durationMs());
    }

    @Test
    void theQuotaEvictsTheOldestClipsFirst() {
        VoiceClips clips = open(1_000_000);
        List<Long> small = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) { // 5 × 3 s = 480,000 bytes
            small.add(clips.store(T0_MS + i * 10_000L, 0, 90, audio(48_000, i)));
        }
        long f = clips.store(T0_MS + 60_000, 1, 90, audio(TEN_S, 10)); // 800,000 bytes: fits
        assertEquals(List.of(small.get(0), small.get(1), small.get(2), small.get(3), small.get(4), f), indexedIds());
        long g = clips.store(T0_MS + 70_000, 2, 90, audio(TEN_S, 11)); // 1,120,000 would exceed: two must go
        assertEquals(List.of(small.get(2), small.get(3), small.get(4), f, g), indexedIds(), "the two oldest went");
        long h = clips.store(T0_MS + 80_000, 3, 90, audio(TEN_S, 12)); // the three remaining small ones go
        assertEquals(List.of(f, g, h), indexedIds());
        for (long gone : small) {
            assertFalse(Files.exists(file(gone)), "clip " + gone);
        }
        for (long kept : List.of(f, g, h)) {
            assertTrue(Files.exists(file(kept)), "clip " + kept);
        }
        VoiceClips.Status s = clips.status();
        assertEquals(5, s.evicted());
        assertEquals(3, s.clips());
        assertEquals(960_000, s.bytes());
        assertTrue(s.bytes() <= s.quotaBytes());
    }

    @Test
    void aClipBiggerThanTheWholeQuotaIsNotStored() throws IOException {
        VoiceClips clips = open(100_000);
        long small = clips.store(T0_MS, 0, 90, audio(16_000, 1)); // 1 s = 32,000 bytes
        assertEquals(0, clips.store(T0_MS, 0, 90, audio(TEN_S, 2)));
        assertEquals(List.of(small), indexedIds(), "nothing evicted for a clip that can never fit");
        assertEquals(1, clips.status().tooBig());
        try (var files = Files.list(dir.resolve(VoiceClips.DIR))) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aRestartReoffersOnlyTheUnacknowledgedParts() {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long id = clips.store(T0_MS, 0, 70, audio(TEN_S, 1));
        VoiceParts.Part p0 = clips.next();
        clips.acknowledged(p0);
        VoiceParts.Part p1 = clips.next();
        assertEquals(1, p1.part());
        // no PUBACK for part 1: the process stops here
        clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        VoiceParts.Part again = clips.next();
        assertEquals(id, again.clipId());
        assertEquals(1, again.part(), "part 0 had its PUBACK; part 1 is offered again");
        assertArrayEquals(p1.payload(), again.payload());
    }

    @Test
    void clipIdsNeverRepeatAfterRestartsACorruptDatabaseOrALostOne() throws IOException {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long first = clips.store(T0_MS, 0, 90, audio(1600, 1));
        long second = clips.store(T0_MS, 0, 90, audio(1600, 2));
        assertEquals(first + 1, second);
        clips.acknowledged(clips.next()); // uploaded and gone: its id must still not come back
        clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long third = clips.store(T0_MS, 0, 90, audio(1600, 3));
        assertTrue(third > second, third + " after a restart");
        outbox.close();
        outbox = null;

        byte[] garbage = new byte[8192];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(dir.resolve(OutboxStore.DB_FILE), garbage);
        clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        assertNotNull(outbox.health().movedAside(), "the corrupt database was moved aside");
        assertEquals(2, clips.status().orphansRemoved(), "the files of the lost index are removed");
        long fourth = clips.store(T0_MS, 0, 90, audio(1600, 4));
        assertTrue(fourth > third, fourth + " after a corrupt database");
        outbox.close();
        outbox = null;

        for (String f : List.of(OutboxStore.DB_FILE, OutboxStore.DB_FILE + "-wal", OutboxStore.DB_FILE + "-shm")) {
            Files.deleteIfExists(dir.resolve(f));
        }
        clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long fifth = clips.store(T0_MS, 0, 90, audio(1600, 5));
        assertTrue(fifth > fourth, fifth + " after the database vanished");
    }

    @Test
    void orphanFilesAndRowsWithoutTheirFileAreCleanedUpAtStart() throws IOException {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long a = clips.store(T0_MS, 0, 90, audio(16_000, 1));
        long b = clips.store(T0_MS, 0, 90, audio(16_000, 2));
        long c = clips.store(T0_MS, 0, 90, audio(16_000, 3));
        outbox.close();
        outbox = null;
        Files.delete(file(a));
        Files.write(file(b), new byte[1000]); // truncated
        Path clipsDir = dir.resolve(VoiceClips.DIR);
        Files.write(clipsDir.resolve("clip-99.pcm"), new byte[10]); // no row: killed between rename and index
        Files.write(clipsDir.resolve("clip-100.pcm.tmp"), new byte[10]); // killed while writing
        Files.write(clipsDir.resolve("notes.txt"), new byte[10]); // not ours: left alone

        clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        assertEquals(List.of(c), indexedIds());
        VoiceClips.Status s = clips.status();
        assertEquals(2, s.missingRemoved());
        assertEquals(2, s.orphansRemoved());
        assertFalse(Files.exists(file(b)));
        assertFalse(Files.exists(clipsDir.resolve("clip-99.pcm")));
        assertFalse(Files.exists(clipsDir.resolve("clip-100.pcm.tmp")));
        assertTrue(Files.exists(clipsDir.resolve("notes.txt")));
        assertEquals(c, clips.next().clipId());
    }

    @Test
    void aFileThatVanishesOrShrinksWhileRunningCostsOnlyItsRow() throws IOException {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long a = clips.store(T0_MS, 0, 90, audio(16_000, 1));
        long b = clips.store(T0_MS, 0, 90, audio(16_000, 2));
        long c = clips.store(T0_MS, 0, 90, audio(16_000, 3));
        Files.delete(file(a));
        Files.write(file(b), new byte[100]);
        VoiceParts.Part p = clips.next();
        assertEquals(c, p.clipId(), "a and b skipped, not retried");
        assertEquals(List.of(c), indexedIds());
        assertEquals(2, clips.status().missingRemoved());
    }

    @Test
    void aWriteFailureDropsTheClipCountsItAndKeepsGoing() throws IOException {
        VoiceClips clips = open(VoiceClips.DEFAULT_QUOTA_BYTES);
        long a = clips.store(T0_MS, 0, 90, audio(16_000, 1));
        // the clip folder becomes unusable (a file in its place fails writes even for root, like an I/O error)
        Files.delete(file(a));
        Files.delete(dir.resolve(VoiceClips.DIR));
        Files.write(dir.resolve(VoiceClips.DIR), new byte[1]);
        assertEquals(0, clips.store(T0_MS, 0, 90, audio(16_000, 2)));
        assertEquals(0, clips.store(T0_MS, 0, 90, audio(16_000, 3)));
        assertEquals(2, clips.status().writeFailures());
        assertEquals(List.of(a), indexedIds(), "no row for a clip without its file");
        // the folder comes back: clips are stored again, with fresh ids
        Files.delete(dir.resolve(VoiceClips.DIR));
        long b = clips.store(T0_MS, 0, 90, audio(16_000, 4));
        assertTrue(b > a);
        assertTrue(Files.exists(file(b)));
    }
}
