package com.pettysync.simulator.cloud.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.pettysync.simulator.cloud.Outbound;
import com.pettysync.simulator.cloud.provisioning.FleetProvisioningBackend.IssuedCertificate;
import com.pettysync.simulator.cloud.provisioning.FleetProvisioningBackend.StoredTemplate;
import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.tinylog.Logger;

/**
 * AWS IoT fleet provisioning by claim, the cloud side of its MQTT API
 * (https://docs.aws.amazon.com/iot/latest/developerguide/fleet-provision-api.html):
 *
 * <pre>
 * $aws/certificates/create-from-csr/{fmt}  {certificateSigningRequest}
 *     → …/accepted {certificateId, certificatePem, certificateOwnershipToken}   | …/rejected {statusCode, errorCode, errorMessage}
 * $aws/certificates/create/{fmt}           (empty payload)
 *     → …/accepted {certificateId, certificatePem, privateKey, certificateOwnershipToken} | …/rejected
 * $aws/provisioning-templates/{template}/provision/{fmt}  {certificateOwnershipToken, parameters:{name: value}}
 *     → …/accepted {deviceConfiguration:{name: value}, thingName}                  | …/rejected
 * </pre>
 *
 * {fmt} is {@code json} or {@code cbor}; the reply has the request's format. Certificates come from the
 * {@link FleetProvisioningBackend} ({@code PENDING_ACTIVATION}); each gets an ownership token valid for
 * {@link #OWNERSHIP_TOKEN_LIFETIME} on the injected clock and redeemable once, by a successful RegisterThing (a
 * refused one leaves the token usable, so a device can fix its request and retry). A certificate whose token expires
 * unused is handed to {@link FleetProvisioningBackend#discardUnclaimedCertificate}, as AWS deletes it.
 *
 * <p>Replies are for the requesting connection only: AWS "returns the device provisioning MQTT API results through
 * the same MQTT connection used to publish the API request", and the device must have subscribed to the reply
 * topics first — so the broker publishes each returned {@link Outbound} to {@code clientId} alone (HiveMQ
 * {@code PublishService.publishToClient}), never to every subscriber of the topic.
 *
 * <p>No request makes {@link #handle} throw: malformed payloads and missing fields get 400 {@code InvalidRequest},
 * a failing backend 500 {@code InternalFailure}. Thread-safe (one lock), no I/O of its own. Logs one line per
 * request outcome; never tokens or private keys. The pre-provisioning hook (a Lambda AWS calls before RegisterThing)
 * is not supported: templates are applied as they are.
 */
public final class FleetProvisioningService {
    /** AWS: the ownership token "expires after one hour". */
    public static final Duration OWNERSHIP_TOKEN_LIFETIME = OwnershipTokens.LIFETIME;
    /** AWS provisioning template names: 1–36 of {@code [0-9A-Za-z_-]}. */
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[0-9A-Za-z_-]{1,36}");
    /** The subject AWS gives certificates made by CreateKeysAndCertificate. */
    private static final String CREATED_KEYS_SUBJECT = "CN=AWS IoT Certificate";

    private final FleetProvisioningBackend backend;
    private final OwnershipTokens tokens;
    private final SecureRandom random;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper cbor = new ObjectMapper(new CBORFactory());

    public FleetProvisioningService(FleetProvisioningBackend backend, Clock clock) {
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        this.random = new SecureRandom();
        this.tokens = new OwnershipTokens(clock, random);
    }

    /** Whether {@code topic} belongs to this service (the broker routes such publishes to {@link #handle}). */
    public static boolean handles(String topic) {
        return topic.startsWith("$aws/certificates/") || topic.startsWith("$aws/provisioning-templates/");
    }

    /**
     * Handles what {@code clientId} published on {@code topic}; returns the replies, to be published to
     * {@code clientId} only. Topics that are not requests (e.g. a reply topic, an unknown format) get none.
     */
    public synchronized List<Outbound> handle(String clientId, String topic, byte[] payload) {
        expireOwnershipTokens();
        String[] levels = topic.split("/", -1);
        if (levels.length == 4 && levels[1].equals("certificates") && isFormat(levels[3])) {
            if (levels[2].equals("create-from-csr")) {
                return reply(topic, levels[3], "CreateCertificateFromCsr", clientId,
                        () -> createFromCsr(clientId, decode(levels[3], payload, false)));
            }
            if (levels[2].equals("create")) {
                return reply(topic, levels[3], "CreateKeysAndCertificate", clientId,
                        () -> createKeysAndCertificate(clientId, decode(levels[3], payload, true)));
            }
        }
        if (levels.length == 5 && levels[1].equals("provisioning-templates") && levels[3].equals("provision")
                && isFormat(levels[4])) {
            return reply(topic, levels[4], "RegisterThing", clientId,
                    () -> registerThing(clientId, levels[2], decode(levels[4], payload, false)));
        }
        return List.of();
    }

    /**
     * Forgets expired ownership tokens and hands each certificate whose token expired unused to
     * {@link FleetProvisioningBackend#discardUnclaimedCertificate}; also runs at every {@link #handle}.
     *
     * @return the certificates handed over
     */
    public synchronized List<String> expireOwnershipTokens() {
        List<String> unclaimed = tokens.expire();
        for (String certificateId : unclaimed) {
            try {
                backend.discardUnclaimedCertificate(certificateId);
                Logger.info("provisioning: ownership token of certificate {} expired unused", certificateId);
            } catch (RuntimeException e) {
                Logger.error("provisioning: discarding unclaimed certificate {} failed: {}", certificateId,
                        e.toString());
            }
        }
        return unclaimed;
    }

    private interface Request {
        ObjectNode run() throws ProvisioningRefusal;
    }

    private List<Outbound> reply(String topic, String format, String operation, String clientId, Request request) {
        ObjectNode body;
        String replyTopic;
        try {
            body = request.run();
            replyTopic = topic + "/accepted";
        } catch (ProvisioningRefusal r) {
            Logger.info("provisioning: refused {} of {}: {} {}", operation, clientId, r.reason().errorCode(),
                    r.getMessage());
            body = rejection(r.reason(), r.getMessage());
            replyTopic = topic + "/rejected";
        } catch (RuntimeException e) {
            Logger.error("provisioning: {} of {} failed in the registry: {}", operation, clientId, e.toString());
            body = rejection(Reason.INTERNAL_FAILURE, "The registry failed; retry later.");
            replyTopic = topic + "/rejected";
        }
        try {
            return List.of(new Outbound(replyTopic, mapper(format).writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException("a reply could not be encoded", e);
        }
    }

    private ObjectNode createFromCsr(String clientId, JsonNode request) throws ProvisioningRefusal {
        JsonNode csrText = request.path("certificateSigningRequest");
        if (!csrText.isTextual()) {
            throw new ProvisioningRefusal(Reason.INVALID_REQUEST, csrText.isMissingNode() || csrText.isNull()
                    ? "Missing required field: certificateSigningRequest (the CSR, PEM)"
                    : "certificateSigningRequest must be a string (the CSR, PEM)");
        }
        CertificateSigningRequest csr = CertificateSigningRequest.parse(csrText.asText());
        IssuedCertificate issued = backend.issueCertificate(csr);
        ObjectNode out = json.createObjectNode();
        out.put("certificateId", issued.certificateId());
        out.put("certificatePem", issued.certificatePem());
        out.put("certificateOwnershipToken", tokens.issue(issued.certificateId()));
        Logger.info("provisioning: {} created certificate {} from a CSR ({})", clientId, issued.certificateId(),
                csr.subject());
        return out;
    }

    private ObjectNode createKeysAndCertificate(String clientId, JsonNode request) throws ProvisioningRefusal {
        KeyPair keys;
        String csrPem;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            keys = generator.generateKeyPair();
            var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(CREATED_KEYS_SUBJECT), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(csr);
            }
            csrPem = pem.toString();
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("generating a P-256 key and CSR failed", e);
        }
        IssuedCertificate issued = backend.issueCertificate(CertificateSigningRequest.parse(csrPem));
        ObjectNode out = json.createObjectNode();
        out.put("certificateId", issued.certificateId());
        out.put("certificatePem", issued.certificatePem());
        out.put("privateKey", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        out.put("certificateOwnershipToken", tokens.issue(issued.certificateId()));
        Logger.info("provisioning: {} created keys and certificate {}", clientId, issued.certificateId());
        return out;
    }

    private ObjectNode registerThing(String clientId, String templateName, JsonNode request)
            throws ProvisioningRefusal {
        JsonNode token = request.path("certificateOwnershipToken");
        if (!token.isMissingNode() && !token.isNull() && !token.isTextual()) {
            throw new ProvisioningRefusal(Reason.INVALID_REQUEST, "certificateOwnershipToken must be a string");
        }
        Map<String, String> parameters = parameters(request.path("parameters"));
        String tokenText = token.isTextual() ? token.asText() : null;
        String certificateId = tokens.certificateOf(tokenText);
        if (!TEMPLATE_NAME.matcher(templateName).matches()) {
            throw new ProvisioningRefusal(Reason.INVALID_REQUEST, "Template name \"" + templateName
                    + "\" is not 1-36 characters of [0-9A-Za-z_-]");
        }
        Optional<StoredTemplate> stored = backend.template(templateName);
        if (stored.isEmpty()) {
            throw new ProvisioningRefusal(Reason.TEMPLATE_NOT_FOUND, "Provisioning template " + templateName
                    + " does not exist");
        }
        if (!stored.get().enabled()) {
            throw new ProvisioningRefusal(Reason.TEMPLATE_DISABLED, "Provisioning template " + templateName
                    + " is disabled");
        }
        ProvisioningPlan plan = ProvisioningTemplate.parse(stored.get().body()).evaluate(parameters, certificateId);
        backend.provision(plan);
        tokens.consume(tokenText);
        ObjectNode out = json.createObjectNode();
        ObjectNode configuration = out.putObject("deviceConfiguration");
        plan.deviceConfiguration().forEach(configuration::put);
        plan.thing().ifPresent(t -> out.put("thingName", t.desired().name()));
        Logger.info("provisioning: {} provisioned certificate {} as thing {} with template {}", clientId,
                certificateId, plan.thing().map(t -> t.desired().name()).orElse("(none)"), templateName);
        return out;
    }

    private static Map<String, String> parameters(JsonNode node) throws ProvisioningRefusal {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ProvisioningRefusal(Reason.INVALID_REQUEST, "parameters must be an object of string values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (!p.getValue().isTextual()) {
                throw new ProvisioningRefusal(Reason.INVALID_REQUEST, "parameters." + p.getKey()
                        + " must be a string");
            }
            out.put(p.getKey(), p.getValue().asText());
        }
        return out;
    }

    private JsonNode decode(String format, byte[] payload, boolean emptyAllowed) throws ProvisioningRefusal {
        String kind = format.toUpperCase(java.util.Locale.ROOT);
        if (payload.length == 0) {
            if (emptyAllowed) {
                return json.createObjectNode();
            }
            throw new ProvisioningRefusal(Reason.INVALID_REQUEST, "The payload is empty; a " + kind
                    + " object is required");
        }
        JsonNode node;
        try {
            node = mapper(format).readTree(payload);
        } catch (IOException e) {
            throw new ProvisioningRefusal(Reason.INVALID_REQUEST, "The payload is not valid " + kind + ": "
                    + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new ProvisioningRefusal(Reason.INVALID_REQUEST, "The payload must be a " + kind + " object");
        }
        return node;
    }

    private ObjectNode rejection(Reason reason, String message) {
        ObjectNode out = json.createObjectNode();
        out.put("statusCode", reason.statusCode());
        out.put("errorCode", reason.errorCode());
        out.put("errorMessage", message);
        return out;
    }

    private ObjectMapper mapper(String format) {
        return format.equals("cbor") ? cbor : json;
    }

    private static boolean isFormat(String level) {
        return level.equals("json") || level.equals("cbor");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
