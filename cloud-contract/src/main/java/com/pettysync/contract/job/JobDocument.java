package com.pettysync.contract.job;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The job document of a firmware or model update (wire contract §7), validated.
 *
 * <pre>
 * {"operation": "firmware-update" | "model-update",   required
 *  "version": uint,                                   required, 0 … 2^63−1: the new build / model version
 *  "url": "https://…",                                required, absolute https URL with a host, ≤ 2048 chars
 *  "size": uint,                                      required, 1 … 2^63−1 bytes of the artifact
 *  "sha256": hex,                                     required, 64 hex digits (any case; kept lowercase)
 *  "signature": base64,                               required, DER ECDSA P-256 signature, see {@link JobSignature}
 *  "minBatteryPct": uint}                             optional, 0 … 100
 * </pre>
 *
 * Unknown fields are rejected (a misspelt {@code minBatteryPct} must not pass silently). Parsing never throws
 * anything but {@link JobDocumentException}, whose field and reason go into the job's {@code statusDetails} when
 * the collar rejects it. Whether the collar <em>accepts</em> a valid document is {@link JobDocumentCheck}'s
 * decision.
 *
 * @param operation what to update
 * @param version the new version
 * @param url where to download the artifact
 * @param size artifact size, bytes
 * @param sha256 artifact SHA-256, 64 lowercase hex digits
 * @param signature base64 DER signature over the SHA-256 (see {@link JobSignature})
 * @param minBatteryPct battery the collar needs to start, if set
 */
public record JobDocument(JobOperation operation, long version, URI url, long size, String sha256,
        String signature, OptionalInt minBatteryPct) {
    /** Largest document read, in bytes (AWS IoT job documents are at most 32 KB). */
    public static final int MAX_DOCUMENT_CHARS = 32 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<String> FIELDS = Set.of("operation", "version", "url", "size", "sha256", "signature",
            "minBatteryPct");

    /** @throws IllegalArgumentException if a value breaks its rule (use {@link #parse} for untrusted input) */
    public JobDocument {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(minBatteryPct, "minBatteryPct");
        try {
            checkVersion(version);
            checkUrl(url.toString());
            checkSize(size);
            sha256 = checkSha256(sha256);
            checkSignature(signature);
            if (minBatteryPct.isPresent()) {
                checkBattery(minBatteryPct.getAsInt());
            }
        } catch (JobDocumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Reads and validates a job document.
     *
     * @throws JobDocumentException naming the first offending field and its rule
     */
    public static JobDocument parse(String json) throws JobDocumentException {
        if (json == null || json.length() > MAX_DOCUMENT_CHARS) {
            throw new JobDocumentException("document", "missing or larger than " + MAX_DOCUMENT_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new JobDocumentException("document", "not valid JSON");
        }
        return fromJson(root);
    }

    /**
     * Validates a job document already read as a JSON tree (for example the {@code jobDocument} of an AWS IoT Jobs
     * message).
     *
     * @throws JobDocumentException naming the first offending field and its rule
     */
    public static JobDocument fromJson(JsonNode root) throws JobDocumentException {
        if (root == null || !root.isObject()) {
            throw new JobDocumentException("document", "must be a JSON object");
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!FIELDS.contains(e.getKey())) {
                String name = e.getKey().length() > 40 ? e.getKey().substring(0, 40) + "…" : e.getKey();
                throw new JobDocumentException(name, "unknown field");
            }
            seen.add(e.getKey());
        }
        JsonNode op = required(root, "operation");
        if (!op.isTextual()) {
            throw new JobDocumentException("operation", "must be a string");
        }
        JobOperation operation = JobOperation.fromJson(op.textValue());
        if (operation == null) {
            String shown = op.textValue().length() > 40 ? op.textValue().substring(0, 40) + "…" : op.textValue();
            throw new JobDocumentException("operation", "unknown operation '" + shown
                    + "' (expected firmware-update or model-update)");
        }
        long version = checkVersion(uint(required(root, "version"), "version"));
        JsonNode urlNode = required(root, "url");
        if (!urlNode.isTextual()) {
            throw new JobDocumentException("url", "must be a string");
        }
        URI url = checkUrl(urlNode.textValue());
        long size = checkSize(uint(required(root, "size"), "size"));
        JsonNode sha = required(root, "sha256");
        if (!sha.isTextual()) {
            throw new JobDocumentException("sha256", "must be a string");
        }
        String sha256 = checkSha256(sha.textValue());
        JsonNode sig = root.get("signature");
        if (sig == null || sig.isNull() || (sig.isTextual() && sig.textValue().isEmpty())) {
            throw new JobDocumentException("signature", "missing: the artifact is unsigned");
        }
        if (!sig.isTextual()) {
            throw new JobDocumentException("signature", "must be a base64 string");
        }
        checkSignature(sig.textValue());
        OptionalInt battery = OptionalInt.empty();
        if (seen.contains("minBatteryPct")) {
            long b = uint(root.get("minBatteryPct"), "minBatteryPct");
            battery = OptionalInt.of(checkBattery(b));
        }
        return new JobDocument(operation, version, url, size, sha256, sig.textValue(), battery);
    }

    /** The document as JSON, one line, fields in the order of §7. */
    public String toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("operation", operation.jsonName()).put("version", version).put("url", url.toString())
                .put("size", size).put("sha256", sha256).put("signature", signature);
        minBatteryPct.ifPresent(b -> o.put("minBatteryPct", b));
        return o.toString();
    }

    /** The 32 bytes of {@link #sha256()}. */
    public byte[] sha256Bytes() {
        return HexFormat.of().parseHex(sha256);
    }

    /** The DER bytes of {@link #signature()}. */
    public byte[] signatureBytes() {
        return Base64.getDecoder().decode(signature);
    }

    private static JsonNode required(JsonNode root, String field) throws JobDocumentException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new JobDocumentException(field, "missing");
        }
        return n;
    }

    private static long uint(JsonNode n, String field) throws JobDocumentException {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new JobDocumentException(field, "must be an unsigned integer");
        }
        return n.longValue();
    }

    private static long checkVersion(long version) throws JobDocumentException {
        if (version < 0) {
            throw new JobDocumentException("version", "must be an unsigned integer");
        }
        return version;
    }

    private static long checkSize(long size) throws JobDocumentException {
        if (size < 1) {
            throw new JobDocumentException("size", "must be at least 1 byte");
        }
        return size;
    }

    private static int checkBattery(long pct) throws JobDocumentException {
        if (pct < 0 || pct > 100) {
            throw new JobDocumentException("minBatteryPct", "must be 0 … 100");
        }
        return (int) pct;
    }

    private static URI checkUrl(String text) throws JobDocumentException {
        if (text == null || text.length() > 2048) {
            throw new JobDocumentException("url", "must be an https URL of at most 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new JobDocumentException("url", "not a valid URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            throw new JobDocumentException("url", "must use https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new JobDocumentException("url", "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new JobDocumentException("url", "must not carry user info");
        }
        return uri;
    }

    private static String checkSha256(String hex) throws JobDocumentException {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new JobDocumentException("sha256", "must be 64 hex digits");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static void checkSignature(String b64) throws JobDocumentException {
        if (b64 == null || b64.isEmpty()) {
            throw new JobDocumentException("signature", "missing: the artifact is unsigned");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new JobDocumentException("signature", "not valid base64");
        }
        // A DER ECDSA P-256 signature is SEQUENCE(0x30) of two INTEGERs: 8 to 72 bytes.
        if (der.length < 8 || der.length > 72 || der[0] != 0x30) {
            throw new JobDocumentException("signature", "not a DER ECDSA P-256 signature");
        }
    }
}
