package com.pettysync.contract.shadow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A collar's settings: the {@code desired} (and, once applied, {@code reported}) state of its named shadow
 * {@code config} (wire contract §6). Immutable; every instance is valid.
 *
 * <pre>
 * setting             JSON                                        rule
 * telemetryIntervalS  integer                                     60 … 3600 s (the telemetry window, §3 dur)
 * gpsMode             "off" | "eco" | "normal" | "live"
 * geofences           [{"id","lat","lon","radiusM"}, …]           ≤ 8, see {@link Geofence}; ids unique
 * lostMode            true | false                                live fixes every 10 s as events until cleared
 * hrLimits            {"min","max"}                               20 … 400 bpm, min &lt; max, see {@link HrLimits}
 * voiceUpload         "off" | "episodes"
 * keepAliveS          integer                                     30 … 1200 s (MQTT keep-alive, §1)
 * rawCapture          {"sensors":["ppg","imu"],"untilUnix":N}     see {@link RawCapture} (§9)
 * </pre>
 *
 * Defaults ({@link #DEFAULTS}) are what a collar runs with before its first shadow sync: a 300 s window, GNSS
 * {@code normal}, no geofences, lost mode off, alerts below 40 or above 220 bpm, voice episodes uploaded, and the
 * 1200 s keep-alive of §1, no raw capture.
 *
 * @param telemetryIntervalS telemetry window, seconds
 * @param gpsMode GNSS mode
 * @param geofences fences, at most 8, unique ids
 * @param lostMode lost mode on
 * @param hrLimits heart-rate alert limits
 * @param voiceUpload voice clip upload
 * @param keepAliveS MQTT keep-alive, seconds
 * @param rawCapture raw-capture request
 */
public record CollarConfig(int telemetryIntervalS, GpsMode gpsMode, List<Geofence> geofences, boolean lostMode,
        HrLimits hrLimits, VoiceUpload voiceUpload, int keepAliveS, RawCapture rawCapture) {
    public static final int MIN_TELEMETRY_INTERVAL_S = 60;
    public static final int MAX_TELEMETRY_INTERVAL_S = 3600;
    public static final int MAX_GEOFENCES = 8;
    public static final int MIN_KEEP_ALIVE_S = 30;
    public static final int MAX_KEEP_ALIVE_S = 1200;

    /** The settings a collar starts with. */
    public static final CollarConfig DEFAULTS = new CollarConfig(300, GpsMode.NORMAL, List.of(), false,
            new HrLimits(40, 220), VoiceUpload.EPISODES, 1200, RawCapture.OFF);

    /** @throws IllegalArgumentException if a setting breaks its rule */
    public CollarConfig {
        Objects.requireNonNull(gpsMode, "gpsMode");
        Objects.requireNonNull(hrLimits, "hrLimits");
        Objects.requireNonNull(voiceUpload, "voiceUpload");
        Objects.requireNonNull(rawCapture, "rawCapture");
        geofences = List.copyOf(geofences);
        if (telemetryIntervalS < MIN_TELEMETRY_INTERVAL_S || telemetryIntervalS > MAX_TELEMETRY_INTERVAL_S) {
            throw new IllegalArgumentException("telemetryIntervalS must be " + MIN_TELEMETRY_INTERVAL_S + " … "
                    + MAX_TELEMETRY_INTERVAL_S + ", got " + telemetryIntervalS);
        }
        if (keepAliveS < MIN_KEEP_ALIVE_S || keepAliveS > MAX_KEEP_ALIVE_S) {
            throw new IllegalArgumentException("keepAliveS must be " + MIN_KEEP_ALIVE_S + " … " + MAX_KEEP_ALIVE_S
                    + ", got " + keepAliveS);
        }
        if (geofences.size() > MAX_GEOFENCES) {
            throw new IllegalArgumentException("at most " + MAX_GEOFENCES + " geofences, got " + geofences.size());
        }
        Set<Integer> ids = new HashSet<>();
        for (Geofence g : geofences) {
            if (!ids.add(g.id())) {
                throw new IllegalArgumentException("duplicate geofence id " + g.id());
            }
        }
    }

    public CollarConfig withTelemetryIntervalS(int v) {
        return new CollarConfig(v, gpsMode, geofences, lostMode, hrLimits, voiceUpload, keepAliveS, rawCapture);
    }

    public CollarConfig withGpsMode(GpsMode v) {
        return new CollarConfig(telemetryIntervalS, v, geofences, lostMode,
                hrLimits, voiceUpload, keepAliveS, rawCapture);
    }

    public CollarConfig withGeofences(List<Geofence> v) {
        return new CollarConfig(telemetryIntervalS, gpsMode, v, lostMode,
                hrLimits, voiceUpload, keepAliveS, rawCapture);
    }

    public CollarConfig withLostMode(boolean v) {
        return new CollarConfig(telemetryIntervalS, gpsMode, geofences, v,
                hrLimits, voiceUpload, keepAliveS, rawCapture);
    }

    public CollarConfig withHrLimits(HrLimits v) {
        return new CollarConfig(telemetryIntervalS, gpsMode, geofences, lostMode,
                v, voiceUpload, keepAliveS, rawCapture);
    }

    public CollarConfig withVoiceUpload(VoiceUpload v) {
        return new CollarConfig(telemetryIntervalS, gpsMode, geofences, lostMode, hrLimits, v, keepAliveS, rawCapture);
    }

    public CollarConfig withKeepAliveS(int v) {
        return new CollarConfig(telemetryIntervalS, gpsMode, geofences, lostMode, hrLimits, voiceUpload, v, rawCapture);
    }

    public CollarConfig withRawCapture(RawCapture v) {
        return new CollarConfig(telemetryIntervalS, gpsMode, geofences, lostMode, hrLimits, voiceUpload, keepAliveS, v);
    }

    /** All settings as a shadow state object (the shape of {@code desired} / {@code reported}), keys in table order. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String setting : ConfigDelta.SETTINGS) {
            o.set(setting, ConfigDelta.settingJson(this, setting));
        }
        return o;
    }

    /**
     * The config written by {@link #toJson()} (for example kept on the collar's disk): every setting given is
     * applied over {@link #DEFAULTS} with the rules of {@link ConfigDelta}.
     *
     * @throws IllegalArgumentException naming every rejected path and reason, if any setting is invalid
     */
    public static CollarConfig fromJson(com.fasterxml.jackson.databind.JsonNode settings) {
        ConfigChange change = ConfigDelta.apply(DEFAULTS, settings);
        if (change.hasRejections()) {
            throw new IllegalArgumentException("invalid collar config: " + change.rejected());
        }
        return change.config();
    }

    static ArrayNode geofencesJson(List<Geofence> fences) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Geofence g : fences) {
            a.addObject().put("id", g.id()).put("lat", g.lat()).put("lon", g.lon()).put("radiusM", g.radiusM());
        }
        return a;
    }
}
