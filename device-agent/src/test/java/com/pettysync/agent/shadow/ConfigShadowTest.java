package com.pettysync.agent.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.topic.ThingName;
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

class ConfigShadowTest {
    static final String SHADOW = "$aws/things/collar-0001/shadow/name/config/";
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    final FakeBroker broker = new FakeBroker();
    final List<CollarConfig> changes = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();
    OutboxStore outbox;
    ConfigShadow shadow;
    Uplink uplink;

    @BeforeEach
    void setUp() {
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(100), clock);
        shadow = new ConfigShadow(ThingName.of("collar-0001"), CollarConfig.DEFAULTS, changes::add);
        uplink = new Uplink(outbox, broker, e -> "t", Uplink.Settings.of(10, 100, Duration.ofSeconds(1),
                Duration.ofSeconds(120)), clock, new SplittableRandom(1), shadow);
    }

    @AfterEach
    void tearDown() {
        outbox.close();
    }

    void deliver(String op, String body) {
        broker.current().listener.message(SHADOW + op, body.getBytes(StandardCharsets.UTF_8));
        clock.advance(Duration.ofSeconds(1));
        uplink.tick();
    }

    List<FakeBroker.Publish> publishesTo(String op) {
        return broker.current().publishes.stream().filter(p -> p.topic().equals(SHADOW + op)).toList();
    }

    JsonNode lastReport() throws Exception {
        List<FakeBroker.Publish> updates = publishesTo("update");
        return json.readTree(updates.get(updates.size() - 1).payload()).path("state").path("reported");
    }

    @Test
    void getsTheShadowOnConnectAppliesDesiredAndReportsRejections() throws Exception {
        uplink.tick();
        assertTrue(broker.current().subscriptions.contains(SHADOW + "update/delta"));
        assertTrue(broker.current().subscriptions.contains(SHADOW + "get/accepted"));
        assertEquals(1, publishesTo("get").size());
        deliver("get/accepted", """
                {"state":{"desired":{"telemetryIntervalS":60,"lostMode":true,"keepAliveS":5000,"colour":"red"}},
                 "version":3,"timestamp":1767225600}""");
        assertEquals(60, shadow.current().telemetryIntervalS());
        assertTrue(shadow.current().lostMode());
        assertEquals(1200, shadow.current().keepAliveS(), "invalid value keeps the old one");
        assertEquals(List.of(shadow.current()), changes, "applied without restart");
        JsonNode reported = lastReport();
        assertEquals(60, reported.path("telemetryIntervalS").asInt());
        assertTrue(reported.path("rejected").has("keepAliveS"), reported.toString());
        assertTrue(reported.path("rejected").has("colour"), reported.toString());
    }

    @Test
    void deltasApplyInVersionOrderAndClearEarlierRejections() throws Exception {
        uplink.tick();
        deliver("update/delta", "{\"state\":{\"keepAliveS\":1},\"version\":5}");
        assertTrue(lastReport().path("rejected").has("keepAliveS"));
        deliver("update/delta", "{\"state\":{\"gpsMode\":\"eco\"},\"version\":7}");
        assertEquals("eco", lastReport().path("gpsMode").asText());
        assertTrue(lastReport().path("rejected").isNull(), "rejections cleared: " + lastReport());
        deliver("update/delta", "{\"state\":{\"gpsMode\":\"live\"},\"version\":6}"); // stale
        assertEquals("eco", lastReport().path("gpsMode").asText());
        assertEquals(1, changes.size());
    }

    @Test
    void garbageDeltaIsReportedAndNothingChanges() throws Exception {
        uplink.tick();
        deliver("update/delta", "not json at all");
        assertEquals(CollarConfig.DEFAULTS, shadow.current());
        assertTrue(lastReport().path("rejected").has("state"), lastReport().toString());
        assertEquals(List.of(), changes);
    }

    @Test
    void missingShadowIsCreatedFromTheCurrentSettings() throws Exception {
        uplink.tick();
        deliver("get/rejected", "{\"code\":404,\"message\":\"No shadow exists with name: 'config'\"}");
        assertEquals(300, lastReport().path("telemetryIntervalS").asInt());
    }

    @Test
    void appliedSettingsSurviveARestartAndABadSavedFileFallsBackToTheConfiguredOnes() throws Exception {
        Path saved = dir.resolve(ConfigShadow.SAVED_FILE);
        shadow = new ConfigShadow(ThingName.of("collar-0001"), CollarConfig.DEFAULTS, changes::add, saved);
        uplink = new Uplink(outbox, broker, e -> "t", Uplink.Settings.of(10, 100, Duration.ofSeconds(1),
                Duration.ofSeconds(120)), clock, new SplittableRandom(1), shadow);
        uplink.tick();
        assertTrue(!java.nio.file.Files.exists(saved), "nothing saved before a change");
        deliver("get/accepted", """
                {"state":{"desired":{"telemetryIntervalS":120,"lostMode":true,
                 "geofences":[{"id":1,"lat":51.5,"lon":-0.12,"radiusM":200}],"hrLimits":{"min":50,"max":180}}},
                 "version":4}""");
        CollarConfig applied = shadow.current();
        assertEquals(120, applied.telemetryIntervalS());

        // a restart, before any connection: the saved settings are in force at once
        ConfigShadow restarted = new ConfigShadow(ThingName.of("collar-0001"), CollarConfig.DEFAULTS, c -> { }, saved);
        assertEquals(applied, restarted.current());
        assertEquals(1, restarted.current().geofences().size());
        assertTrue(restarted.current().lostMode());

        // corrupt or refused saved files: the configured settings, no exception
        java.nio.file.Files.writeString(saved, "{\"state\":{\"desired\":{\"telemetryIntervalS\":");
        assertEquals(CollarConfig.DEFAULTS,
                new ConfigShadow(ThingName.of("collar-0001"), CollarConfig.DEFAULTS, c -> { }, saved).current());
        java.nio.file.Files.writeString(saved, "{\"state\":{\"desired\":{\"telemetryIntervalS\":7,\"lostMode\":true}}}");
        CollarConfig partly = new ConfigShadow(ThingName.of("collar-0001"), CollarConfig.DEFAULTS, c -> { }, saved)
                .current();
        assertEquals(CollarConfig.DEFAULTS.telemetryIntervalS(), partly.telemetryIntervalS(), "refused field");
        assertTrue(partly.lostMode(), "valid fields of a partly refused file still apply");
    }
}
