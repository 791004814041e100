package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.TestBroker;
import com.pettysync.agent.testing.TestPki;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One voice clip through the real path: clip file + index, the uplink over Paho with mutual TLS to HiveMQ CE on
 * loopback; the parts arrive on the voice topic, each ≤ 128 KiB, and decode with the contract codec back to the
 * same audio, after the vocal-episode event that names the clip.
 */
class VoiceBrokerTest {
    static final String THING = "collar-voice01";

    @TempDir
    Path dir;

    @Test
    void aClipArrivesAsContractPartsAndJoinsBackToTheSameAudio() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        TestPki.Client collar = pki.client(THING, TestPki.KeyFormat.EC_SEC1);
        Clock clock = Clock.systemUTC();
        try (TestBroker broker = new TestBroker(dir.resolve("broker"), pki).start();
                OutboxStore outbox = OutboxStore.open(dir.resolve("data"), OutboxStore.Options.withCapacity(100),
                        clock)) {
            VoiceClips clips = VoiceClips.open(dir.resolve("data"), outbox, VoiceClips.DEFAULT_QUOTA_BYTES, clock);
            short[] samples = new short[150_000]; // 9.375 s
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) r.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
            }
            long t0 = 1_767_225_600_250L;
            long id = clips.store(t0, 3, 77, samples);
            outbox.append(FrameKind.EVENT, (eseq, ctx) -> EventFrameCodec.encode(EventFrame.of(eseq, t0 / 1000,
                    EventType.VOCAL_EPISODE, 3, 77, id)));
            String voiceTopic = TopicScheme.voice(ThingName.of(THING)).name();
            Uplink uplink = new Uplink(outbox, () -> {
                try {
                    return new PahoBrokerSession(new PahoBrokerSession.Options(broker.uri(), THING,
                            PemTls.socketFactory(collar.certificate(), collar.privateKey(), pki.caPem, false), 30,
                            Duration.ofSeconds(5)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }, e -> "pettysync/v1/" + THING + "/events", Uplink.Settings.of(10, 10, Duration.ofMillis(100),
                    Duration.ofSeconds(1)), clock, new SplittableRandom(1), null);
            uplink.setVoice(clips, voiceTopic);
            try (UplinkLoop loop = new UplinkLoop(uplink, clock).start()) {
                Await.until("clip uploaded", () -> outbox.clips(10).orElseThrow().isEmpty() && outbox.size() == 0);
            }
            List<TestBroker.Received> got = List.copyOf(broker.received);
            assertEquals("pettysync/v1/" + THING + "/events", got.get(0).topic(), "the event before the clip");
            assertEquals(List.of(3L, 77L, id), EventFrameCodec.decode(got.get(0).payload()).data());
            List<VoiceClipPart> parts = got.stream().filter(g -> g.topic().equals(voiceTopic))
                    .peek(g -> assertTrue(g.payload().length <= VoiceClipPartCodec.MAX_PART_BYTES))
                    .map(g -> VoiceClipPartCodec.decode(g.payload()))
                    .sorted(Comparator.comparingLong(VoiceClipPart::part)).toList();
            assertEquals(3, parts.size());
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int k = 0; k < parts.size(); k++) {
                VoiceClipPart p = parts.get(k);
                assertEquals(k, p.part());
                assertEquals(3, p.parts());
                assertEquals(id, p.clipId());
                assertEquals(t0, p.t0Ms());
                assertEquals(9_375, p.durationMs());
                assertEquals(3, p.vocalClass());
                assertEquals(77, p.confPct());
                joined.writeBytes(p.bytes());
            }
            ByteBuffer expected = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (short s : samples) {
                expected.putShort(s);
            }
            assertArrayEquals(expected.array(), joined.toByteArray());
            try (var files = Files.list(clips.directory())) {
                assertEquals(0, files.count(), "the file is deleted after the last PUBACK");
            }
        }
    }
}
