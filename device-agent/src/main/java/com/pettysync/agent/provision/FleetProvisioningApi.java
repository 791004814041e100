package com.pettysync.agent.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.json.JsonTrees;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON messages and topics of AWS IoT's fleet provisioning MQTT API that a collar uses
 * (https://docs.aws.amazon.com/iot/latest/developerguide/fleet-provision-api.html; member names as in AWS's
 * device SDK model {@code iotidentity}). Only the JSON payload format, and only CreateCertificateFromCsr and
 * RegisterThing (the private key is made on the collar, never by AWS).
 *
 * <pre>
 * collar → $aws/certificates/create-from-csr/json                 {"certificateSigningRequest": PEM}
 * cloud  → $aws/certificates/create-from-csr/json/accepted        {@link CertificateCreated}
 * collar → $aws/provisioning-templates/{template}/provision/json  {"certificateOwnershipToken", "parameters"}
 * cloud  → …/provision/json/accepted                              {@link ThingRegistered}
 * cloud  → …/json/rejected (both)                                 {@link Rejected}
 * </pre>
 *
 * Replies ignore members they do not know (AWS may add some); a reply that is not JSON or lacks a required member
 * is an {@link IllegalArgumentException} whose message never contains the reply (it may hold a token).
 */
public final class FleetProvisioningApi {
    public static final String CREATE_FROM_CSR = "$aws/certificates/create-from-csr/json";

    private FleetProvisioningApi() {
    }

    /** The RegisterThing request topic of {@code template}. */
    public static String provisionTopic(String template) {
        return "$aws/provisioning-templates/" + template + "/provision/json";
    }

    public static String accepted(String requestTopic) {
        return requestTopic + "/accepted";
    }

    public static String rejected(String requestTopic) {
        return requestTopic + "/rejected";
    }

    /** The four reply topics to subscribe to (exactly these, no wildcards) before publishing a request. */
    public static List<String> replyTopics(String template) {
        String provision = provisionTopic(template);
        return List.of(accepted(CREATE_FROM_CSR), rejected(CREATE_FROM_CSR), accepted(provision), rejected(provision));
    }

    /** CreateCertificateFromCsr request. */
    public static byte[] createCertificateRequest(String csrPem) {
        ObjectNode o = JsonTrees.object();
        o.put("certificateSigningRequest", csrPem);
        return JsonTrees.bytes(o);
    }

    /** RegisterThing request. */
    public static byte[] registerThingRequest(String ownershipToken, Map<String, String> parameters) {
        ObjectNode o = JsonTrees.object();
        o.put("certificateOwnershipToken", ownershipToken);
        ObjectNode p = o.putObject("parameters");
        parameters.forEach(p::put);
        return JsonTrees.bytes(o);
    }

    /**
     * CreateCertificateFromCsr accepted. {@code toString} leaves out the ownership token: a secret (whoever holds it
     * within the hour can register a thing with this certificate).
     */
    public record CertificateCreated(String certificateId, String certificatePem, String ownershipToken) {
        public static CertificateCreated read(byte[] json) {
            JsonNode n = object(json, "create-from-csr accepted");
            return new CertificateCreated(text(n, "certificateId"), text(n, "certificatePem"),
                    text(n, "certificateOwnershipToken"));
        }

        @Override
        public String toString() {
            return "CertificateCreated[certificateId=" + certificateId + "]";
        }
    }

    /** RegisterThing accepted: the thing's name and the template's {@code deviceConfiguration} (string values). */
    public record ThingRegistered(String thingName, Map<String, String> deviceConfiguration) {
        public static ThingRegistered read(byte[] json) {
            JsonNode n = object(json, "provision accepted");
            Map<String, String> config = new LinkedHashMap<>();
            JsonNode dc = n.get("deviceConfiguration");
            if (dc != null && dc.isObject()) {
                dc.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().isTextual()
                        ? e.getValue().textValue() : JsonTrees.string(e.getValue())));
            }
            return new ThingRegistered(text(n, "thingName"), Map.copyOf(config));
        }
    }

    /** A rejected reply: the HTTP-like status, AWS's error code and its message. Members may be missing. */
    public record Rejected(int statusCode, String errorCode, String errorMessage) {
        public static Rejected read(byte[] json) {
            JsonNode n = object(json, "rejected reply");
            JsonNode sc = n.get("statusCode");
            return new Rejected(sc != null && sc.canConvertToInt() ? sc.asInt() : 0, optional(n, "errorCode"),
                    optional(n, "errorMessage"));
        }
    }

    private static JsonNode object(byte[] json, String what) {
        JsonNode n;
        try {
            n = JsonTrees.read(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": not valid JSON (" + json.length + " bytes)");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(what + ": not a JSON object");
        }
        return n;
    }

    private static String text(JsonNode n, String member) {
        JsonNode v = n.get(member);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new IllegalArgumentException("reply lacks the string member " + member);
        }
        return v.textValue();
    }

    private static String optional(JsonNode n, String member) {
        JsonNode v = n.get(member);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
