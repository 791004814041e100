package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.outbox.VoiceClipEntry;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Voice clip parts through the uplink: a fake broker, a manual clock, real SQLite and real clip files. */
class UplinkVoiceTest {
    static final long T0_MS = 1_767_225_600_000L;
    static final String VOICE = "c/voice";

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    final FakeBroker broker = new FakeBroker();
    OutboxStore outbox;
    VoiceClips clips;

    @BeforeEach
    void open() {
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(10_000), clock);
        clips = VoiceClips.open(dir, outbox, VoiceClips.DEFAULT_QUOTA_BYTES, clock);
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    Uplink uplink(int maxInFlight, int perSecond) {
        Uplink u = new Uplink(outbox, broker, e -> e.kind() == FrameKind.TELEMETRY ? "c/telemetry" : "c/events",
                Uplink.Settings.of(maxInFlight, perSecond, Duration.ofSeconds(1), Duration.ofSeconds(120)), clock,
                new SplittableRandom(42), null);
        u.setVoice(clips, VOICE);
        return u;
    }

    void telemetry() {
        outbox.append(FrameKind.TELEMETRY, (c, ctx) -> ("T" + c).getBytes(StandardCharsets.US_ASCII));
    }

    long tenSecondClip(long seed) {
        short[] s = new short[160_000];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) r.nextInt(-20_000, 20_000);
        }
        return clips.store(T0_MS, 0, 90, s);
    }

    /** Ticks for {@code seconds} of simulated time in 100 ms steps. */
    void run(Uplink u, int seconds) {
        for (int i = 0; i < seconds * 10; i++) {
            u.tick();
            clock.advance(Duration.ofMillis(100));
        }
    }

    List<String> kinds(List<FakeBroker.Publish> ps) {
        return ps.stream().map(p -> p.topic().equals(VOICE) ? "V" + VoiceClipPartCodec.decode(p.payload()).part()
                : new String(p.payload(), StandardCharsets.US_ASCII)).toList();
    }

    FakeBroker.Publish last() {
        List<FakeBroker.Publish> ps = broker.current().publishes;
        return ps.get(ps.size() - 1);
    }

    @Test
    void partsGoAfterFramesOneAtATimeAndTheClipLeavesAfterTheLastPuback() {
        long id = tenSecondClip(1);
        telemetry();
        telemetry();
        Uplink u = uplink(10, 10);
        run(u, 2);
        assertEquals(List.of("T0", "T1", "V0"), kinds(broker.current().publishes), "frames first, one part in flight");
        assertEquals(3, u.status().inFlight());
        telemetry(); // a new window while part 0 is in flight
        run(u, 1);
        assertEquals(List.of("T0", "T1", "V0", "T2"), kinds(broker.current().publishes));
        broker.current().ack(last().token()); // T2
        broker.current().ack(broker.current().publishes.get(2).token()); // part 0
        run(u, 1);
        assertEquals("V1", kinds(List.of(last())).get(0));
        assertEquals(1, outbox.clips(10).orElseThrow().get(0).partsAcked());
        telemetry();
        broker.current().ack(last().token()); // part 1
        run(u, 1);
        assertEquals(List.of("T0", "T1", "V0", "T2", "V1", "T3", "V2"), kinds(broker.current().publishes),
                "a frame made meanwhile goes before the next part");
        assertTrue(Files.exists(clips.directory().resolve("clip-" + id + ".pcm")));
        broker.current().ack(last().token()); // part 2
        run(u, 1);
        assertFalse(Files.exists(clips.directory().resolve("clip-" + id + ".pcm")), "deleted after every PUBACK");
        assertTrue(outbox.clips(10).orElseThrow().isEmpty());
        assertEquals(3, u.status().voicePartsAcknowledged());
        assertEquals(7, broker.current().publishes.size(), "nothing more to send");

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (FakeBroker.Publish p : broker.current().publishes) {
            if (p.topic().equals(VOICE)) {
                assertTrue(p.payload().length <= 128 * 1024);
                VoiceClipPart part = VoiceClipPartCodec.decode(p.payload());
                assertEquals(id, part.clipId());
                joined.writeBytes(part.bytes());
            }
        }
        assertEquals(320_000, joined.size());
    }

    @Test
    void voiceWaitsForABacklogOfFramesAndForTheRateLimit() {
        tenSecondClip(1);
        for (int i = 0; i < 20; i++) {
            telemetry();
        }
        Uplink u = uplink(100, 10);
        broker.autoAck = true;
        u.tick();
        run(u, 1);
        assertTrue(broker.current().publishes.stream().noneMatch(p -> p.topic().equals(VOICE)),
                "the backlog first");
        assertTrue(broker.current().publishes.size() <= 11, "the rate limit holds: " + broker.current().publishes.size());
        run(u, 3);
        List<String> order = kinds(broker.current().publishes);
        assertEquals(23, order.size());
        assertEquals(List.of("V0", "V1", "V2"), order.subList(20, 23));
    }

    @Test
    void aLostConnectionOrARestartOffersTheUnacknowledgedPartAgain() {
        long id = tenSecondClip(1);
        Uplink u = uplink(10, 10);
        run(u, 1);
        broker.current().ack(last().token()); // part 0
        run(u, 1);
        byte[] part1 = last().payload();
        broker.current().cut();
        run(u, 5);
        assertEquals(2, broker.sessions.size());
        assertArrayEquals(part1, broker.current().publishes.get(0).payload(), "part 1 again on the new connection");
        // the process stops with part 1 unacknowledged
        u.stop();
        outbox.close();
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(10_000), clock);
        clips = VoiceClips.open(dir, outbox, VoiceClips.DEFAULT_QUOTA_BYTES, clock);
        Uplink again = uplink(10, 10);
        run(again, 1);
        VoiceClipPart p = VoiceClipPartCodec.decode(last().payload());
        assertEquals(id, p.clipId());
        assertEquals(1, p.part(), "only the parts without PUBACK are offered again");
    }

    @Test
    void aPartTheBrokerWillNeverAcceptDropsItsClip() {
        long first = tenSecondClip(1);
        long second = tenSecondClip(2);
        Uplink u = uplink(10, 10);
        run(u, 1);
        broker.current().reject(last().token(), 0x99);
        run(u, 1);
        assertEquals(List.of(second), outbox.clips(10).orElseThrow().stream().map(VoiceClipEntry::clipId).toList());
        assertFalse(Files.exists(clips.directory().resolve("clip-" + first + ".pcm")));
        assertEquals(second, VoiceClipPartCodec.decode(last().payload()).clipId());
        assertEquals(1, u.status().rejectedDropped());
    }

    @Test
    void aQuotaRejectionPausesVoiceOnlyNotTelemetry() {
        long id = tenSecondClip(1);
        Uplink u = uplink(10, 10);
        run(u, 1);
        broker.current().reject(last().token(), 0x97);
        run(u, 0);
        u.tick();
        int before = broker.current().publishes.size();
        telemetry();
        u.tick();
        assertEquals("T0", new String(last().payload(), StandardCharsets.US_ASCII),
                "telemetry goes during the voice pause");
        assertEquals(before + 1, broker.current().publishes.size());
        broker.current().ack(last().token());
        run(u, 200); // the pause ends (back-off ≤ 2 s here): the same part again
        VoiceClipPart p = VoiceClipPartCodec.decode(last().payload());
        assertEquals(id, p.clipId());
        assertEquals(0, p.part());
        assertEquals(1, u.status().rejectedKept());
        long voicePublishes = broker.current().publishes.stream().filter(x -> x.topic().equals(VOICE)).count();
        assertEquals(2, voicePublishes, "retried once after the pause, not in a loop");
    }
}
