package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.shadow.VoiceUpload;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's voice wiring on its own threads (real clock, 1 s windows, in-memory broker): an episode from the
 * sensor source becomes a vocal-episode event naming a stored clip, the clip goes out as contract parts and its
 * file is deleted; after the shadow turns {@code voiceUpload} off, the next episode's event has clip 0 and no file.
 */
class AgentVoiceTest {
    static final String THING = "collar-voice2";

    @TempDir
    Path dir;

    /** Synthetic windows plus an episode whenever the test asks for one. */
    static final class Source implements com.pettysync.agent.sensing.CollarSource {
        final SimulatedWindowSource windows = new SimulatedWindowSource(THING, 137563000, 1005018000);
        final AtomicInteger episodesWanted = new AtomicInteger();
        volatile Consumer<Episode> sink;

        @Override
        public WindowInputs collect(long t0, int dur) {
            while (episodesWanted.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                short[] clip = new short[160_000];
                for (int i = 0; i < clip.length; i++) {
                    clip[i] = (short) (i * 7);
                }
                sink.accept(new Episode(t0 * 1000 + 200, 1, 88, t0 * 1000, clip));
            }
            return windows.collect(t0, dur);
        }

        @Override
        public void onEpisode(Consumer<Episode> sink) {
            this.sink = sink;
        }
    }

    List<EventFrame> vocalEvents(FakeBroker broker) {
        return broker.allPublishes().stream().filter(p -> p.topic().equals("pettysync/v1/" + THING + "/events"))
                .map(p -> EventFrameCodec.decode(p.payload())).filter(e -> e.type() == EventType.VOCAL_EPISODE)
                .toList();
    }

    List<VoiceClipPart> parts(FakeBroker broker) {
        return broker.allPublishes().stream().filter(p -> p.topic().equals("pettysync/v1/" + THING + "/voice"))
                .map(p -> VoiceClipPartCodec.decode(p.payload())).toList();
    }

    @Test
    void anEpisodeBecomesAnEventAndAnUploadedClipUntilTheShadowTurnsVoiceOff() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"%s","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "outbox":{"drainPerSecond":100},"voice":{"quotaBytes":1000000}}""".formatted(THING), dir);
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        Source source = new Source();
        Agent agent = Agent.start(c, Clock.systemUTC(), source, () -> ClockSource.NTP, broker);
        try {
            Path clips = c.dataDirectory().resolve(VoiceClips.DIR);
            source.episodesWanted.set(1);
            Await.until("three voice parts at the broker", () -> parts(broker).size() >= 3);
            Await.until("the clip's file deleted after its PUBACKs", () -> {
                try (var files = Files.list(clips)) {
                    return files.findAny().isEmpty();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            EventFrame first = vocalEvents(broker).get(0);
            long clipId = first.data().get(2);
            assertTrue(clipId >= 1);
            assertEquals(List.of(1L, 88L, clipId), first.data());
            assertEquals(List.of(0L, 1L, 2L), parts(broker).stream().map(VoiceClipPart::part).toList());
            assertTrue(parts(broker).stream().allMatch(p -> p.clipId() == clipId && p.parts() == 3));
            Await.until("uploaded in the status", () -> agent.status().path("voice").path("uploaded").asLong() == 1);
            JsonNode voice = agent.status().path("voice");
            assertEquals(1_000_000, voice.path("quotaBytes").asLong());
            assertEquals(3, voice.path("partsAcknowledged").asLong());

            broker.current().listener.message("$aws/things/" + THING + "/shadow/name/config/update/delta",
                    "{\"state\":{\"voiceUpload\":\"off\"},\"version\":2}".getBytes(StandardCharsets.UTF_8));
            Await.until("voiceUpload off applied", () -> agent.shadow().current().voiceUpload() == VoiceUpload.OFF);
            source.episodesWanted.set(1);
            Await.until("a second vocal event", () -> vocalEvents(broker).size() >= 2);
            assertEquals(List.of(1L, 88L, 0L), vocalEvents(broker).get(1).data());
            assertEquals(3, parts(broker).size(), "no clip with voiceUpload off");
            try (var files = Files.list(clips)) {
                assertEquals(0, files.count());
            }
            assertEquals(1, agent.status().path("voice").path("stored").asLong());
        } finally {
            agent.close();
        }
    }
}
