package com.pettysync.contract.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShadowDocumentTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void readsTheAwsGetAcceptedShape() throws Exception {
        ShadowDocument d = ShadowDocument.parse("""
                {"state":{"desired":{"gpsMode":"eco"},"reported":{"gpsMode":"normal"},"delta":{"gpsMode":"eco"}},
                 "metadata":{},"version":3,"timestamp":1767225600,"clientToken":"abc","futureField":1}""");
        assertEquals("eco", d.desired().orElseThrow().get("gpsMode").asText());
        assertEquals("normal", d.reported().orElseThrow().get("gpsMode").asText());
        assertEquals("eco", d.delta().orElseThrow().get("gpsMode").asText());
        assertEquals(OptionalLong.of(3), d.version());
        assertEquals(OptionalLong.of(1767225600), d.timestamp());
        assertEquals(Optional.of("abc"), d.clientToken());
        ShadowDocument bare = ShadowDocument.parse("{\"state\":{}}");
        assertEquals(Optional.empty(), bare.desired());
        assertEquals(OptionalLong.empty(), bare.version());
        assertThrows(ShadowDocument.ShadowDocumentException.class, () -> ShadowDocument.parse("{\"state\":1}"));
    }

    @Test
    void reportsEverySettingAndTheRejections() throws Exception {
        CollarConfig c = CollarConfig.DEFAULTS.withGeofences(List.of(new Geofence(3, 47.5, 8.25, 200)));
        Map<String, String> now = new LinkedHashMap<>();
        now.put("keepAliveS", "must be an integer 30 … 1200");
        String json = ShadowDocument.reportedUpdate(c, now, Set.of("gpsMode", "keepAliveS"), "tok-1");
        JsonNode root = M.readTree(json);
        JsonNode reported = root.get("state").get("reported");
        assertEquals("tok-1", root.get("clientToken").asText());
        assertEquals(300, reported.get("telemetryIntervalS").asInt());
        assertEquals("normal", reported.get("gpsMode").asText());
        assertEquals("[{\"id\":3,\"lat\":47.5,\"lon\":8.25,\"radiusM\":200}]", reported.get("geofences").toString());
        assertEquals(false, reported.get("lostMode").asBoolean());
        assertEquals("{\"min\":40,\"max\":220}", reported.get("hrLimits").toString());
        assertEquals("episodes", reported.get("voiceUpload").asText());
        assertEquals(1200, reported.get("keepAliveS").asInt());
        // gpsMode was rejected before and is not now: cleared with null; keepAliveS still rejected
        assertEquals("{\"gpsMode\":null,\"keepAliveS\":\"must be an integer 30 … 1200\"}",
                reported.get("rejected").toString());
    }

    @Test
    void clearsTheWholeRejectedObjectWhenNothingIsRejected() throws Exception {
        String json = ShadowDocument.reportedUpdate(CollarConfig.DEFAULTS, Map.of(), Set.of("x"), null);
        JsonNode root = M.readTree(json);
        assertTrue(root.get("state").get("reported").get("rejected").isNull());
        assertTrue(!root.has("clientToken"));
    }

    @Test
    void desiredUpdateOfAConfigAppliesBackToTheSameConfig() {
        CollarConfig c = CollarConfig.DEFAULTS.withGpsMode(GpsMode.LIVE).withLostMode(true)
                .withHrLimits(new HrLimits(30, 300)).withVoiceUpload(VoiceUpload.OFF).withKeepAliveS(30)
                .withTelemetryIntervalS(3600).withGeofences(List.of(new Geofence(0, -90, 180, 50_000)));
        String update = ShadowDocument.desiredUpdate(c.toJson(), "t");
        String asGetAccepted = update.replace("\"clientToken\":\"t\"", "\"version\":2");
        ConfigChange ch = ConfigDelta.applyDesired(CollarConfig.DEFAULTS, asGetAccepted);
        assertEquals(Map.of(), ch.rejected());
        assertEquals(c, ch.config());
        assertEquals("{\"clientToken\":\"g\"}", ShadowDocument.getRequest("g"));
        assertEquals("{}", ShadowDocument.getRequest(null));
    }

    @Test
    void configRoundTripsThroughItsJson() throws Exception {
        CollarConfig c = CollarConfig.DEFAULTS.withGpsMode(GpsMode.ECO)
                .withGeofences(List.of(new Geofence(7, 12.5, -3.25, 75)));
        assertEquals(c, CollarConfig.fromJson(M.readTree(c.toJson().toString())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CollarConfig.fromJson(M.readTree("{\"gpsMode\":\"fast\"}")));
        assertTrue(e.getMessage().contains("gpsMode=must be one of off, eco, normal, live"), e.getMessage());
    }

    @Test
    void configConstructorRefusesInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> CollarConfig.DEFAULTS.withTelemetryIntervalS(30));
        assertThrows(IllegalArgumentException.class, () -> CollarConfig.DEFAULTS.withKeepAliveS(1300));
        assertThrows(IllegalArgumentException.class, () -> CollarConfig.DEFAULTS.withGeofences(
                List.of(new Geofence(1, 0, 0, 10), new Geofence(1, 1, 1, 10))));
        assertThrows(IllegalArgumentException.class, () -> new HrLimits(100, 100));
        assertThrows(IllegalArgumentException.class, () -> new Geofence(1, Double.NaN, 0, 10));
    }
}
