package com.pettysync.contract.shadow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The JSON documents of an AWS IoT named shadow as the collar sees them, read and written
 * (https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-document.html).
 *
 * <pre>
 * update/delta message:            {"state":{setting: value, …}, "metadata":{…}, "version":N, "timestamp":T,
 *                                   "clientToken":"…"}
 * get/accepted, update/accepted:   {"state":{"desired":{…}, "reported":{…}, "delta":{…}}, "metadata":{…},
 *                                   "version":N, "timestamp":T, "clientToken":"…"}
 * update request (collar → cloud): {"state":{"reported":{setting: value, …, "rejected":{path: reason}|null}},
 *                                   "clientToken":"…"}
 * </pre>
 *
 * A parsed document keeps {@code state} as a JSON tree; {@link ConfigDelta} turns it into settings. Reading
 * never throws anything but {@link ShadowDocumentException}; {@code metadata} and unknown top-level fields are
 * ignored, as AWS may add some.
 *
 * @param state the {@code state} object
 * @param version the document version, if present
 * @param timestamp the document timestamp (Unix seconds), if present
 * @param clientToken the client token, if present
 */
public record ShadowDocument(ObjectNode state, OptionalLong version, OptionalLong timestamp,
        Optional<String> clientToken) {
    /** Largest document read, in bytes (AWS limits a shadow's desired or reported section to 8 KB). */
    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    /** A document of this shape could not be read. */
    public static final class ShadowDocumentException extends Exception {
        private static final long serialVersionUID = 1L;

        public ShadowDocumentException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads a shadow message.
     *
     * @throws ShadowDocumentException if it is not one JSON object with an object {@code state}, is over
     *     {@value #MAX_DOCUMENT_BYTES} bytes, or has a non-integer version or timestamp or a non-string clientToken
     */
    public static ShadowDocument parse(String json) throws ShadowDocumentException {
        if (json == null) {
            throw new ShadowDocumentException("no document");
        }
        if (json.length() > MAX_DOCUMENT_BYTES
                || json.getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
            throw new ShadowDocumentException("document larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JsonTrees.read(json); // strict: duplicate fields and trailing content are errors
        } catch (JacksonException e) {
            throw new ShadowDocumentException("not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ShadowDocumentException("not a JSON object");
        }
        JsonNode state = root.get("state");
        if (state == null || !state.isObject()) {
            throw new ShadowDocumentException("state: missing or not an object");
        }
        return new ShadowDocument((ObjectNode) state, optionalLong(root, "version"), optionalLong(root, "timestamp"),
                optionalString(root, "clientToken"));
    }

    /** {@code state.desired}, if present and an object (in a get/accepted or update/accepted document). */
    public Optional<ObjectNode> desired() {
        return section("desired");
    }

    /** {@code state.reported}, if present and an object. */
    public Optional<ObjectNode> reported() {
        return section("reported");
    }

    /** {@code state.delta}, if present and an object. */
    public Optional<ObjectNode> delta() {
        return section("delta");
    }

    private Optional<ObjectNode> section(String name) {
        JsonNode n = state.get(name);
        return n != null && n.isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
    }

    /**
     * The update request a collar publishes on {@code …/shadow/name/config/update} after applying settings: every
     * setting of {@code config} under {@code state.reported}, and {@code reported.rejected} listing
     * {@code rejectedNow}. AWS merges a reported update into the stored one, so a rejection reported earlier stays
     * until removed: keys in {@code rejectedBefore} that are not rejected now are sent as {@code null} (which
     * deletes them); when nothing is rejected now, {@code rejected} itself is sent as {@code null}.
     *
     * @param clientToken echoed by AWS in the reply, or {@code null} for none (AWS allows at most 64 bytes)
     */
    public static String reportedUpdate(CollarConfig config, Map<String, String> rejectedNow,
            Set<String> rejectedBefore, String clientToken) {
        ObjectNode root = JsonTrees.object();
        ObjectNode reported = root.putObject("state").putObject("reported");
        reported.setAll(config.toJson());
        if (rejectedNow.isEmpty()) {
            reported.putNull("rejected");
        } else {
            ObjectNode rejected = reported.putObject("rejected");
            for (String key : rejectedBefore) {
                if (!rejectedNow.containsKey(key)) {
                    rejected.putNull(key);
                }
            }
            rejectedNow.forEach(rejected::put);
        }
        if (clientToken != null) {
            root.put("clientToken", clientToken);
        }
        return JsonTrees.string(root);
    }

    /**
     * The update request that sets {@code desired} (e.g. {@link CollarConfig#toJson()}) as the desired state: what
     * the cloud or the simulator sends.
     */
    public static String desiredUpdate(ObjectNode desired, String clientToken) {
        ObjectNode root = JsonTrees.object();
        root.putObject("state").set("desired", desired.deepCopy());
        if (clientToken != null) {
            root.put("clientToken", clientToken);
        }
        return JsonTrees.string(root);
    }

    /** The payload of a get request: {@code {"clientToken":"…"}}, or {@code {}} without a token. */
    public static String getRequest(String clientToken) {
        ObjectNode root = JsonTrees.object();
        if (clientToken != null) {
            root.put("clientToken", clientToken);
        }
        return JsonTrees.string(root);
    }

    private static OptionalLong optionalLong(JsonNode root, String field) throws ShadowDocumentException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return OptionalLong.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ShadowDocumentException(field + ": must be an integer");
        }
        return OptionalLong.of(n.longValue());
    }

    private static Optional<String> optionalString(JsonNode root, String field) throws ShadowDocumentException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new ShadowDocumentException(field + ": must be a string");
        }
        return Optional.of(n.textValue());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
