package com.pettysync.contract.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigDeltaTest {
    private static final CollarConfig C = CollarConfig.DEFAULTS;
    private static final ObjectMapper M = new ObjectMapper();

    private static String delta(String state) {
        return "{\"state\":" + state + ",\"metadata\":{},\"version\":7,\"timestamp\":1767225600}";
    }

    @Test
    void appliesEveryValidSettingAndReportsIt() {
        ConfigChange ch = ConfigDelta.applyDelta(C, delta("""
                {"telemetryIntervalS":600,"gpsMode":"live","lostMode":true,"voiceUpload":"off","keepAliveS":60,
                 "hrLimits":{"min":50,"max":180},
                 "geofences":[{"id":1,"lat":51.5007,"lon":-0.1246,"radiusM":150},{"id":2,"lat":-33.8,"lon":151.2,"radiusM":10}]}
                """));
        assertEquals(Map.of(), ch.rejected());
        CollarConfig c = ch.config();
        assertEquals(600, c.telemetryIntervalS());
        assertEquals(GpsMode.LIVE, c.gpsMode());
        assertTrue(c.lostMode());
        assertEquals(VoiceUpload.OFF, c.voiceUpload());
        assertEquals(60, c.keepAliveS());
        assertEquals(new HrLimits(50, 180), c.hrLimits());
        assertEquals(List.of(new Geofence(1, 51.5007, -0.1246, 150), new Geofence(2, -33.8, 151.2, 10)), c.geofences());
        assertEquals(OptionalLong.of(7), ch.version());
        assertEquals(List.of("telemetryIntervalS", "gpsMode", "lostMode", "voiceUpload", "keepAliveS", "hrLimits",
                "geofences"), List.copyOf(ch.applied().keySet()));
        assertEquals("{\"min\":50,\"max\":180}", ch.applied().get("hrLimits").toString());
        assertEquals(515007000, c.geofences().get(0).latE7());
    }

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"volume\":3}|volume|unknown setting",
        "{\"rejected\":{}}|rejected|unknown setting",
        "{\"gpsMode\":null}|gpsMode|must not be null",
        "{\"telemetryIntervalS\":59}|telemetryIntervalS|must be an integer 60 … 3600",
        "{\"telemetryIntervalS\":3601}|telemetryIntervalS|must be an integer 60 … 3600",
        "{\"telemetryIntervalS\":300.5}|telemetryIntervalS|must be an integer 60 … 3600",
        "{\"telemetryIntervalS\":\"300\"}|telemetryIntervalS|must be an integer 60 … 3600",
        "{\"telemetryIntervalS\":99999999999999999999}|telemetryIntervalS|must be an integer 60 … 3600",
        "{\"keepAliveS\":29}|keepAliveS|must be an integer 30 … 1200",
        "{\"keepAliveS\":1201}|keepAliveS|must be an integer 30 … 1200",
        "{\"gpsMode\":\"turbo\"}|gpsMode|must be one of off, eco, normal, live",
        "{\"gpsMode\":1}|gpsMode|must be one of off, eco, normal, live",
        "{\"voiceUpload\":\"all\"}|voiceUpload|must be one of off, episodes",
        "{\"lostMode\":\"true\"}|lostMode|must be true or false",
        "{\"lostMode\":1}|lostMode|must be true or false",
        "{\"hrLimits\":[40,200]}|hrLimits|must be an object {min, max}",
        "{\"hrLimits\":{\"min\":19}}|hrLimits.min|must be an integer 20 … 400",
        "{\"hrLimits\":{\"max\":401}}|hrLimits.max|must be an integer 20 … 400",
        "{\"hrLimits\":{\"avg\":100}}|hrLimits.avg|unknown field",
        "{\"hrLimits\":{\"min\":150,\"max\":150}}|hrLimits|min must be less than max (min 150, max 150)",
        "{\"hrLimits\":{\"max\":30}}|hrLimits|min must be less than max (min 40, max 30)",
        "{\"geofences\":{}}|geofences|must be an array of at most 8 geofences",
        "{\"geofences\":[1]}|geofences[0]|must be an object {id, lat, lon, radiusM}",
        "{\"geofences\":[{\"lat\":1,\"lon\":1,\"radiusM\":100}]}|geofences[0].id|missing",
        "{\"geofences\":[{\"id\":-1,\"lat\":1,\"lon\":1,\"radiusM\":100}]}|geofences[0].id|must be an integer 0 … 65535",
        "{\"geofences\":[{\"id\":1,\"lat\":90.5,\"lon\":1,\"radiusM\":100}]}|geofences[0].lat|must be a number -90 … 90",
        "{\"geofences\":[{\"id\":1,\"lat\":\"1\",\"lon\":1,\"radiusM\":100}]}|geofences[0].lat|must be a number -90 … 90",
        "{\"geofences\":[{\"id\":1,\"lat\":1,\"lon\":-180.01,\"radiusM\":100}]}|geofences[0].lon|must be a number -180 … 180",
        "{\"geofences\":[{\"id\":1,\"lat\":1,\"lon\":1,\"radiusM\":9}]}|geofences[0].radiusM|must be an integer 10 … 50000",
        "{\"geofences\":[{\"id\":1,\"lat\":1,\"lon\":1,\"radiusM\":50001}]}|geofences[0].radiusM|must be an integer 10 … 50000",
        "{\"geofences\":[{\"id\":1,\"lat\":1,\"lon\":1,\"radiusM\":100,\"name\":\"home\"}]}|geofences[0].name|unknown field",
        "{\"geofences\":[{\"id\":4,\"lat\":1,\"lon\":1,\"radiusM\":100},{\"id\":4,\"lat\":2,\"lon\":2,\"radiusM\":100}]}|geofences[1].id|duplicate id 4",
    })
    void rejectsWithPathAndReasonAndKeepsTheOldValue(String state, String path, String reason) {
        ConfigChange ch = ConfigDelta.applyDelta(C, delta(state));
        assertEquals(Map.of(path, reason), ch.rejected());
        assertEquals(C, ch.config());
        assertEquals(Map.of(), ch.applied());
    }

    @Test
    void rejectsMoreThanEightGeofences() {
        StringBuilder sb = new StringBuilder("{\"geofences\":[");
        for (int i = 0; i < 9; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"lat\":1,\"lon\":1,\"radiusM\":100}");
        }
        ConfigChange ch = ConfigDelta.applyDelta(C, delta(sb.append("]}").toString()));
        assertEquals(Map.of("geofences", "must be an array of at most 8 geofences"), ch.rejected());
        ConfigChange eight = ConfigDelta.applyDelta(C, delta(sb.toString().replace(",{\"id\":8,\"lat\":1,\"lon\":1,"
                + "\"radiusM\":100}", "")));
        assertEquals(Map.of(), eight.rejected());
        assertEquals(8, eight.config().geofences().size());
    }

    @Test
    void appliesTheValidSettingsBesideTheRejectedOnes() {
        ConfigChange ch = ConfigDelta.applyDelta(C, delta(
                "{\"gpsMode\":\"eco\",\"keepAliveS\":5,\"color\":\"red\",\"telemetryIntervalS\":120}"));
        assertEquals(GpsMode.ECO, ch.config().gpsMode());
        assertEquals(120, ch.config().telemetryIntervalS());
        assertEquals(C.keepAliveS(), ch.config().keepAliveS());
        assertEquals(Map.of("keepAliveS", "must be an integer 30 … 1200", "color", "unknown setting"), ch.rejected());
        assertEquals(List.of("gpsMode", "telemetryIntervalS"), List.copyOf(ch.applied().keySet()));
    }

    @Test
    void mergesAPartialHrLimitsDeltaWithTheCurrentLimits() {
        ConfigChange ch = ConfigDelta.applyDelta(C, delta("{\"hrLimits\":{\"max\":180}}"));
        assertEquals(new HrLimits(40, 180), ch.config().hrLimits());
        assertEquals("{\"min\":40,\"max\":180}", ch.applied().get("hrLimits").toString());
    }

    @Test
    void oneBadGeofenceRejectsTheWholeListAndNamesEveryBadField() {
        CollarConfig withFence = C.withGeofences(List.of(new Geofence(9, 1, 1, 100)));
        ConfigChange ch = ConfigDelta.applyDelta(withFence, delta("""
                {"geofences":[{"id":1,"lat":1,"lon":1,"radiusM":100},{"id":2,"lat":100,"lon":1,"radiusM":5}]}"""));
        assertEquals(withFence.geofences(), ch.config().geofences());
        assertEquals(Map.of("geofences[1].lat", "must be a number -90 … 90",
                "geofences[1].radiusM", "must be an integer 10 … 50000"), ch.rejected());
    }

    @Test
    void anEmptyGeofenceListClearsTheFences() {
        CollarConfig withFence = C.withGeofences(List.of(new Geofence(9, 1, 1, 100)));
        ConfigChange ch = ConfigDelta.applyDelta(withFence, delta("{\"geofences\":[]}"));
        assertEquals(List.of(), ch.config().geofences());
        assertEquals("[]", ch.applied().get("geofences").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json|not valid JSON",
        "[1,2]|not a JSON object",
        "{\"version\":3}|state: missing or not an object",
        "{\"state\":[]}|state: missing or not an object",
        "{\"state\":{},\"version\":\"7\"}|version: must be an integer",
        "{\"state\":{},\"clientToken\":5}|clientToken: must be a string",
        "{\"state\":{\"a\":1,\"a\":2}}|not valid JSON",
        "{\"state\":{}} trailing|not valid JSON"})
    void anUnreadableDocumentIsOneRejectionOfState(String json, String reason) {
        ConfigChange ch = ConfigDelta.applyDelta(C, json);
        assertSame(C, ch.config());
        assertEquals(1, ch.rejected().size());
        assertTrue(ch.rejected().get("state").startsWith(reason), ch.rejected().toString());
    }

    @Test
    void nullAndOversizedDocumentsAreRejectedNotThrown() {
        assertEquals("no document", ConfigDelta.applyDelta(C, null).rejected().get("state"));
        String huge = delta("{\"x\":\"" + "a".repeat(70_000) + "\"}");
        assertEquals("document larger than 65536 bytes", ConfigDelta.applyDelta(C, huge).rejected().get("state"));
        assertEquals(Map.of("state", "must be a JSON object of settings"),
                ConfigDelta.apply(C, M.getNodeFactory().textNode("x")).rejected());
    }

    @Test
    void boundsTheNumberOfReportedRejections() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            sb.append(i == 0 ? "" : ",").append("\"unknown").append(i).append("\":1");
        }
        ConfigChange ch = ConfigDelta.applyDelta(C, delta(sb.append("}").toString()));
        assertEquals(ConfigChange.MAX_REJECTIONS + 1, ch.rejected().size());
        assertEquals("24 more rejected", ch.rejected().get(ConfigChange.MORE_KEY));
        String longName = "k".repeat(200);
        ConfigChange cut = ConfigDelta.applyDelta(C, delta("{\"" + longName + "\":1}"));
        assertEquals(Map.of("k".repeat(64) + "…", "unknown setting"), cut.rejected());
    }

    @Test
    void appliesTheDesiredStateOfAGetAcceptedDocument() {
        String doc = """
                {"state":{"desired":{"gpsMode":"off","keepAliveS":900},
                          "reported":{"gpsMode":"normal","rejected":{"x":"unknown setting"}},
                          "delta":{"gpsMode":"off"}},
                 "metadata":{"desired":{"gpsMode":{"timestamp":1}}},"version":12,"timestamp":1767225600,
                 "clientToken":"c-1"}""";
        ConfigChange ch = ConfigDelta.applyDesired(C, doc);
        assertEquals(Map.of(), ch.rejected());
        assertEquals(GpsMode.OFF, ch.config().gpsMode());
        assertEquals(900, ch.config().keepAliveS());
        assertEquals(OptionalLong.of(12), ch.version());
        ConfigChange none = ConfigDelta.applyDesired(C, "{\"state\":{\"reported\":{\"gpsMode\":\"eco\"}},\"version\":1}");
        assertSame(C, none.config());
        assertTrue(none.applied().isEmpty() && none.rejected().isEmpty());
        assertEquals(Map.of("state.desired", "must be an object"),
                ConfigDelta.applyDesired(C, "{\"state\":{\"desired\":5}}").rejected());
    }

    @Property(tries = 2000)
    void neverThrowsOnArbitraryText(@ForAll("junk") String text) {
        ConfigChange ch = ConfigDelta.applyDelta(C, text);
        assertNotNull(ch.config());
        ConfigChange d = ConfigDelta.applyDesired(C, text);
        assertNotNull(d.config());
        assertTrue(ch.rejected().size() <= ConfigChange.MAX_REJECTIONS + 1);
    }

    @Provide
    Arbitrary<String> junk() {
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"state\"", "\"desired\"",
                "\"geofences\"", "\"hrLimits\"", "\"min\"", "\"max\"", "\"id\"", "\"lat\"", "\"lon\"", "\"radiusM\"",
                "\"gpsMode\"", "\"eco\"", "\"lostMode\"", "\"telemetryIntervalS\"", "\"keepAliveS\"", "null", "true",
                "1", "-1", "1e400", "300", "65536", "91.5", "\"x\"", "\"version\"", "9223372036854775808");
        return Arbitraries.oneOf(fragments.list().ofMaxSize(40).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(200));
    }

    @Property(tries = 1000)
    void aStructurallyValidDeltaAlwaysYieldsAValidConfig(@ForAll("deltas") String state) {
        ConfigChange ch = ConfigDelta.applyDelta(C, delta(state));
        CollarConfig c = ch.config();
        // re-validate through the constructor: the result is always a valid config
        assertEquals(c, new CollarConfig(c.telemetryIntervalS(), c.gpsMode(), c.geofences(), c.lostMode(),
                c.hrLimits(), c.voiceUpload(), c.keepAliveS(), c.rawCapture()));
        for (String applied : ch.applied().keySet()) {
            assertFalse(ch.rejected().containsKey(applied), applied);
        }
    }

    @Provide
    Arbitrary<String> deltas() {
        Arbitrary<String> interval = Arbitraries.integers().between(0, 5000).map(i -> "\"telemetryIntervalS\":" + i);
        Arbitrary<String> keep = Arbitraries.integers().between(0, 2000).map(i -> "\"keepAliveS\":" + i);
        Arbitrary<String> hr = Arbitraries.integers().between(0, 450).tuple2()
                .map(t -> "\"hrLimits\":{\"min\":" + t.get1() + ",\"max\":" + t.get2() + "}");
        Arbitrary<String> fence = Arbitraries.integers().between(-1, 3).tuple4()
                .map(t -> "{\"id\":" + t.get1() + ",\"lat\":" + (t.get2() * 40) + ",\"lon\":" + (t.get3() * 70)
                        + ",\"radiusM\":" + (t.get4() * 20_000) + "}");
        Arbitrary<String> fences = fence.list().ofMaxSize(10).map(l -> "\"geofences\":[" + String.join(",", l) + "]");
        Arbitrary<String> mode = Arbitraries.of("off", "eco", "normal", "live", "x").map(m -> "\"gpsMode\":\"" + m + "\"");
        return Arbitraries.oneOf(interval, keep, hr, fences, mode).list().ofMaxSize(5).uniqueElements()
                .map(l -> "{" + String.join(",", l) + "}");
    }
}
