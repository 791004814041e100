package com.pettysync.contract.frame;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.telemetry.TrailPoint;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSampleFormat;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import com.pettysync.contract.voice.VoiceCodec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The decoded JSON form of frames (wire contract v1 §3.1; events and voice parts in the same style), both
 * directions.
 *
 * <p>Output is one line, keys in wire order, absent sections absent, the trail as absolute points newest
 * first. Input is read strictly: it must be one JSON object of exactly this shape (an unknown or duplicate
 * field, a missing field, {@code null}, a fraction or a string where a number belongs are rejected), and the
 * result is validated by the type's codec. Every problem — including text that is not JSON — is one
 * {@link ContractViolation}; JSON-shape errors name JSON paths ({@code hr.min_bpm}), contract rules wire
 * paths ({@code hr[1]}).
 *
 * <pre>
 * telemetry: {"v":1,"seq","t0","dur",
 *             "hr":{"mean_bpm","min_bpm","max_bpm","rmssd_ms","quality_pct"},
 *             "act":{"steps","rest_s","walk_s","run_s","play_s","peak_mg"},
 *             "loc":{"lat_e7","lon_e7","hacc_dm","age_s","trail":[{"lat_e5","lon_e5","t"}, …]},
 *             "mood":{"mood":"relaxed|happy|anxious|angry|sad","conf_pct","barks","growls","whines","howls"},
 *             "dev":{"battery_pct","battery_mv","temp_dc","rssi_dbm","backlog","flags":["charging", …]},
 *             "fw":{"build","model"}}
 * event:     {"v":1,"eseq","t","type":"geofence_exit|…","data":{field name of the type: value, …}}
 * voice:     {"v":1,"clip_id","t0","sample_rate","codec":"pcm_s16le|ima_adpcm","duration_ms",
 *             "episode":{"class","conf_pct"},"part","parts","bytes":"base64"}
 * raw:       {"v":1,"capture_id","chunk","sensor":"ppg|imu","t0","rate_hz","format":"ppg_red_ir_u18|imu_mg_ddps_s16",
 *             "samples":"base64"}
 * </pre>
 */
public final class ContractJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ContractJson() {}

    // ------------------------------------------------------------------------------------------------ telemetry

    /** The decoded JSON form of {@code s}, one line. */
    public static String toJson(TelemetrySummary s) {
        return telemetryNode(s).toString();
    }

    /** The decoded JSON form of {@code s} as a Jackson tree. */
    public static ObjectNode telemetryNode(TelemetrySummary s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", TelemetrySummary.VERSION).put("seq", s.seq()).put("t0", s.t0()).put("dur", s.dur());
        if (s.hr() != null) {
            HeartRate h = s.hr();
            o.putObject("hr").put("mean_bpm", h.meanBpm()).put("min_bpm", h.minBpm()).put("max_bpm", h.maxBpm())
                    .put("rmssd_ms", h.rmssdMs()).put("quality_pct", h.qualityPct());
        }
        if (s.act() != null) {
            Activity a = s.act();
            o.putObject("act").put("steps", a.steps()).put("rest_s", a.restS()).put("walk_s", a.walkS())
                    .put("run_s", a.runS()).put("play_s", a.playS()).put("peak_mg", a.peakMg());
        }
        if (s.loc() != null) {
            Location l = s.loc();
            ObjectNode loc = o.putObject("loc").put("lat_e7", l.latE7()).put("lon_e7", l.lonE7())
                    .put("hacc_dm", l.haccDm()).put("age_s", l.ageS());
            ArrayNode trail = loc.putArray("trail");
            for (TrailPoint p : l.trail()) {
                trail.addObject().put("lat_e5", p.latE5()).put("lon_e5", p.lonE5()).put("t", p.t());
            }
        }
        if (s.mood() != null) {
            Mood m = s.mood();
            o.putObject("mood").put("mood", m.mood().jsonName()).put("conf_pct", m.confPct())
                    .put("barks", m.barks()).put("growls", m.growls()).put("whines", m.whines())
                    .put("howls", m.howls());
        }
        if (s.dev() != null) {
            DeviceStatus d = s.dev();
            ObjectNode dev = o.putObject("dev").put("battery_pct", d.batteryPct()).put("battery_mv", d.batteryMv())
                    .put("temp_dc", d.tempDc()).put("rssi_dbm", d.rssiDbm()).put("backlog", d.backlog());
            ArrayNode flags = dev.putArray("flags");
            for (DeviceStatus.Flag f : d.flags()) {
                flags.add(f.jsonName());
            }
        }
        if (s.fw() != null) {
            o.putObject("fw").put("build", s.fw().build()).put("model", s.fw().model());
        }
        return o;
    }

    /**
     * The validated summary of a decoded-form JSON text. The trail may be longer than a frame holds; {@link
     * TelemetryFrameCodec#encode} thins it.
     */
    public static TelemetrySummary parseTelemetry(String json) {
        Obj o = new Obj(parse(json), "");
        o.only("v", "seq", "t0", "dur", "hr", "act", "loc", "mood", "dev", "fw");
        o.version();
        TelemetrySummary s = TelemetrySummary.of(o.integer("seq"), o.integer("t0"), o.int32("dur"));
        Obj hr = o.section("hr", "mean_bpm", "min_bpm", "max_bpm", "rmssd_ms", "quality_pct");
        if (hr != null) {
            s = s.withHr(new HeartRate(hr.int32("mean_bpm"), hr.int32("min_bpm"), hr.int32("max_bpm"),
                    hr.int32("rmssd_ms"), hr.int32("quality_pct")));
        }
        Obj act = o.section("act", "steps", "rest_s", "walk_s", "run_s", "play_s", "peak_mg");
        if (act != null) {
            s = s.withAct(new Activity(act.integer("steps"), act.int32("rest_s"), act.int32("walk_s"),
                    act.int32("run_s"), act.int32("play_s"), act.int32("peak_mg")));
        }
        Obj loc = o.section("loc", "lat_e7", "lon_e7", "hacc_dm", "age_s", "trail");
        if (loc != null) {
            List<TrailPoint> trail = new ArrayList<>();
            JsonNode points = loc.get("trail");
            if (!points.isArray()) {
                throw shape("loc.trail", "must be an array", points);
            }
            for (int i = 0; i < points.size(); i++) {
                Obj p = new Obj(points.get(i), "loc.trail[" + i + "]");
                p.only("lat_e5", "lon_e5", "t");
                trail.add(new TrailPoint(p.int32("lat_e5"), p.int32("lon_e5"), p.integer("t")));
            }
            s = s.withLoc(new Location(loc.int32("lat_e7"), loc.int32("lon_e7"), loc.int32("hacc_dm"),
                    loc.int32("age_s"), trail));
        }
        Obj mood = o.section("mood", "mood", "conf_pct", "barks", "growls", "whines", "howls");
        if (mood != null) {
            s = s.withMood(new Mood(MoodClass.ofJsonName(mood.text("mood"), "mood.mood"), mood.int32("conf_pct"),
                    mood.int32("barks"), mood.int32("growls"), mood.int32("whines"), mood.int32("howls")));
        }
        Obj dev = o.section("dev", "battery_pct", "battery_mv", "temp_dc", "rssi_dbm", "backlog", "flags");
        if (dev != null) {
            JsonNode names = dev.get("flags");
            if (!names.isArray()) {
                throw shape("dev.flags", "must be an array of flag names", names);
            }
            Set<DeviceStatus.Flag> flags = EnumSet.noneOf(DeviceStatus.Flag.class);
            for (int i = 0; i < names.size(); i++) {
                String path = "dev.flags[" + i + "]";
                if (!names.get(i).isTextual()) {
                    throw shape(path, "must be a flag name", names.get(i));
                }
                if (!flags.add(DeviceStatus.Flag.ofJsonName(names.get(i).textValue(), path))) {
                    throw new ContractViolation(path, "duplicate flag");
                }
            }
            s = s.withDev(new DeviceStatus(dev.int32("battery_pct"), dev.int32("battery_mv"), dev.int32("temp_dc"),
                    dev.int32("rssi_dbm"), dev.integer("backlog"), flags));
        }
        Obj fw = o.section("fw", "build", "model");
        if (fw != null) {
            s = s.withFw(new Firmware(fw.integer("build"), fw.integer("model")));
        }
        return TelemetryFrameCodec.validate(s);
    }

    // ------------------------------------------------------------------------------------------------ events

    /** The decoded JSON form of {@code e}, one line. */
    public static String toJson(EventFrame e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", EventFrame.VERSION).put("eseq", e.eseq()).put("t", e.t()).put("type", e.type().jsonName());
        ObjectNode data = o.putObject("data");
        List<Field> fields = e.type().data();
        for (int i = 0; i < fields.size() && i < e.data().size(); i++) {
            data.put(fields.get(i).name(), e.data().get(i));
        }
        return o.toString();
    }

    /** The validated event of a decoded-form JSON text. */
    public static EventFrame parseEvent(String json) {
        Obj o = new Obj(parse(json), "");
        o.only("v", "eseq", "t", "type", "data");
        o.version();
        EventType type = EventType.ofJsonName(o.text("type"), "type");
        Obj data = new Obj(o.get("data"), "data");
        String[] names = type.data().stream().map(Field::name).toArray(String[]::new);
        data.only(names);
        List<Long> values = new ArrayList<>();
        for (String name : names) {
            values.add(data.integer(name));
        }
        return EventFrameCodec.validate(new EventFrame(o.integer("eseq"), o.integer("t"), type, values));
    }

    // ------------------------------------------------------------------------------------------------ voice

    /** The decoded JSON form of {@code p}, one line, audio bytes in base64. */
    public static String toJson(VoiceClipPart p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", VoiceClipPart.VERSION).put("clip_id", p.clipId()).put("t0", p.t0Ms())
                .put("sample_rate", p.sampleRate()).put("codec", p.codec().jsonName())
                .put("duration_ms", p.durationMs());
        o.putObject("episode").put("class", p.vocalClass()).put("conf_pct", p.confPct());
        o.put("part", p.part()).put("parts", p.parts()).put("bytes", Base64.getEncoder().encodeToString(p.bytes()));
        return o.toString();
    }

    /** The validated voice clip part of a decoded-form JSON text. */
    public static VoiceClipPart parseVoicePart(String json) {
        Obj o = new Obj(parse(json), "");
        o.only("v", "clip_id", "t0", "sample_rate", "codec", "duration_ms", "episode", "part", "parts", "bytes");
        o.version();
        Obj episode = new Obj(o.get("episode"), "episode");
        episode.only("class", "conf_pct");
        byte[] audio;
        try {
            audio = Base64.getDecoder().decode(o.text("bytes"));
        } catch (IllegalArgumentException e) {
            throw new ContractViolation("bytes", "must be base64");
        }
        return VoiceClipPartCodec.validate(new VoiceClipPart(o.integer("clip_id"), o.integer("t0"),
                o.integer("sample_rate"), VoiceCodec.ofJsonName(o.text("codec"), "codec"), o.int32("duration_ms"),
                episode.int32("class"), episode.int32("conf_pct"), o.integer("part"), o.integer("parts"), audio));
    }

    // ------------------------------------------------------------------------------------------------ raw

    /** The decoded JSON form of {@code c}, one line, samples in base64 (their layout: {@link RawSampleFormat}). */
    public static String toJson(RawChunk c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", RawChunk.VERSION).put("capture_id", c.captureId()).put("chunk", c.chunk())
                .put("sensor", c.sensor().jsonName()).put("t0", c.t0Ms()).put("rate_hz", c.rateHz())
                .put("format", c.format().jsonName()).put("samples", Base64.getEncoder().encodeToString(c.samples()));
        return o.toString();
    }

    /** The validated raw-capture chunk of a decoded-form JSON text. */
    public static RawChunk parseRawChunk(String json) {
        Obj o = new Obj(parse(json), "");
        o.only("v", "capture_id", "chunk", "sensor", "t0", "rate_hz", "format", "samples");
        o.version();
        RawSensor sensor = RawSensor.ofJsonName(o.text("sensor"));
        if (sensor == null) {
            throw new ContractViolation("sensor", "sensor must be ppg or imu");
        }
        byte[] samples;
        try {
            samples = Base64.getDecoder().decode(o.text("samples"));
        } catch (IllegalArgumentException e) {
            throw new ContractViolation("samples", "must be base64");
        }
        return RawChunkCodec.validate(new RawChunk(o.integer("capture_id"), o.integer("chunk"), sensor,
                o.integer("t0"), o.int32("rate_hz"), RawSampleFormat.ofJsonName(o.text("format"), "format"),
                samples));
    }

    // ------------------------------------------------------------------------------------------------ reading

    private static JsonNode parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new ContractViolation("json", "not JSON: empty input");
            }
            return node;
        } catch (JacksonException e) {
            throw new ContractViolation("json", "not JSON: " + e.getOriginalMessage());
        }
    }

    private static ContractViolation shape(String path, String rule, JsonNode found) {
        if (found.isNull()) {
            return new ContractViolation(path, "must not be null (absent = no data)");
        }
        return new ContractViolation(path, rule + ", not " + found.getNodeType().name().toLowerCase());
    }

    /** A JSON object being read, with its path. */
    private static final class Obj {
        private final JsonNode node;
        private final String path;

        Obj(JsonNode node, String path) {
            if (!node.isObject()) {
                throw shape(path.isEmpty() ? "json" : path, "must be an object", node);
            }
            this.node = node;
            this.path = path;
        }

        String at(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        /** Rejects fields other than {@code names}. */
        void only(String... names) {
            Set<String> allowed = Set.of(names);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name)) {
                    throw new ContractViolation(at(name), "unknown field");
                }
            }
        }

        JsonNode get(String name) {
            JsonNode v = node.get(name);
            if (v == null) {
                throw new ContractViolation(at(name), "missing");
            }
            return v;
        }

        void version() {
            if (integer("v") != 1) {
                throw new ContractViolation("v", "v must be 1");
            }
        }

        /** The object in optional field {@code name} (null when absent), with exactly {@code fields}. */
        Obj section(String name, String... fields) {
            JsonNode v = node.get(name);
            if (v == null) {
                return null;
            }
            Obj o = new Obj(v, at(name));
            o.only(fields);
            return o;
        }

        long integer(String name) {
            JsonNode v = get(name);
            if (!v.isIntegralNumber()) {
                throw shape(at(name), "must be an integer", v);
            }
            if (!v.canConvertToLong()) {
                throw new ContractViolation(at(name), "out of range");
            }
            return v.longValue();
        }

        int int32(String name) {
            long v = integer(name);
            if (v != (int) v) {
                throw new ContractViolation(at(name), "out of range");
            }
            return (int) v;
        }

        String text(String name) {
            JsonNode v = get(name);
            if (v.getNodeType() != JsonNodeType.STRING) {
                throw shape(at(name), "must be a string", v);
            }
            return v.textValue();
        }
    }
}
