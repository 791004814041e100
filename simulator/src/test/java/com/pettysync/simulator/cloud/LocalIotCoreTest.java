package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local IoT Core against a real MQTT 5 client over TLS on loopback: authentication, authorization, AWS limits
 * and the services. One broker for the whole class; every test uses its own client IDs. The clock is fixed, so
 * each connection has exactly 100 publishes (the rate-limit test relies on it; no other test publishes that much).
 */
class LocalIotCoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @TempDir
    static Path dir;
    static LocalIotCore cloud;
    static MutableClock clock = new MutableClock(NOW);

    @BeforeAll
    static void start() {
        cloud = LocalIotCore.builder().directory(dir).clock(clock).build().start();
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private static MqttTestClient collar(String thing) throws Exception {
        MqttTestClient c = MqttTestClient.of(cloud, thing, cloud.issueCollar(thing));
        c.connect();
        return c;
    }

    private static MqttTestClient operator(String id) throws Exception {
        MqttTestClient c = MqttTestClient.of(cloud, id, cloud.issueOperator(id));
        c.connect();
        return c;
    }

    private static Mqtt5ConnAckReasonCode refusedWith(MqttTestClient c) {
        ExecutionException e = assertThrows(ExecutionException.class, c::connect);
        assertInstanceOf(Mqtt5ConnAckException.class, e.getCause(), String.valueOf(e.getCause()));
        return ((Mqtt5ConnAckException) e.getCause()).getMqttMessage().getReasonCode();
    }

    // ------------------------------------------------------------------------------------------ authentication

    @Test
    void collarWithItsOwnCertificateConnectsAndQos2IsNotOffered() throws Exception {
        try (MqttTestClient c = MqttTestClient.of(cloud, "collar-auth-ok", cloud.issueCollar("collar-auth-ok"))) {
            var ack = c.connect();
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
            assertEquals(MqttQos.AT_LEAST_ONCE, ack.getRestrictions().getMaximumQos(), "AWS IoT Core has no QoS 2");
        }
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        long before = cloud.refusals().count("connect", "NOT_AUTHORIZED");
        try (MqttTestClient c = MqttTestClient.of(cloud, "collar-nocert", null)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(c));
        }
        assertEquals(before + 1, cloud.refusals().count("connect", "NOT_AUTHORIZED"));
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        LocalCertificateAuthority other = LocalCertificateAuthority.create("impostor", Clock.systemUTC());
        try (MqttTestClient c = MqttTestClient.of(cloud, "collar-impostor", other.issueCollar("collar-impostor"))) {
            // the TLS handshake fails (the trust store holds only the local root), so no session is established
            assertThrows(ExecutionException.class, c::connect);
            assertFalse(c.client.getState().isConnected());
        }
    }

    @Test
    void anotherCollarsCertificateIsRefused() throws Exception {
        try (MqttTestClient c = MqttTestClient.of(cloud, "collar-victim", cloud.issueCollar("collar-thief"))) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(c));
        }
    }

    @Test
    void secondConnectionWithTheSameClientIdTakesOver() throws Exception {
        try (MqttTestClient first = collar("collar-takeover"); MqttTestClient second = collar("collar-takeover")) {
            Throwable cause = first.disconnected.get(MqttTestClient.TIMEOUT_S, TimeUnit.SECONDS);
            assertInstanceOf(Mqtt5DisconnectException.class, cause, String.valueOf(cause));
            assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER,
                    ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());
            assertTrue(second.client.getState().isConnected());
        }
    }

    // ------------------------------------------------------------------------------------------- authorization

    @Test
    void collarMayNotPublishOrSubscribeOnAnotherCollarsTopics() throws Exception {
        try (MqttTestClient c = collar("collar-nosy")) {
            long before = cloud.refusals().forClient("collar-nosy");
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                    c.publish("pettysync/v1/collar-other/telemetry", new byte[] {1}));
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                    c.publish("$aws/things/collar-other/shadow/name/config/update", "{}"));
            assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
                    c.subscribe("$aws/things/collar-other/shadow/name/config/update/delta"));
            assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, c.subscribe("pettysync/v1/+/telemetry"));
            assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, c.subscribe("#"));
            // its own shadow delta is fine; a QoS 2 subscription is granted QoS 1
            assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                    c.subscribe("$aws/things/collar-nosy/shadow/name/config/update/delta", MqttQos.EXACTLY_ONCE));
            assertEquals(before + 5, cloud.refusals().forClient("collar-nosy"));
            assertTrue(c.client.getState().isConnected(), "refusals do not disconnect");
        }
    }

    @Test
    void topicsOverEightLevelsAreRefused() throws Exception {
        try (MqttTestClient c = operator("ops-levels")) {
            assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, c.publish("a/b/c/d/e/f/g/h/i", "{}"));
            assertEquals(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID, c.subscribe("a/b/c/d/e/f/g/h/#"));
            assertTrue(c.publish("a/b/c/d/e/f/g/h", "{}").getCode() < 0x80, "8 levels are fine");
        }
    }

    @Test
    void over100PublishesPerSecondOnOneConnectionAreRefused() throws Exception {
        // the clock does not move: the bucket holds exactly 100 tokens
        try (MqttTestClient c = operator("ops-rate")) {
            for (int i = 0; i < 100; i++) {
                assertTrue(c.publish("ops/rate", new byte[] {(byte) i}).getCode() < 0x80, "publish " + i);
            }
            assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, c.publish("ops/rate", new byte[] {1}));
            assertEquals(1, cloud.refusals().count("publish", "QUOTA_EXCEEDED"));
        }
        try (MqttTestClient fresh = operator("ops-rate")) {
            assertTrue(fresh.publish("ops/rate", new byte[] {1}).getCode() < 0x80, "a new connection, a new bucket");
        }
    }

    @Test
    void payloadOver128KibDisconnectsWithPacketTooLarge() throws Exception {
        try (MqttTestClient c = operator("ops-big")) {
            assertTrue(c.publish("ops/big", new byte[128 * 1024]).getCode() < 0x80, "exactly 128 KiB is allowed");
            c.client.publishWith().topic("ops/big").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[128 * 1024 + 1])
                    .send();
            Throwable cause = c.disconnected.get(MqttTestClient.TIMEOUT_S, TimeUnit.SECONDS);
            assertInstanceOf(Mqtt5DisconnectException.class, cause, String.valueOf(cause));
            assertEquals(Mqtt5DisconnectReasonCode.PACKET_TOO_LARGE,
                    ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());
        }
        assertEquals(1, cloud.refusals().count("publish", "PACKET_TOO_LARGE"));
    }

    // ------------------------------------------------------------------------------------------------ services

    @Test
    void shadowDeltaUpdateAndGetRoundTripWithVersions() throws Exception {
        String base = "$aws/things/collar-shadow/shadow/name/config";
        try (MqttTestClient c = collar("collar-shadow")) {
            for (String s : List.of("/update/delta", "/update/accepted", "/update/rejected", "/get/accepted",
                    "/get/rejected")) {
                assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, c.subscribe(base + s));
            }
            c.publish(base + "/get", "{\"clientToken\":\"g0\"}");
            JsonNode missing = JSON.readTree(c.next(base + "/get/rejected"));
            assertEquals(404, missing.get("code").asInt());
            assertEquals("g0", missing.get("clientToken").asText());

            cloud.updateShadow("collar-shadow", "config", "{\"state\":{\"desired\":{\"telemetryIntervalS\":600}}}");
            JsonNode delta = JSON.readTree(c.next(base + "/update/delta"));
            assertEquals(1, delta.get("version").asLong());
            assertEquals(600, delta.at("/state/telemetryIntervalS").asInt());
            assertEquals(NOW.getEpochSecond(), delta.at("/metadata/telemetryIntervalS/timestamp").asLong());
            // subscribers of update/accepted see every accepted update, the cloud's too
            assertEquals(1, JSON.readTree(c.next(base + "/update/accepted")).get("version").asLong());

            c.publish(base + "/update", "{\"state\":{\"reported\":{\"telemetryIntervalS\":600}},"
                    + "\"version\":1,\"clientToken\":\"u1\"}");
            JsonNode accepted = JSON.readTree(c.next(base + "/update/accepted"));
            assertEquals(2, accepted.get("version").asLong());
            assertEquals("u1", accepted.get("clientToken").asText());

            c.publish(base + "/update", "{\"state\":{\"reported\":{\"gpsMode\":\"eco\"}},\"version\":1,"
                    + "\"clientToken\":\"u2\"}");
            JsonNode conflict = JSON.readTree(c.next(base + "/update/rejected"));
            assertEquals(409, conflict.get("code").asInt());
            assertEquals("Version conflict", conflict.get("message").asText());
            assertEquals("u2", conflict.get("clientToken").asText());

            c.publish(base + "/get", "{\"clientToken\":\"g1\"}");
            JsonNode doc = JSON.readTree(c.next(base + "/get/accepted"));
            assertEquals(2, doc.get("version").asLong());
            assertEquals(600, doc.at("/state/reported/telemetryIntervalS").asInt());
            assertTrue(doc.at("/state/delta").isMissingNode(), "desired = reported: no delta");
        }
    }

    @Test
    void jobsNotifyStartNextAndUpdateWithExpectedVersion() throws Exception {
        String base = "$aws/things/collar-jobs/jobs/";
        try (MqttTestClient c = collar("collar-jobs")) {
            for (String s : List.of("notify-next", "start-next/accepted", "+/update/accepted",
                    "+/update/rejected")) {
                assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, c.subscribe(base + s));
            }
            cloud.createJob("fw-1043", List.of("collar-jobs"), "{\"operation\":\"firmware-update\",\"version\":1043}");
            JsonNode notify = JSON.readTree(c.next(base + "notify-next"));
            assertEquals("fw-1043", notify.at("/execution/jobId").asText());
            assertEquals("QUEUED", notify.at("/execution/status").asText());
            assertEquals(1043, notify.at("/execution/jobDocument/version").asInt());

            c.publish(base + "start-next", "{\"clientToken\":\"s1\",\"stepTimeoutInMinutes\":10}");
            JsonNode started = JSON.readTree(c.next(base + "start-next/accepted"));
            assertEquals("IN_PROGRESS", started.at("/execution/status").asText());
            assertEquals(2, started.at("/execution/versionNumber").asLong());

            c.publish(base + "fw-1043/update", "{\"status\":\"SUCCEEDED\",\"expectedVersion\":1}");
            JsonNode mismatch = JSON.readTree(c.next(base + "fw-1043/update/rejected"));
            assertEquals("VersionMismatch", mismatch.get("code").asText());

            c.publish(base + "fw-1043/update", "{\"status\":\"SUCCEEDED\",\"expectedVersion\":2,"
                    + "\"statusDetails\":{\"build\":\"1043\"},\"includeJobExecutionState\":true}");
            JsonNode done = JSON.readTree(c.next(base + "fw-1043/update/accepted"));
            assertEquals("SUCCEEDED", done.at("/executionState/status").asText());
            assertEquals(3, done.at("/executionState/versionNumber").asLong());
            JsonNode none = JSON.readTree(c.next(base + "notify-next"));
            assertTrue(none.get("execution") == null, "no pending job left: " + none);

            c.publish(base + "fw-1043/update", "{\"status\":\"FAILED\"}");
            assertEquals("InvalidStateTransition",
                    JSON.readTree(c.next(base + "fw-1043/update/rejected")).get("code").asText());
        }
    }

    @Test
    void ingestStoresDeduplicatesAndCountsInvalidAndMissingFrames() throws Exception {
        String thing = "collar-ingest";
        String topic = "pettysync/v1/" + thing + "/telemetry";
        try (MqttTestClient c = collar(thing)) {
            for (long seq : new long[] {0, 1, 1, 3}) {
                assertEquals(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS, c.publish(topic, frame(seq)));
            }
            c.publish(topic, new byte[] {(byte) 0xff, 0x00});
        }
        CollarCounts counts = cloud.sink().counts(thing);
        assertEquals(new CollarCounts(thing, 3, 0, 0, 1, 1, 1, 0), counts);
        assertTrue(cloud.sink().telemetryFrame(thing, 3).isPresent());
    }

    @Test
    void aFrameStoreFailureIsNotAcknowledgedAndTheResendIsStoredOnce() throws Exception {
        String thing = "collar-store-fails";
        String topic = "pettysync/v1/" + thing + "/telemetry";
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + cloud.framesFile());
                MqttTestClient c = collar(thing)) {
            try (Statement s = other.createStatement()) {
                s.execute("CREATE TRIGGER store_fails BEFORE INSERT ON telemetry WHEN NEW.thing = '" + thing + "'"
                        + " BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END");
            }
            try {
                assertEquals(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR, c.publish(topic, frame(4)));
            } finally {
                try (Statement s = other.createStatement()) {
                    s.execute("DROP TRIGGER store_fails");
                }
            }
            assertEquals(0, cloud.sink().counts(thing).telemetryStored(), "nothing stored, nothing acknowledged");
            assertTrue(c.publish(topic, frame(4)).getCode() < 0x80, "the re-send is acknowledged");
            assertTrue(c.publish(topic, frame(4)).getCode() < 0x80, "and a copy of it");
        }
        assertEquals(new CollarCounts(thing, 1, 0, 0, 1, 0, 0, 0), cloud.sink().counts(thing));
        assertEquals(1, cloud.refusals().count("ingest", "UNSPECIFIED_ERROR"));
    }

    @Test
    void basicIngestReachesTheSinkButNoSubscriber() throws Exception {
        String thing = "collar-basic";
        try (MqttTestClient watcher = operator("ops-watcher"); MqttTestClient c = collar(thing)) {
            watcher.subscribe("$aws/rules/+/pettysync/v1/+/telemetry");
            watcher.subscribe("pettysync/v1/" + thing + "/telemetry");
            assertTrue(c.publish("$aws/rules/pettysync_telemetry/pettysync/v1/" + thing + "/telemetry", frame(7))
                    .getCode() < 0x80);
            assertTrue(c.publish("pettysync/v1/" + thing + "/telemetry", frame(8)).getCode() < 0x80);
            // the direct frame arrives; the Basic Ingest one, published before it by the same client, never does
            assertNotNull(watcher.next("pettysync/v1/" + thing + "/telemetry"));
            assertEquals(1, watcher.received.size(), "only the direct publish was delivered");
        }
        assertEquals(2, cloud.sink().counts(thing).telemetryStored());
    }

    private static byte[] frame(long seq) {
        return TelemetryFrameCodec.encode(TelemetrySummary.of(seq, NOW.getEpochSecond() - 300 + seq * 300, 300));
    }
}
