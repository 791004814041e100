package com.pettysync.agent.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.sensing.TwinWindowSource;
import com.pettysync.agent.sensing.VocalModel;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.Vocalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent in a JVM whose class path has no TFLite natives, for {@link NoTfliteAgentTest}: loads the bundled model
 * the way the CLI does, steps the twins over two minutes in which the dog vocalises, then runs the whole agent on
 * them with a fake broker; prints one JSON line with what it saw. Argument: a scratch directory.
 */
public final class NoTfliteChild {
    static final String THING = "collar-armhf";

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ObjectNode out = JsonTrees.object();
        VocalModel model = VocalModel.bundled();
        out.put("present", model.present());
        out.put("whyAbsent", model.whyAbsent());

        DogBehaviourModel dog = new DogBehaviourModel(THING.hashCode(), 52.52, 13.405);
        long vocal = firstVocalSecond(dog, Instant.parse("2026-06-01T06:00:00Z").getEpochSecond());
        long t0 = vocal - Math.floorMod(vocal, 60);
        List<Episode> episodes = new ArrayList<>();
        try (TwinWindowSource twins = new TwinWindowSource(THING, 52.52, 13.405, model)) {
            twins.onEpisode(episodes::add);
            WindowInputs last = null;
            for (int w = 0; w < 2; w++) {
                last = twins.collect(t0 + 60L * w, 60);
                out.put("moodPresent" + w, last.mood() != null);
                out.put("vocalCounted" + w, last.mood() == null ? -1 : last.mood().barks() + last.mood().growls()
                        + last.mood().whines() + last.mood().howls());
            }
            out.put("hrPresent", last.hr() != null);
            out.set("moodInputs", twins.moodInputs());
        }
        out.put("episodes", episodes.size());
        out.put("episodesWithClips", episodes.stream().filter(e -> e.clip().length > 0).count());
        out.put("episodeConfMax", episodes.stream().mapToInt(Episode::confPct).max().orElse(-1));

        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"%s","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "outbox":{"drainPerSecond":100}}""".formatted(THING), dir);
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        try (TwinWindowSource sensors = new TwinWindowSource(THING, 52.52, 13.405, model)) {
            Agent agent = Agent.start(c, Clock.systemUTC(), sensors, () -> ClockSource.NTP, broker);
            try {
                Await.until("two telemetry frames", () -> frames(broker).size() >= 2);
                out.put("frames", frames(broker).size());
                out.put("fwModelMax", frames(broker).stream().mapToLong(f -> f.fw().model()).max().orElse(-1));
                out.set("classifier", agent.status().path("classifier"));
            } finally {
                agent.close();
            }
        }
        System.out.println("RESULT " + out);
        System.exit(0);
    }

    static List<com.pettysync.contract.telemetry.TelemetrySummary> frames(FakeBroker b) {
        return b.allPublishes().stream().filter(p -> p.topic().endsWith("/telemetry"))
                .map(p -> TelemetryFrameCodec.decode(p.payload())).toList();
    }

    static long firstVocalSecond(DogBehaviourModel dog, long from) {
        for (long t = from; t < from + 7 * 86_400; t += 5) {
            if (dog.stateAt(Instant.ofEpochSecond(t)).vocalization() != Vocalization.NONE) {
                return t;
            }
        }
        throw new AssertionError("the model's dog never vocalises");
    }
}
