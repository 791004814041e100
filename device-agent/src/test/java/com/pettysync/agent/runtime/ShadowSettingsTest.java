package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.sensing.CollarSource;
import com.pettysync.agent.sensing.Observations;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.drivers.position.GnssPowerMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per shadow setting of contract §6: a delta changes what the collar <em>does</em> (the receiver mode it
 * commands, the events its rules raise from the same observations, the clips it keeps, the window it closes), not
 * only what it reports. The sensing is a fake {@link CollarSource} that hands the agent observations the test
 * makes (with their own times), so every rule runs exactly as on the sensors' threads.
 */
class ShadowSettingsTest {
    static final String THING = "collar-settings";
    static final long T_MS = 1_767_225_600_000L;
    static final int HOME_LAT = 137_563_000;
    static final int HOME_LON = 1_005_018_000;

    @TempDir
    Path dir;
    final FakeBroker broker = new FakeBroker();
    final Sensing sensing = new Sensing();
    Agent agent;
    int version = 1;

    /** The fake sensing: records the receiver modes asked for; observations are made by the test. */
    static final class Sensing implements CollarSource {
        final SimulatedWindowSource windows = new SimulatedWindowSource(THING, HOME_LAT, HOME_LON);
        final List<GnssPowerMode> modes = new CopyOnWriteArrayList<>();
        volatile Observations observations;
        volatile Consumer<Episode> episodes;

        @Override
        public WindowInputs collect(long t0, int dur) {
            return windows.collect(t0, dur);
        }

        @Override
        public void observe(Observations o) {
            observations = o;
        }

        @Override
        public void onEpisode(Consumer<Episode> sink) {
            episodes = sink;
        }

        @Override
        public void gnssMode(GnssPowerMode mode) {
            modes.add(mode);
        }

        GnssPowerMode mode() {
            return modes.isEmpty() ? null : modes.get(modes.size() - 1);
        }
    }

    @BeforeEach
    void start() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"%s","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "outbox":{"drainPerSecond":100},"voice":{"quotaBytes":1000000}}""".formatted(THING), dir);
        broker.autoAck = true;
        agent = Agent.start(c, Clock.systemUTC(), sensing, () -> ClockSource.NTP, broker);
        Await.until("connected", () -> agent.status().path("connected").asBoolean()
                || !broker.sessions.isEmpty() && broker.current() != null);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    void delta(String state) {
        int v = ++version;
        broker.current().listener.message("$aws/things/" + THING + "/shadow/name/config/update/delta",
                ("{\"state\":" + state + ",\"version\":" + v + "}").getBytes(StandardCharsets.UTF_8));
        Await.until("delta " + state + " applied", () -> appliedVersion() >= v);
    }

    int appliedVersion() {
        return (int) broker.allPublishes().stream().filter(p -> p.topic().endsWith("/shadow/name/config/update")
                && new String(p.payload(), StandardCharsets.UTF_8).contains("\"rejected\"")).count() + 1;
    }

    List<EventFrame> events(EventType type) {
        return broker.allPublishes().stream().filter(p -> p.topic().endsWith("/events"))
                .map(p -> EventFrameCodec.decode(p.payload())).filter(e -> e.type() == type).toList();
    }

    /** Waits until the outbox has nothing waiting: every event raised so far is at the broker. */
    void drained() {
        Await.until("outbox drained", () -> agent.outbox().size() == 0);
    }

    @Test
    void gpsModeDrivesTheReceiverAndLostModeOverridesIt() {
        assertEquals(GnssPowerMode.NORMAL, sensing.mode(), "the contract's default at start");
        delta("{\"gpsMode\":\"eco\"}");
        assertEquals(GnssPowerMode.ECO, sensing.mode());
        delta("{\"gpsMode\":\"off\"}");
        assertEquals(GnssPowerMode.OFF, sensing.mode());
        delta("{\"lostMode\":true}");
        assertEquals(GnssPowerMode.LIVE, sensing.mode(), "lost mode: live whatever gpsMode says");
        delta("{\"gpsMode\":\"eco\"}");
        assertEquals(GnssPowerMode.LIVE, sensing.mode(), "still lost");
        delta("{\"lostMode\":false}");
        assertEquals(GnssPowerMode.ECO, sensing.mode(), "back to the shadow's gpsMode");
    }

    @Test
    void lostModeSendsAFixEventEveryTenSecondsOfFixes() {
        for (int s = 0; s < 20; s++) {
            sensing.observations.fix(T_MS + s * 1000L, HOME_LAT, HOME_LON, 50);
        }
        drained();
        assertEquals(0, events(EventType.LOST_MODE_FIX).size(), "not lost: no fix events");
        delta("{\"lostMode\":true}");
        for (int s = 20; s < 41; s++) {
            sensing.observations.fix(T_MS + s * 1000L, HOME_LAT, HOME_LON, 50);
        }
        drained();
        List<EventFrame> fixes = events(EventType.LOST_MODE_FIX);
        assertEquals(List.of(T_MS / 1000 + 20, T_MS / 1000 + 30, T_MS / 1000 + 40), fixes.stream()
                .map(EventFrame::t).toList());
    }

    @Test
    void geofencesTurnFixesIntoExitAndReturnEvents() {
        sensing.observations.fix(T_MS, HOME_LAT, HOME_LON, 30);
        sensing.observations.fix(T_MS + 10_000, HOME_LAT + 30_000, HOME_LON, 30); // ~330 m north
        drained();
        assertEquals(0, events(EventType.GEOFENCE_EXIT).size(), "no fence: no event");
        delta("{\"geofences\":[{\"id\":4,\"lat\":13.7563,\"lon\":100.5018,\"radiusM\":100}]}");
        sensing.observations.fix(T_MS + 20_000, HOME_LAT, HOME_LON, 30); // inside: sets the state
        sensing.observations.fix(T_MS + 30_000, HOME_LAT + 30_000, HOME_LON, 30); // out
        sensing.observations.fix(T_MS + 40_000, HOME_LAT, HOME_LON, 30); // back
        drained();
        assertEquals(List.of(4L, (long) HOME_LAT + 30_000, (long) HOME_LON), events(EventType.GEOFENCE_EXIT).get(0)
                .data());
        assertEquals(T_MS / 1000 + 30, events(EventType.GEOFENCE_EXIT).get(0).t());
        assertEquals(1, events(EventType.GEOFENCE_RETURN).size());
    }

    @Test
    void hrLimitsDecideWhenTheSameHeartRateAlarms() {
        for (int s = 0; s <= 90; s += 5) {
            sensing.observations.heartRate(T_MS + s * 1000L, 190);
        }
        drained();
        assertEquals(0, events(EventType.HR_ALERT).size(), "190 bpm is inside the default 40 … 220");
        delta("{\"hrLimits\":{\"max\":180}}");
        for (int s = 100; s <= 200; s += 5) {
            sensing.observations.heartRate(T_MS + s * 1000L, 190);
        }
        drained();
        List<EventFrame> alerts = events(EventType.HR_ALERT);
        assertEquals(1, alerts.size());
        assertEquals(List.of(190L, 180L), alerts.get(0).data());
        assertEquals(T_MS / 1000 + 160, alerts.get(0).t(), "after the 60 s sustain");
    }

    @Test
    void voiceUploadUncertainAndItsThresholdDecideWhichClipsAreKept() {
        delta("{\"voiceUpload\":\"uncertain\",\"voiceConfidenceBelow\":50}");
        short[] clip = new short[16_000];
        sensing.episodes.accept(new Episode(T_MS, 0, 90, T_MS - 500, clip));
        sensing.episodes.accept(new Episode(T_MS + 5_000, 2, 30, T_MS + 4_500, clip));
        drained();
        List<EventFrame> ev = events(EventType.VOCAL_EPISODE);
        assertEquals(0L, ev.get(0).data().get(2), "a confident bark: no clip");
        assertTrue(ev.get(1).data().get(2) >= 1, "an unsure whine: its clip");
        delta("{\"voiceConfidenceBelow\":95}");
        sensing.episodes.accept(new Episode(T_MS + 9_000, 0, 90, T_MS + 8_500, clip));
        drained();
        assertTrue(events(EventType.VOCAL_EPISODE).get(2).data().get(2) >= 1, "the threshold moved: 90 < 95");
        assertEquals(2, agent.status().path("voice").path("gate").path("clipsStored").asLong());
        assertEquals(1, agent.status().path("voice").path("gate").path("keptConfident").asLong());
    }

    @Test
    void telemetryIntervalSetsTheWindowTheCollarCloses() {
        Await.until("1 s windows", () -> telemetry().size() >= 2);
        delta("{\"telemetryIntervalS\":120}");
        int before = telemetry().size();
        Await.until("the window after the change closes on a 120 s boundary", () -> {
            Instant next = Instant.parse(agent.status().path("window").path("nextClose").asText());
            return next.getEpochSecond() % 120 == 0 && next.isAfter(Instant.now().plusSeconds(1));
        });
        assertTrue(telemetry().size() <= before + 1, "no more 1 s frames");
        assertTrue(telemetry().stream().allMatch(f -> f.dur() == 1), "frames so far were 1 s windows");
    }

    List<com.pettysync.contract.telemetry.TelemetrySummary> telemetry() {
        return broker.allPublishes().stream().filter(p -> p.topic().endsWith("/telemetry"))
                .map(p -> TelemetryFrameCodec.decode(p.payload())).toList();
    }
}
