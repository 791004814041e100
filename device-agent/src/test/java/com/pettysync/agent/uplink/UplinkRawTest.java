package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.raw.RawSpool;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw chunks through the uplink: the lane below voice, its PUBACK rules and the shadow report. */
class UplinkRawTest {
    static final String VOICE = "c/voice";
    static final String RAW = "c/raw";
    static final String SHADOW = "c/shadow/update";
    static final long T0_MS = 1_767_225_600_000L;

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    final FakeBroker broker = new FakeBroker();
    final List<Boolean> reportPolls = new ArrayList<>();
    OutboxStore outbox;
    VoiceClips clips;
    RawSpool spool;
    byte[] report;

    @BeforeEach
    void open() {
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(10_000), clock);
        clips = VoiceClips.open(dir, outbox, VoiceClips.DEFAULT_QUOTA_BYTES, clock);
        spool = RawSpool.open(dir, RawSpool.DEFAULT_QUOTA_BYTES);
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    Uplink uplink() {
        Uplink u = new Uplink(outbox, broker, e -> e.kind() == FrameKind.TELEMETRY ? "c/telemetry" : "c/events",
                Uplink.Settings.of(10, 10, Duration.ofSeconds(1), Duration.ofSeconds(120)), clock,
                new SplittableRandom(42), null);
        u.setVoice(clips, VOICE);
        u.setRaw(spool, RAW, fresh -> {
            reportPolls.add(fresh);
            byte[] r = report;
            report = null;
            return r;
        }, SHADOW);
        return u;
    }

    void chunk(long chunk) {
        spool.store(new RawChunk(7, chunk, RawSensor.PPG, T0_MS + chunk * 10_000, 100, RawSensor.PPG.format(),
                new byte[6000]));
    }

    void run(Uplink u, int seconds) {
        for (int i = 0; i < seconds * 10; i++) {
            u.tick();
            clock.advance(Duration.ofMillis(100));
        }
    }

    List<String> kinds() {
        return broker.current().publishes.stream().map(p -> switch (p.topic()) {
            case VOICE -> "V" + VoiceClipPartCodec.decode(p.payload()).part();
            case RAW -> "R" + RawChunkCodec.decode(p.payload()).chunk();
            case SHADOW -> "S";
            default -> new String(p.payload(), StandardCharsets.US_ASCII);
        }).toList();
    }

    FakeBroker.Publish last() {
        List<FakeBroker.Publish> ps = broker.current().publishes;
        return ps.get(ps.size() - 1);
    }

    /** The status counts every PUBLISH the broker received (the energy account's radio input reads it). */
    @Test
    void statusCountsEveryPublishIncludingRawChunks() {
        chunk(0);
        clips.store(T0_MS, 0, 90, new short[16_000]);
        outbox.append(FrameKind.TELEMETRY, (c, ctx) -> ("T" + c).getBytes(StandardCharsets.US_ASCII));
        Uplink u = uplink();
        run(u, 2);
        broker.current().ack(last().token());
        run(u, 1);
        assertEquals(List.of("T0", "V0", "R0"), kinds());
        long bytes = broker.current().publishes.stream().mapToLong(p -> p.topic().length() + p.payload().length).sum();
        assertEquals(3, u.status().publishesSent());
        assertEquals(bytes, u.status().bytesSent());
    }

    @Test
    void rawChunksGoOnlyWhenNoFrameAndNoVoicePartIsWaitingOneAtATime() {
        chunk(0);
        chunk(1);
        clips.store(T0_MS, 0, 90, new short[16_000]);
        outbox.append(FrameKind.TELEMETRY, (c, ctx) -> ("T" + c).getBytes(StandardCharsets.US_ASCII));
        Uplink u = uplink();
        run(u, 2);
        assertEquals(List.of("T0", "V0"), kinds(), "raw waits behind a voice part in flight");
        broker.current().ack(last().token());
        run(u, 1);
        assertEquals(List.of("T0", "V0", "R0"), kinds());
        outbox.append(FrameKind.TELEMETRY, (c, ctx) -> ("T" + c).getBytes(StandardCharsets.US_ASCII));
        run(u, 1);
        assertEquals(List.of("T0", "V0", "R0", "T1"), kinds(), "a frame made meanwhile does not wait for raw");
        broker.current().ack(broker.current().publishes.get(2).token());
        run(u, 1);
        assertEquals(List.of("T0", "V0", "R0", "T1", "R1"), kinds());
        assertEquals(1, spool.status().chunks(), "chunk 0 left the spool on its PUBACK");
        broker.current().ack(last().token());
        run(u, 1);
        assertEquals(0, spool.status().chunks());
        assertEquals(5, broker.current().publishes.size());
    }

    @Test
    void aChunkTheBrokerWillNeverTakeIsDeletedOthersAreKeptAndOfferedAgainAfterAReconnect() {
        chunk(0);
        chunk(1);
        Uplink u = uplink();
        run(u, 1);
        broker.current().reject(last().token(), 0x95);
        run(u, 1);
        assertEquals(1, spool.status().removed());
        assertEquals(List.of("R0", "R1"), kinds());
        broker.current().reject(last().token(), 0x97); // quota exceeded: kept, the lane pauses
        run(u, 1);
        assertEquals(2, kinds().size(), "paused");
        run(u, 3);
        assertEquals(List.of("R0", "R1", "R1"), kinds(), "offered again after the back-off");
        broker.current().cut();
        run(u, 5);
        assertEquals(List.of("R1"), kinds(), "after a reconnect the chunk without PUBACK goes again");
        assertEquals(1, spool.status().chunks());
    }

    @Test
    void theCapturesStateIsPublishedToTheShadowWhenTheReportHasOne() {
        Uplink u = uplink();
        report = "{\"state\":{}}".getBytes(StandardCharsets.UTF_8);
        run(u, 1);
        assertEquals(List.of("S"), kinds());
        assertEquals(true, reportPolls.get(0), "the first poll after a connect says so");
        assertTrue(reportPolls.stream().skip(1).noneMatch(b -> b));
        broker.current().cut();
        run(u, 5);
        assertTrue(reportPolls.stream().skip(1).anyMatch(b -> b), "again after the reconnect");
    }
}
