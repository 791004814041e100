package com.pettysync.agent.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.uplink.RawChunks;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.shadow.RawCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture's rules on simulated time: chunks, stops (until, shadow, quota), the spool's quota. */
class RawCapturerTest {
    static final long T0 = 1_767_225_600L;

    @TempDir
    Path dir;

    /** Feeds {@code seconds} of both sensors at 100 Hz / 52 Hz starting at Unix second {@code from}. */
    static void feed(RawSamples.Sink sink, long from, int seconds) {
        for (int ms = 0; ms < seconds * 1000; ms++) {
            long t = from * 1000 + ms;
            if (ms % 10 == 0) {
                sink.sample(RawSensor.PPG, t, 100, new int[] {100_000 + ms % 997, 150_000 + ms % 991});
            }
            if ((ms * 52) % 1000 < 52) {
                sink.sample(RawSensor.IMU, t, 52, new int[] {ms % 8000, -1000, 1000, 5, -5, ms % 20000});
            }
        }
    }

    static List<RawChunk> drain(RawSpool spool) {
        List<RawChunk> out = new ArrayList<>();
        RawChunks.Chunk c;
        while ((c = spool.next(0, -1)) != null) {
            out.add(RawChunkCodec.decode(c.payload()));
            spool.acknowledged(c);
        }
        return out;
    }

    @Test
    void bothSensorsStreamInTenSecondChunksAndStopByThemselvesAtUntil() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
        RawSpool spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
        RawCapturer c = new RawCapturer(spool, Runnable::run, clock);
        c.request(new RawCapture(Set.of(RawSensor.PPG, RawSensor.IMU), T0 + 60));
        assertTrue(c.state().capturing());
        feed(c, T0, 75); // 15 s past untilUnix
        RawCapturer.State s = c.state();
        assertFalse(s.capturing());
        assertEquals(RawCapturer.StopReason.UNTIL, s.stopReason());
        List<RawChunk> chunks = drain(spool);
        assertEquals(12, chunks.size(), "6 × 10 s per sensor");
        assertEquals(6000, chunks.stream().filter(k -> k.sensor() == RawSensor.PPG).mapToInt(RawChunk::sampleCount)
                .sum());
        assertEquals(3120, chunks.stream().filter(k -> k.sensor() == RawSensor.IMU).mapToInt(RawChunk::sampleCount)
                .sum());
        assertTrue(chunks.stream().allMatch(k -> k.endMs() <= (T0 + 60) * 1000), "nothing at or after untilUnix");
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(i, chunks.get(i).chunk(), "chunks numbered from 0 over both sensors");
            assertEquals(s.captureId(), chunks.get(i).captureId());
        }
    }

    @Test
    void aGapOrARateChangeStartsANewChunkSoEveryChunkIsEvenlySpaced() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
        RawSpool spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
        RawCapturer c = new RawCapturer(spool, Runnable::run, clock);
        c.request(new RawCapture(Set.of(RawSensor.PPG), T0 + 3600));
        for (int i = 0; i < 50; i++) {
            c.sample(RawSensor.PPG, T0 * 1000 + i * 10, 100, new int[] {1, 2});
        }
        c.gap(RawSensor.PPG); // the FIFO overflowed
        for (int i = 0; i < 20; i++) {
            c.sample(RawSensor.PPG, T0 * 1000 + 700 + i * 10, 100, new int[] {3, 4});
        }
        c.sample(RawSensor.PPG, T0 * 1000 + 2000, 100, new int[] {5, 6}); // 1.1 s late: a hole in the series
        c.sample(RawSensor.IMU, T0 * 1000 + 2000, 52, new int[6]); // not requested
        c.request(RawCapture.OFF);
        assertEquals(RawCapturer.StopReason.SHADOW, c.state().stopReason());
        List<RawChunk> chunks = drain(spool);
        assertEquals(List.of(50, 20, 1), chunks.stream().map(RawChunk::sampleCount).toList());
        assertEquals(T0 * 1000 + 700, chunks.get(1).t0Ms());
        assertEquals(T0 * 1000 + 2000, chunks.get(2).t0Ms());
    }

    @Test
    void theQuotaStopsTheCaptureWithoutHolesAndANewRequestStartsANewCapture() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
        long quota = 64 * 1024;
        RawSpool spool = RawSpool.open(dir, quota);
        RawCapturer c = new RawCapturer(spool, Runnable::run, clock);
        c.request(new RawCapture(Set.of(RawSensor.PPG, RawSensor.IMU), T0 + 3600));
        long first = c.state().captureId();
        feed(c, T0, 300);
        RawCapturer.State s = c.state();
        assertEquals(RawCapturer.StopReason.QUOTA, s.stopReason());
        RawSpool.Status st = spool.status();
        assertTrue(st.bytes() <= quota, st.toString());
        assertTrue(st.bytes() > quota - RawChunkCodec.MAX_CHUNK_BYTES, "filled up to the last chunk: " + st);
        assertEquals(1, st.refused());
        assertEquals(st.chunks(), s.chunks(), "the state counts only stored chunks");
        System.out.printf("raw quota %d B: stopped after %d chunks, %d bytes on disk, %.1f s of capture%n", quota,
                st.chunks(), st.bytes(), st.chunks() * 10 / 2.0);

        List<RawChunk> chunks = drain(spool);
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(i, chunks.get(i).chunk(), "no hole: the refused chunk is the last one");
        }
        feed(c, T0 + 300, 20);
        assertTrue(drain(spool).isEmpty(), "a stopped capture stays stopped when space comes back");

        clock.set(Instant.ofEpochSecond(T0 + 400));
        c.request(new RawCapture(Set.of(RawSensor.IMU), T0 + 3600));
        assertTrue(c.state().capturing());
        assertNotEquals(first, c.state().captureId());
        assertNull(c.state().stopReason());
    }

    @Test
    void theShadowHearsOfAStartAndAStopButNotOfEveryChunk() throws Exception {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
        RawSpool spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
        RawCapturer c = new RawCapturer(spool, Runnable::run, clock);
        RawStreaming.Report report = new RawStreaming.Report(c);
        assertNull(report.poll(true), "nothing to say before any capture");
        c.request(new RawCapture(Set.of(RawSensor.PPG), T0 + 60));
        String started = new String(report.poll(false), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(started.contains("\"rawCaptureStatus\":{\"state\":\"capturing\""), started);
        feed(c, T0, 30);
        assertNull(report.poll(false), "three chunks later: no news");
        assertTrue(report.poll(true) != null, "again after a reconnect");
        clock.set(Instant.ofEpochSecond(T0 + 60));
        String stopped = new String(report.poll(false), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(stopped.contains("\"state\":\"stopped\",\"reason\":\"until\""), stopped);
        assertTrue(stopped.contains("\"chunks\":3"), stopped);
    }

    @Test
    void aNearlyFullCardStopsTheCaptureBeforeTheOutboxCouldRunOutOfRoom() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
        long[] free = {RawSpool.DISK_RESERVE_BYTES + 20_000};
        RawSpool spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES, () -> free[0]);
        RawCapturer c = new RawCapturer(spool, Runnable::run, clock);
        c.request(new RawCapture(Set.of(RawSensor.PPG), T0 + 3600));
        for (int s = 0; s < 60; s++) {
            feed(c, T0 + s, 1);
            free[0] = RawSpool.DISK_RESERVE_BYTES + 20_000 - spool.bytes(); // the card fills as the spool grows
        }
        assertEquals(RawCapturer.StopReason.DISK, c.state().stopReason());
        assertEquals(3, spool.status().chunks(), "3 × 6,032 bytes fit above the reserve, the 4th does not");
        assertEquals("disk", c.state().toJson().path("reason").asText());
    }

    @Test
    void theSpoolKeepsChunksAcrossARestartAndNeverReusesACaptureId() throws Exception {
        RawSpool spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
        long id = spool.newCaptureId(T0);
        assertEquals(T0, id);
        spool.store(new RawChunk(id, 0, RawSensor.PPG, T0 * 1000, 100, RawSensor.PPG.format(), new byte[600]));
        spool.store(new RawChunk(id, 1, RawSensor.PPG, T0 * 1000 + 1000, 100, RawSensor.PPG.format(),
                new byte[600]));
        Files.writeString(dir.resolve("raw/chunk-9-9.cbor.tmp"), "torn");
        Files.writeString(dir.resolve("raw/chunk-" + id + "-5.cbor"), "not cbor at all");

        RawSpool again = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
        assertFalse(Files.exists(dir.resolve("raw/chunk-9-9.cbor.tmp")));
        assertEquals(id + 1, again.newCaptureId(T0), "the clock did not move: last + 1");
        List<RawChunk> chunks = drain(again);
        assertEquals(List.of(0L, 1L), chunks.stream().map(RawChunk::chunk).toList());
        assertEquals(1, again.status().removed(), "the damaged file was deleted, not sent");
        assertEquals(0, again.status().chunks());
    }
}
