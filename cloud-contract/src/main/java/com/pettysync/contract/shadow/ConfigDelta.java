package com.pettysync.contract.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Applies the settings of a shadow delta or desired state to a {@link CollarConfig}: a pure function
 * {@code (current config, settings) → (new config, applied, rejected)} (wire contract §6).
 *
 * <p>Guarantees: it never throws on any input (not JSON, wrong shapes, unknown settings, out-of-range values,
 * {@code null}s, huge documents); whatever is valid is applied; everything else is listed in
 * {@link ConfigChange#rejected()} with its path and reason, and the old value stays. Each top-level setting is
 * applied whole or not at all: one bad geofence rejects the {@code geofences} list (reported at the bad field's
 * path), and an {@code hrLimits} with a bad field or {@code min >= max} keeps both old limits.
 *
 * <p>Rules and reasons:
 * <pre>
 * path                      rejected when                               reason
 * {any unknown name}        not a setting of §6                         unknown setting
 * {setting}                 null                                        must not be null
 * telemetryIntervalS        not an integer 60 … 3600                    must be an integer 60 … 3600
 * keepAliveS                not an integer 30 … 1200                    must be an integer 30 … 1200
 * gpsMode                   not one of the names                        must be one of off, eco, normal, live
 * voiceUpload               not one of the names                        must be one of off, episodes
 * lostMode                  not a boolean                               must be true or false
 * hrLimits                  not an object                               must be an object {min, max}
 * hrLimits.min|max          not an integer 20 … 400                     must be an integer 20 … 400
 * hrLimits.{other}          unknown field                               unknown field
 * hrLimits                  min ≥ max after merging with current        min must be less than max (min A, max B)
 * geofences                 not an array, or more than 8               must be an array of at most 8 geofences
 * geofences[i]              not an object                               must be an object {id, lat, lon, radiusM}
 * geofences[i].{f}          missing                                     missing
 * geofences[i].id           not an integer 0 … 65535, or repeated       must be an integer 0 … 65535 / duplicate id N
 * geofences[i].lat          not a number −90 … 90                       must be a number -90 … 90
 * geofences[i].lon          not a number −180 … 180                     must be a number -180 … 180
 * geofences[i].radiusM      not an integer 10 … 50000                   must be an integer 10 … 50000
 * geofences[i].{other}      unknown field                               unknown field
 * rawCapture                not an object                               must be an object {sensors, untilUnix}
 * rawCapture.sensors        not an array of distinct ppg / imu          must be an array of distinct sensors (ppg, imu)
 * rawCapture.untilUnix      not an integer ≥ 0                          must be an integer >= 0 (Unix seconds)
 * rawCapture.untilUnix      more than 24 h after the document's         must be at most 86400 s after the document's
 *                           timestamp                                   timestamp T (at most T+86400)
 * rawCapture.untilUnix      in force, but the document has no           cannot be checked: the document has no
 *                           timestamp                                   timestamp
 * rawCapture.{other}        unknown field                               unknown field
 * state                     document not readable (JSON, shape, size)   the parse error
 * </pre>
 * {@code hrLimits} may be partial ({@code {"max":180}}), as an AWS delta carries only the nested fields that
 * differ; arrays ({@code geofences}) are always whole, as in AWS shadow semantics. Paths longer than 64 characters
 * are cut.
 *
 * <p>{@code rawCapture} may be partial like {@code hrLimits} ({@code {"untilUnix": N}} keeps the sensors). Its
 * 24-hour rule is checked against the shadow document's {@code timestamp} (AWS puts one on every delta and get
 * reply), so the rule is a pure function of the document; a request that is not in force (no sensors, or
 * {@code untilUnix} 0) needs no timestamp, which lets {@link CollarConfig#fromJson} read a saved default back.
 */
public final class ConfigDelta {
    /** The setting names of §6, in document order. */
    public static final List<String> SETTINGS = List.of("telemetryIntervalS", "gpsMode", "geofences", "lostMode",
            "hrLimits", "voiceUpload", "keepAliveS", "rawCapture");

    static final String UNKNOWN_SETTING = "unknown setting";
    private static final int MAX_PATH = 64;

    private ConfigDelta() {}

    /**
     * Applies the message of {@code $aws/things/{thing}/shadow/name/config/update/delta}: its {@code state} is the
     * delta. Never throws.
     */
    public static ConfigChange applyDelta(CollarConfig current, String deltaMessageJson) {
        ShadowDocument doc;
        try {
            doc = ShadowDocument.parse(deltaMessageJson);
        } catch (ShadowDocument.ShadowDocumentException e) {
            return unreadable(current, e.getMessage());
        }
        return apply(current, doc.state(), doc.version(), doc.timestamp());
    }

    /**
     * Applies {@code state.desired} of a full shadow document (the reply on {@code …/get/accepted}): on connect a
     * collar takes the whole desired state, so settings lost locally are restored. A document without
     * {@code desired} changes nothing. Never throws.
     */
    public static ConfigChange applyDesired(CollarConfig current, String shadowDocumentJson) {
        ShadowDocument doc;
        try {
            doc = ShadowDocument.parse(shadowDocumentJson);
        } catch (ShadowDocument.ShadowDocumentException e) {
            return unreadable(current, e.getMessage());
        }
        JsonNode desired = doc.state().get("desired");
        if (desired == null || desired.isNull()) {
            return new ConfigChange(current, Map.of(), Map.of(), doc.version());
        }
        if (!desired.isObject()) {
            return new ConfigChange(current, Map.of(), Map.of("state.desired", "must be an object"), doc.version());
        }
        return apply(current, desired, doc.version(), doc.timestamp());
    }

    /**
     * Applies the settings object {@code settings} (a delta's state or a desired state) that has no document
     * timestamp: a {@code rawCapture} in force is rejected (its 24-hour rule needs one). Never throws.
     */
    public static ConfigChange apply(CollarConfig current, JsonNode settings) {
        return apply(current, settings, OptionalLong.empty(), OptionalLong.empty());
    }

    private static ConfigChange unreadable(CollarConfig current, String reason) {
        return new ConfigChange(current, Map.of(), Map.of("state", reason), OptionalLong.empty());
    }

    private static ConfigChange apply(CollarConfig current, JsonNode settings, OptionalLong version,
            OptionalLong timestamp) {
        Rejections rejected = new Rejections();
        Map<String, JsonNode> applied = new LinkedHashMap<>();
        if (settings == null || !settings.isObject()) {
            rejected.add("state", "must be a JSON object of settings");
            return new ConfigChange(current, applied, rejected.map, version);
        }
        CollarConfig config = current;
        for (Map.Entry<String, JsonNode> e : settings.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!SETTINGS.contains(name)) {
                rejected.add(name, UNKNOWN_SETTING);
                continue;
            }
            if (value == null || value.isNull()) {
                rejected.add(name, "must not be null");
                continue;
            }
            CollarConfig next = name.equals("rawCapture")
                    ? rawCapture(config, value, timestamp, rejected)
                    : applySetting(config, name, value, rejected);
            if (next != null) {
                config = next;
                applied.put(name, settingJson(config, name));
            }
        }
        return new ConfigChange(config, applied, rejected.map, version);
    }

    /** The new config with {@code name} set from {@code value}, or {@code null} after recording a rejection. */
    private static CollarConfig applySetting(CollarConfig c, String name, JsonNode value, Rejections rejected) {
        switch (name) {
            case "telemetryIntervalS" -> {
                Integer v = intIn(value, CollarConfig.MIN_TELEMETRY_INTERVAL_S, CollarConfig.MAX_TELEMETRY_INTERVAL_S);
                return v == null ? rejected.none(name, "must be an integer 60 … 3600") : c.withTelemetryIntervalS(v);
            }
            case "keepAliveS" -> {
                Integer v = intIn(value, CollarConfig.MIN_KEEP_ALIVE_S, CollarConfig.MAX_KEEP_ALIVE_S);
                return v == null ? rejected.none(name, "must be an integer 30 … 1200") : c.withKeepAliveS(v);
            }
            case "gpsMode" -> {
                GpsMode m = value.isTextual() ? GpsMode.fromJson(value.textValue()) : null;
                return m == null ? rejected.none(name, "must be one of off, eco, normal, live") : c.withGpsMode(m);
            }
            case "voiceUpload" -> {
                VoiceUpload v = value.isTextual() ? VoiceUpload.fromJson(value.textValue()) : null;
                return v == null ? rejected.none(name, "must be one of off, episodes") : c.withVoiceUpload(v);
            }
            case "lostMode" -> {
                return value.isBoolean() ? c.withLostMode(value.booleanValue())
                        : rejected.none(name, "must be true or false");
            }
            case "hrLimits" -> {
                HrLimits h = hrLimits(c.hrLimits(), value, rejected);
                return h == null ? null : c.withHrLimits(h);
            }
            case "geofences" -> {
                List<Geofence> g = geofences(value, rejected);
                return g == null ? null : c.withGeofences(g);
            }
            default -> throw new IllegalStateException("setting without a rule: " + name);
        }
    }

    private static CollarConfig rawCapture(CollarConfig c, JsonNode value, OptionalLong timestamp,
            Rejections rejected) {
        if (!value.isObject()) {
            return rejected.none("rawCapture", "must be an object {sensors, untilUnix}");
        }
        Set<com.pettysync.contract.raw.RawSensor> sensors = c.rawCapture().sensors();
        long until = c.rawCapture().untilUnix();
        boolean ok = true;
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String field = e.getKey();
            JsonNode v = e.getValue();
            switch (field) {
                case "sensors" -> {
                    sensors = rawSensors(v);
                    if (sensors == null) {
                        rejected.add("rawCapture.sensors", "must be an array of distinct sensors (ppg, imu)");
                        ok = false;
                    }
                }
                case "untilUnix" -> {
                    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                        rejected.add("rawCapture.untilUnix", "must be an integer >= 0 (Unix seconds)");
                        ok = false;
                    } else {
                        until = v.longValue();
                    }
                }
                default -> {
                    rejected.add("rawCapture." + field, "unknown field");
                    ok = false;
                }
            }
        }
        if (!ok) {
            return null;
        }
        if (!sensors.isEmpty() && until > 0) {
            if (timestamp.isEmpty()) {
                return rejected.none("rawCapture.untilUnix", "cannot be checked: the document has no timestamp");
            }
            long t = timestamp.getAsLong();
            if (until > t + RawCapture.MAX_AHEAD_S) {
                return rejected.none("rawCapture.untilUnix", "must be at most " + RawCapture.MAX_AHEAD_S
                        + " s after the document's timestamp " + t + " (at most " + (t + RawCapture.MAX_AHEAD_S)
                        + ")");
            }
        }
        return c.withRawCapture(new RawCapture(sensors, until));
    }

    private static Set<com.pettysync.contract.raw.RawSensor> rawSensors(JsonNode v) {
        if (v == null || !v.isArray()) {
            return null;
        }
        Set<com.pettysync.contract.raw.RawSensor> out = new HashSet<>();
        for (JsonNode n : v) {
            com.pettysync.contract.raw.RawSensor s = n.isTextual()
                    ? com.pettysync.contract.raw.RawSensor.ofJsonName(n.textValue()) : null;
            if (s == null || !out.add(s)) {
                return null;
            }
        }
        return out;
    }

    private static HrLimits hrLimits(HrLimits current, JsonNode value, Rejections rejected) {
        if (!value.isObject()) {
            return rejected.none("hrLimits", "must be an object {min, max}");
        }
        int min = current.min();
        int max = current.max();
        boolean ok = true;
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String field = e.getKey();
            if (!field.equals("min") && !field.equals("max")) {
                rejected.add("hrLimits." + field, "unknown field");
                ok = false;
                continue;
            }
            Integer v = intIn(e.getValue(), HrLimits.MIN_BPM, HrLimits.MAX_BPM);
            if (v == null) {
                rejected.add("hrLimits." + field, "must be an integer 20 … 400");
                ok = false;
            } else if (field.equals("min")) {
                min = v;
            } else {
                max = v;
            }
        }
        if (!ok) {
            return null;
        }
        if (min >= max) {
            return rejected.none("hrLimits", "min must be less than max (min " + min + ", max " + max + ")");
        }
        return new HrLimits(min, max);
    }

    private static List<Geofence> geofences(JsonNode value, Rejections rejected) {
        if (!value.isArray() || value.size() > CollarConfig.MAX_GEOFENCES) {
            return rejected.none("geofences", "must be an array of at most 8 geofences");
        }
        List<Geofence> fences = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            String path = "geofences[" + i + "]";
            JsonNode f = value.get(i);
            if (!f.isObject()) {
                rejected.add(path, "must be an object {id, lat, lon, radiusM}");
                ok = false;
                continue;
            }
            boolean fenceOk = true;
            for (Map.Entry<String, JsonNode> fieldEntry : f.properties()) {
                String field = fieldEntry.getKey();
                if (!List.of("id", "lat", "lon", "radiusM").contains(field)) {
                    rejected.add(path + "." + field, "unknown field");
                    fenceOk = false;
                }
            }
            Integer id = fenceInt(f, "id", Geofence.MIN_ID, Geofence.MAX_ID, path, rejected);
            Double lat = fenceDegrees(f, "lat", 90, path, rejected);
            Double lon = fenceDegrees(f, "lon", 180, path, rejected);
            Integer radius = fenceInt(f, "radiusM", Geofence.MIN_RADIUS_M, Geofence.MAX_RADIUS_M, path, rejected);
            if (id != null && !ids.add(id)) {
                rejected.add(path + ".id", "duplicate id " + id);
                fenceOk = false;
            }
            if (fenceOk && id != null && lat != null && lon != null && radius != null) {
                fences.add(new Geofence(id, lat, lon, radius));
            } else {
                ok = false;
            }
        }
        return ok ? fences : null;
    }

    private static Integer fenceInt(JsonNode fence, String field, int min, int max, String path, Rejections r) {
        JsonNode n = fence.get(field);
        if (n == null) {
            return r.none(path + "." + field, "missing");
        }
        Integer v = intIn(n, min, max);
        return v == null ? r.none(path + "." + field, "must be an integer " + min + " … " + max) : v;
    }

    private static Double fenceDegrees(JsonNode fence, String field, int limit, String path, Rejections r) {
        JsonNode n = fence.get(field);
        if (n == null) {
            return r.none(path + "." + field, "missing");
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (Double.isFinite(d) && d >= -limit && d <= limit) {
                return d;
            }
        }
        return r.none(path + "." + field, "must be a number -" + limit + " … " + limit);
    }

    private static Integer intIn(JsonNode n, int min, int max) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            return null;
        }
        int v = n.intValue();
        return v >= min && v <= max ? v : null;
    }

    /** The JSON value of one setting of {@code c}, as reported. */
    static JsonNode settingJson(CollarConfig c, String setting) {
        return switch (setting) {
            case "telemetryIntervalS" -> IntNode.valueOf(c.telemetryIntervalS());
            case "gpsMode" -> TextNode.valueOf(c.gpsMode().jsonName());
            case "geofences" -> CollarConfig.geofencesJson(c.geofences());
            case "lostMode" -> BooleanNode.valueOf(c.lostMode());
            case "hrLimits" -> JsonNodeFactory.instance.objectNode().put("min", c.hrLimits().min())
                    .put("max", c.hrLimits().max());
            case "voiceUpload" -> TextNode.valueOf(c.voiceUpload().jsonName());
            case "keepAliveS" -> IntNode.valueOf(c.keepAliveS());
            case "rawCapture" -> c.rawCapture().toJson();
            default -> throw new IllegalArgumentException("unknown setting " + setting);
        };
    }

    /** Rejections in order, bounded, paths cut to {@value #MAX_PATH} characters. */
    private static final class Rejections {
        final Map<String, String> map = new LinkedHashMap<>();
        int dropped;

        void add(String path, String reason) {
            String key = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "…" : path;
            if (map.containsKey(key)) {
                return;
            }
            if (map.size() - (dropped > 0 ? 1 : 0) >= ConfigChange.MAX_REJECTIONS) {
                dropped++;
                map.put(ConfigChange.MORE_KEY, dropped + " more rejected");
                return;
            }
            map.put(key, reason);
        }

        <T> T none(String path, String reason) {
            add(path, reason);
            return null;
        }
    }
}
