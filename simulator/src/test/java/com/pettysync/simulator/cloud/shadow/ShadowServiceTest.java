package com.pettysync.simulator.cloud.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShadowServiceTest {
    private static final String BASE = "$aws/things/collar-1/shadow/name/config";
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ShadowService shadows = new ShadowService(clock);

    private Map<String, JsonNode> send(String op, String payload) {
        List<Outbound> out = shadows.handle(BASE, op, payload.getBytes(StandardCharsets.UTF_8));
        return out.stream().collect(Collectors.toMap(o -> o.topic().substring(BASE.length() + 1), o -> {
            try {
                return json.readTree(o.text());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }));
    }

    @Test
    void firstUpdateCreatesVersionOneAndPublishesAcceptedDocumentsAndDelta() {
        var out = send("update", "{\"state\":{\"desired\":{\"gpsMode\":\"eco\",\"hrLimits\":{\"min\":40,\"max\":180}}},"
                + "\"clientToken\":\"t1\"}");
        assertEquals(3, out.size(), out.keySet().toString());
        JsonNode accepted = out.get("update/accepted");
        assertEquals(1, accepted.get("version").asLong());
        assertEquals("t1", accepted.get("clientToken").asText());
        assertEquals(1767225600L, accepted.at("/metadata/desired/hrLimits/min/timestamp").asLong());
        JsonNode docs = out.get("update/documents");
        assertTrue(docs.get("previous") == null, "a new shadow has no previous document");
        assertEquals("eco", docs.at("/current/state/desired/gpsMode").asText());
        JsonNode delta = out.get("update/delta");
        assertEquals(json.createObjectNode().put("min", 40).put("max", 180), delta.at("/state/hrLimits"));
    }

    @Test
    void reportedMatchingDesiredLeavesNoDeltaAndNestedDifferencesAreReported() {
        send("update", "{\"state\":{\"desired\":{\"hrLimits\":{\"min\":40,\"max\":180},\"lostMode\":false}}}");
        var out = send("update", "{\"state\":{\"reported\":{\"hrLimits\":{\"min\":40,\"max\":170},\"lostMode\":false}}}");
        assertFalse(out.containsKey("update/delta"), "a reported-only update publishes no delta");
        JsonNode got = send("get", "").get("get/accepted");
        assertEquals(json.createObjectNode().set("hrLimits", json.createObjectNode().put("max", 180)),
                got.at("/state/delta"));
        assertEquals(2, got.get("version").asLong());
        assertEquals(170, got.at("/state/reported/hrLimits/max").asInt());
    }

    @Test
    void nullDeletesKeysAndSections() {
        send("update", "{\"state\":{\"desired\":{\"a\":1,\"b\":2},\"reported\":{\"a\":1}}}");
        send("update", "{\"state\":{\"desired\":{\"a\":null}}}");
        JsonNode doc = send("get", "{}").get("get/accepted");
        assertTrue(doc.at("/state/desired/a").isMissingNode());
        assertEquals(2, doc.at("/state/desired/b").asInt());
        assertTrue(doc.at("/metadata/desired/a").isMissingNode());
        send("update", "{\"state\":{\"desired\":null}}");
        doc = send("get", "{}").get("get/accepted");
        assertTrue(doc.at("/state/desired").isMissingNode());
        assertEquals(3, doc.get("version").asLong());
    }

    @Test
    void rejectsWithAwsCodesAndChangesNothing() {
        assertEquals(400, send("update", "not json").get("update/rejected").get("code").asInt());
        assertEquals(400, send("update", "{\"clientToken\":\"x\"}").get("update/rejected").get("code").asInt());
        assertEquals("Missing required node: state",
                send("update", "{}").get("update/rejected").get("message").asText());
        assertEquals(400, send("update", "{\"state\":{\"delta\":{}}}").get("update/rejected").get("code").asInt());
        assertEquals(400, send("update", "{\"state\":{\"desired\":5}}").get("update/rejected").get("code").asInt());
        assertEquals(413, send("update", "{\"state\":{\"desired\":{\"x\":\"" + "y".repeat(9000) + "\"}}}")
                .get("update/rejected").get("code").asInt());
        assertEquals(404, send("get", "{}").get("get/rejected").get("code").asInt());
        assertEquals(404, send("delete", "{}").get("delete/rejected").get("code").asInt());
        send("update", "{\"state\":{\"reported\":{\"a\":1}}}");
        JsonNode conflict = send("update", "{\"state\":{\"reported\":{\"a\":2}},\"version\":7,\"clientToken\":\"c\"}")
                .get("update/rejected");
        assertEquals(409, conflict.get("code").asInt());
        assertEquals("c", conflict.get("clientToken").asText());
        assertEquals(1, shadows.document(BASE).orElseThrow().at("/state/reported/a").asInt());
    }

    @Test
    void deletedShadowContinuesItsVersionsWithin48HoursAndRestartsAfter() {
        send("update", "{\"state\":{\"reported\":{\"a\":1}}}");
        send("update", "{\"state\":{\"reported\":{\"a\":2}}}");
        assertEquals(2, send("delete", "{\"clientToken\":\"d\"}").get("delete/accepted").get("version").asLong());
        assertTrue(shadows.document(BASE).isEmpty());
        assertEquals(3, send("update", "{\"state\":{\"reported\":{\"a\":3}}}").get("update/accepted")
                .get("version").asLong());
        send("delete", "{}");
        clock.advance(Duration.ofHours(49));
        assertEquals(1, send("update", "{\"state\":{\"reported\":{\"a\":4}}}").get("update/accepted")
                .get("version").asLong());
    }
}
