package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.raw.RawSamples;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's raw-capture wiring on its own threads (real clock, 1 s windows, in-memory broker): the shadow's
 * {@code rawCapture} starts a stream of chunks on the raw topic and {@code reported.rawCaptureStatus}; a request
 * more than 24 h ahead is rejected in {@code reported.rejected}; clearing the request stops the stream.
 */
class AgentRawTest {
    static final String THING = "collar-raw1";
    static final String DELTA = "$aws/things/" + THING + "/shadow/name/config/update/delta";
    static final String UPDATE = "$aws/things/" + THING + "/shadow/name/config/update";

    @TempDir
    Path dir;

    /** Synthetic windows; each collection also hands 10 s of raw samples (sample time runs ahead of the clock). */
    static final class Source implements WindowInputs.Source, RawSamples.Source {
        final SimulatedWindowSource windows = new SimulatedWindowSource(THING, 137563000, 1005018000);
        volatile RawSamples.Sink sink;
        long nextMs;

        @Override
        public WindowInputs collect(long t0, int dur) {
            RawSamples.Sink s = sink;
            if (s != null) {
                if (nextMs == 0) {
                    nextMs = t0 * 1000;
                }
                for (int ms = 0; ms < 10_000; ms++) {
                    if (ms % 10 == 0) {
                        s.sample(RawSensor.PPG, nextMs + ms, 100, new int[] {1000 + ms, 2000});
                    }
                    if ((ms * 52) % 1000 < 52) {
                        s.sample(RawSensor.IMU, nextMs + ms, 52, new int[] {1, 2, 1000, 0, 0, 0});
                    }
                }
                nextMs += 10_000;
            }
            return windows.collect(t0, dur);
        }

        @Override
        public void onRawSamples(RawSamples.Sink sink) {
            this.sink = sink;
        }
    }

    static List<RawChunk> chunks(FakeBroker broker) {
        return broker.allPublishes().stream().filter(p -> p.topic().equals("pettysync/v1/" + THING + "/raw"))
                .map(p -> RawChunkCodec.decode(p.payload())).toList();
    }

    static List<JsonNode> reported(FakeBroker broker) {
        return broker.allPublishes().stream().filter(p -> p.topic().equals(UPDATE)).map(p -> {
            try {
                return JsonTrees.read(new String(p.payload(), StandardCharsets.UTF_8)).path("state").path("reported");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    static void delta(FakeBroker broker, String state, int version, long timestamp) {
        broker.current().listener.message(DELTA, ("{\"state\":" + state + ",\"version\":" + version
                + ",\"timestamp\":" + timestamp + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theShadowStartsAndStopsARawStreamAndTheCollarReportsIt() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"%s","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "outbox":{"drainPerSecond":100}}""".formatted(THING), dir);
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        Agent agent = Agent.start(c, Clock.systemUTC(), new Source(), () -> ClockSource.NTP, broker);
        try {
            Await.until("connected", () -> !broker.sessions.isEmpty() && broker.current().listener != null);
            long now = System.currentTimeMillis() / 1000;
            delta(broker, "{\"rawCapture\":{\"sensors\":[\"ppg\"],\"untilUnix\":" + (now + 90_000) + "}}", 2, now);
            Await.until("the rejection reported", () -> reported(broker).stream().anyMatch(r ->
                    r.path("rejected").path("rawCapture.untilUnix").asText().startsWith("must be at most 86400 s")));
            assertTrue(chunks(broker).isEmpty(), "a rejected request streams nothing");

            delta(broker, "{\"rawCapture\":{\"sensors\":[\"ppg\",\"imu\"],\"untilUnix\":" + (now + 3600) + "}}", 3,
                    now);
            Await.until("chunks of both sensors on the raw topic", () -> chunks(broker).stream()
                    .map(RawChunk::sensor).distinct().count() == 2);
            Await.until("capturing reported", () -> reported(broker).stream().anyMatch(r ->
                    r.path("rawCaptureStatus").path("state").asText().equals("capturing")));
            assertTrue(reported(broker).stream().anyMatch(r -> r.path("rawCapture").path("untilUnix").asLong()
                    == now + 3600), "the applied request is reported with the other settings");

            delta(broker, "{\"rawCapture\":{\"sensors\":[]}}", 4, now);
            Await.until("stopped by the shadow, reported", () -> reported(broker).stream().anyMatch(r ->
                    r.path("rawCaptureStatus").path("reason").asText().equals("shadow")));
            Await.until("the spool drained", () -> agent.status().path("raw").path("spool").path("chunks").asLong()
                    == 0);
            int sent = chunks(broker).size();
            JsonNode raw = agent.status().path("raw");
            assertEquals("stopped", raw.path("state").asText());
            assertEquals(raw.path("chunks").asLong(), raw.path("spool").path("uploaded").asLong());
            assertEquals(sent, raw.path("chunks").asLong(), "every chunk made was published once");
        } finally {
            agent.close();
        }
    }
}
