package com.pettysync.simulator.cloud.shadow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Device Shadow service of the local AWS IoT Core: named (and classic) shadows with AWS's MQTT message shapes
 * (https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-mqtt.html,
 * https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-document.html,
 * https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-error-messages.html).
 *
 * <pre>
 * request                      replies (topic = request topic + suffix)
 * …/get     {clientToken?}     /get/accepted  {state:{desired,reported,delta}, metadata, version, timestamp, clientToken}
 *                              /get/rejected  {code:404, message, timestamp, clientToken}
 * …/update  {state:{desired?,reported?}, version?, clientToken?}
 *                              /update/accepted  {state (as requested), metadata (of the request), version, timestamp, clientToken}
 *                              /update/documents {previous?, current, timestamp, clientToken}
 *                              /update/delta     {state: delta, metadata, version, timestamp, clientToken} (when desired ≠ reported)
 *                              /update/rejected  {code:400|409, message, timestamp, clientToken}
 * …/delete  {clientToken?}     /delete/accepted {version, timestamp, clientToken}; /delete/rejected 404
 * </pre>
 *
 * Semantics: a {@code null} value deletes that key (a {@code null} section deletes the whole section); objects
 * merge, arrays and scalars replace; every accepted update increments the version by one; an update carrying a
 * {@code version} different from the current one is rejected with 409 "Version conflict"; the delta holds every
 * desired key whose value differs from reported (recursively). A shadow created again within 48 hours of its
 * deletion continues the old version numbers, after that it starts again (as AWS documents). Timestamps are epoch
 * seconds from the injected clock.
 *
 * <p>Thread-safe (one lock); no I/O. Failure model: any request payload — not JSON, not an object, wrong types —
 * yields a {@code rejected} reply and changes nothing; no input throws.
 */
public final class ShadowService {
    /** AWS's maximum size of a shadow state document (named and classic): 8 KB without metadata. */
    public static final int MAX_STATE_BYTES = 8 * 1024;
    private static final Duration VERSION_MEMORY = Duration.ofHours(48);

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Clock clock;
    private final Map<String, Shadow> shadows = new HashMap<>();

    public ShadowService(Clock clock) {
        this.clock = clock;
    }

    private static final class Shadow {
        ObjectNode desired;
        ObjectNode reported;
        ObjectNode desiredMeta;
        ObjectNode reportedMeta;
        long version;
        boolean exists;
        Instant deletedAt;
    }

    /**
     * Handles one request published by a client on {@code base + "/" + operation}; {@code base} is
     * {@code $aws/things/{thing}/shadow/name/{shadow}} (or {@code $aws/things/{thing}/shadow} for the classic one).
     * Returns the messages to publish (possibly none for an unknown operation).
     */
    public synchronized List<Outbound> handle(String base, String operation, byte[] payload) {
        long now = clock.instant().getEpochSecond();
        JsonNode request;
        String token = null;
        try {
            request = payload.length == 0 ? nodes.objectNode() : json.readTree(payload);
        } catch (java.io.IOException e) {
            request = null;
        }
        if (request != null && request.isObject() && request.get("clientToken") != null) {
            JsonNode t = request.get("clientToken");
            token = t.isTextual() ? t.asText() : null;
        }
        return switch (operation) {
            case "get" -> get(base, request, token, now);
            case "update" -> update(base, request, token, now);
            case "delete" -> delete(base, request, token, now);
            default -> List.of();
        };
    }

    /** The full current document of {@code base} as {@code get/accepted} would return it, if it exists. */
    public synchronized Optional<ObjectNode> document(String base) {
        Shadow s = shadows.get(base);
        if (s == null || !s.exists) {
            return Optional.empty();
        }
        return Optional.of(fullDocument(s, clock.instant().getEpochSecond(), null, true));
    }

    private List<Outbound> get(String base, JsonNode request, String token, long now) {
        if (request == null || !request.isObject()) {
            return List.of(rejected(base + "/get/rejected", 400, "Invalid JSON", token, now));
        }
        Shadow s = shadows.get(base);
        if (s == null || !s.exists) {
            return List.of(rejected(base + "/get/rejected", 404, "No shadow exists with name: '" + name(base) + "'",
                    token, now));
        }
        return List.of(Outbound.json(base + "/get/accepted", write(fullDocument(s, now, token, true))));
    }

    private List<Outbound> delete(String base, JsonNode request, String token, long now) {
        if (request == null || !request.isObject()) {
            return List.of(rejected(base + "/delete/rejected", 400, "Invalid JSON", token, now));
        }
        Shadow s = shadows.get(base);
        if (s == null || !s.exists) {
            return List.of(rejected(base + "/delete/rejected", 404,
                    "No shadow exists with name: '" + name(base) + "'", token, now));
        }
        JsonNode v = request.get("version");
        if (v != null && !(v.isIntegralNumber() && v.asLong() == s.version)) {
            return List.of(rejected(base + "/delete/rejected", 409, "Version conflict", token, now));
        }
        s.exists = false;
        s.deletedAt = clock.instant();
        s.desired = s.reported = s.desiredMeta = s.reportedMeta = null;
        ObjectNode reply = nodes.objectNode();
        reply.put("version", s.version);
        reply.put("timestamp", now);
        if (token != null) {
            reply.put("clientToken", token);
        }
        return List.of(Outbound.json(base + "/delete/accepted", write(reply)));
    }

    private List<Outbound> update(String base, JsonNode request, String token, long now) {
        String rejectedTopic = base + "/update/rejected";
        if (request == null || !request.isObject()) {
            return List.of(rejected(rejectedTopic, 400, "Invalid JSON", token, now));
        }
        if (request.get("clientToken") != null && token == null) {
            return List.of(rejected(rejectedTopic, 400, "Invalid clientToken", null, now));
        }
        JsonNode state = request.get("state");
        if (state == null) {
            return List.of(rejected(rejectedTopic, 400, "Missing required node: state", token, now));
        }
        if (!state.isObject()) {
            return List.of(rejected(rejectedTopic, 400, "State node must be an object", token, now));
        }
        for (Iterator<String> it = state.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("desired") && !f.equals("reported")) {
                return List.of(rejected(rejectedTopic, 400, "Unexpected field " + f + " in state", token, now));
            }
            JsonNode section = state.get(f);
            if (!section.isObject() && !section.isNull()) {
                return List.of(rejected(rejectedTopic, 400, f + " node must be an object", token, now));
            }
        }
        if (state.toString().getBytes(StandardCharsets.UTF_8).length > MAX_STATE_BYTES) {
            return List.of(rejected(rejectedTopic, 413, "The payload exceeds the maximum size allowed", token, now));
        }
        Shadow s = shadows.computeIfAbsent(base, k -> new Shadow());
        if (!s.exists && s.deletedAt != null && clock.instant().isAfter(s.deletedAt.plus(VERSION_MEMORY))) {
            s.version = 0;
        }
        JsonNode v = request.get("version");
        if (v != null && !v.isNull()) {
            if (!v.isIntegralNumber()) {
                return List.of(rejected(rejectedTopic, 400, "Invalid version", token, now));
            }
            if (!s.exists || v.asLong() != s.version) {
                return List.of(rejected(rejectedTopic, 409, "Version conflict", token, now));
            }
        }
        ObjectNode previous = s.exists ? fullDocument(s, now, null, false) : null;
        if (!s.exists) {
            s.exists = true;
            s.deletedAt = null;
        }
        ObjectNode requestMeta = nodes.objectNode();
        JsonNode desired = state.get("desired");
        JsonNode reported = state.get("reported");
        if (desired != null) {
            if (desired.isNull()) {
                s.desired = null;
                s.desiredMeta = null;
                requestMeta.set("desired", nodes.nullNode());
            } else {
                if (s.desired == null) {
                    s.desired = nodes.objectNode();
                    s.desiredMeta = nodes.objectNode();
                }
                merge(s.desired, s.desiredMeta, (ObjectNode) desired, now);
                requestMeta.set("desired", metadataOf(desired, now));
            }
        }
        if (reported != null) {
            if (reported.isNull()) {
                s.reported = null;
                s.reportedMeta = null;
                requestMeta.set("reported", nodes.nullNode());
            } else {
                if (s.reported == null) {
                    s.reported = nodes.objectNode();
                    s.reportedMeta = nodes.objectNode();
                }
                merge(s.reported, s.reportedMeta, (ObjectNode) reported, now);
                requestMeta.set("reported", metadataOf(reported, now));
            }
        }
        s.version++;
        List<Outbound> out = new ArrayList<>();
        ObjectNode accepted = nodes.objectNode();
        accepted.set("state", state.deepCopy());
        accepted.set("metadata", requestMeta);
        accepted.put("version", s.version);
        accepted.put("timestamp", now);
        if (token != null) {
            accepted.put("clientToken", token);
        }
        out.add(Outbound.json(base + "/update/accepted", write(accepted)));
        ObjectNode documents = nodes.objectNode();
        if (previous != null) {
            documents.set("previous", previous);
        }
        documents.set("current", fullDocument(s, now, null, false));
        documents.put("timestamp", now);
        if (token != null) {
            documents.put("clientToken", token);
        }
        out.add(Outbound.json(base + "/update/documents", write(documents)));
        if (desired != null && !desired.isNull()) {
            ObjectNode delta = delta(s.desired, s.reported);
            if (!delta.isEmpty()) {
                ObjectNode msg = nodes.objectNode();
                msg.put("version", s.version);
                msg.put("timestamp", now);
                msg.set("state", delta);
                msg.set("metadata", deltaMetadata(delta, s.desiredMeta));
                if (token != null) {
                    msg.put("clientToken", token);
                }
                out.add(Outbound.json(base + "/update/delta", write(msg)));
            }
        }
        return out;
    }

    private ObjectNode fullDocument(Shadow s, long now, String token, boolean withDelta) {
        ObjectNode doc = nodes.objectNode();
        ObjectNode state = doc.putObject("state");
        ObjectNode meta = nodes.objectNode();
        if (s.desired != null) {
            state.set("desired", s.desired.deepCopy());
            meta.set("desired", s.desiredMeta.deepCopy());
        }
        if (s.reported != null) {
            state.set("reported", s.reported.deepCopy());
            meta.set("reported", s.reportedMeta.deepCopy());
        }
        if (withDelta && s.desired != null) {
            ObjectNode delta = delta(s.desired, s.reported);
            if (!delta.isEmpty()) {
                state.set("delta", delta);
            }
        }
        doc.set("metadata", meta);
        doc.put("version", s.version);
        doc.put("timestamp", now);
        if (token != null) {
            doc.put("clientToken", token);
        }
        return doc;
    }

    /** Merges {@code patch} into {@code target}: null deletes, objects recurse, anything else replaces. */
    private void merge(ObjectNode target, ObjectNode meta, ObjectNode patch, long now) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(key);
                meta.remove(key);
            } else if (value.isObject()) {
                JsonNode existing = target.get(key);
                if (!(existing instanceof ObjectNode)) {
                    existing = nodes.objectNode();
                    target.set(key, existing);
                    meta.set(key, nodes.objectNode());
                }
                JsonNode m = meta.get(key);
                if (!(m instanceof ObjectNode)) {
                    m = nodes.objectNode();
                    meta.set(key, m);
                }
                merge((ObjectNode) existing, (ObjectNode) m, (ObjectNode) value, now);
            } else {
                target.set(key, value.deepCopy());
                meta.set(key, leafMeta(value, now));
            }
        }
    }

    private JsonNode metadataOf(JsonNode value, long now) {
        if (value.isObject()) {
            ObjectNode m = nodes.objectNode();
            value.fields().forEachRemaining(e -> m.set(e.getKey(), metadataOf(e.getValue(), now)));
            return m;
        }
        return leafMeta(value, now);
    }

    private JsonNode leafMeta(JsonNode value, long now) {
        if (value.isArray()) {
            var arr = nodes.arrayNode();
            for (JsonNode element : value) {
                arr.add(element.isObject() || element.isArray() ? metadataOf(element, now) : timestamp(now));
            }
            return arr;
        }
        return timestamp(now);
    }

    private ObjectNode timestamp(long now) {
        ObjectNode t = nodes.objectNode();
        t.put("timestamp", now);
        return t;
    }

    /** Desired keys whose value differs from reported; objects compared recursively. */
    static ObjectNode delta(ObjectNode desired, ObjectNode reported) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (desired == null) {
            return out;
        }
        desired.fields().forEachRemaining(e -> {
            JsonNode r = reported == null ? null : reported.get(e.getKey());
            JsonNode d = e.getValue();
            if (d.isObject() && r != null && r.isObject()) {
                ObjectNode sub = delta((ObjectNode) d, (ObjectNode) r);
                if (!sub.isEmpty()) {
                    out.set(e.getKey(), sub);
                }
            } else if (r == null || !r.equals(d)) {
                out.set(e.getKey(), d.deepCopy());
            }
        });
        return out;
    }

    private JsonNode deltaMetadata(JsonNode delta, JsonNode meta) {
        if (delta.isObject() && meta != null && meta.isObject()) {
            ObjectNode m = nodes.objectNode();
            delta.fields().forEachRemaining(e -> {
                JsonNode sub = meta.get(e.getKey());
                if (sub != null) {
                    m.set(e.getKey(), deltaMetadata(e.getValue(), sub));
                }
            });
            return m;
        }
        return meta == null ? nodes.nullNode() : meta.deepCopy();
    }

    private Outbound rejected(String topic, int code, String message, String token, long now) {
        ObjectNode r = nodes.objectNode();
        r.put("code", code);
        r.put("message", message);
        r.put("timestamp", now);
        if (token != null) {
            r.put("clientToken", token);
        }
        return Outbound.json(topic, write(r));
    }

    private static String name(String base) {
        int i = base.indexOf("/shadow/name/");
        return i < 0 ? base.split("/")[2] : base.substring(i + "/shadow/name/".length());
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }
}
