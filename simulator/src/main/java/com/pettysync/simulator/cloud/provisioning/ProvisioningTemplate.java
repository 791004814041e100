package com.pettysync.simulator.cloud.provisioning;

import static com.pettysync.simulator.cloud.provisioning.TemplateExpressions.error;
import static com.pettysync.simulator.cloud.provisioning.TemplateExpressions.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.provisioning.ProvisioningPlan.CertificateStatus;
import com.pettysync.simulator.cloud.provisioning.ProvisioningPlan.Policy;
import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import com.pettysync.simulator.cloud.provisioning.ThingSpec.Override;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fleet provisioning template body, checked for structure when parsed and evaluated per request
 * (https://docs.aws.amazon.com/iot/latest/developerguide/provision-template.html).
 *
 * <p>Sections: {@code Parameters} (each with {@code Type} {@code String} or {@code Number}, optional {@code Default}
 * and {@code Description}), {@code Mappings}, {@code Conditions}, {@code Resources} and {@code DeviceConfiguration}
 * ({@code AWSTemplateFormatVersion} and {@code Description} are accepted and ignored). Resources: at most one
 * {@code AWS::IoT::Thing} ({@code ThingName}, {@code ThingTypeName}, {@code ThingGroups}, {@code AttributePayload},
 * {@code BillingGroup}, {@code OverrideSettings}), exactly one {@code AWS::IoT::Certificate} whose
 * {@code CertificateId} is the certificate being provisioned ({@code {"Ref": "AWS::IoT::Certificate::Id"}}) with an
 * optional {@code Status} ({@code ACTIVE} by default, case-insensitive as AWS's own example writes {@code "Active"}),
 * any number of {@code AWS::IoT::Policy} ({@code PolicyName} or {@code PolicyDocument}, not both); a resource may
 * carry a {@code Condition}. Functions: see {@link TemplateExpressions}. Anything else is refused with
 * {@link Reason#INVALID_TEMPLATE} naming where it is; nothing here throws an unchecked exception for a bad body.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProvisioningTemplate {
    /** AWS CreateThing's thing name rule. */
    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Parameters",
            "Mappings", "Conditions", "Resources", "DeviceConfiguration");
    private static final Set<String> PARAMETER_KEYS = Set.of("Type", "Default", "Description");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "OverrideSettings", "Condition");
    private static final String THING = "AWS::IoT::Thing";
    private static final String CERTIFICATE = "AWS::IoT::Certificate";
    private static final String POLICY = "AWS::IoT::Policy";
    private static final Set<String> THING_PROPERTIES = Set.of("ThingName", "ThingTypeName", "ThingGroups",
            "AttributePayload", "BillingGroup");
    private static final Set<String> THING_OVERRIDES = Set.of("AttributePayload", "ThingTypeName", "ThingGroups");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Parameter(String name, String type, Optional<String> defaultValue) {}

    private final JsonNode body;
    private final Map<String, Parameter> parameters;

    private ProvisioningTemplate(JsonNode body, Map<String, Parameter> parameters) {
        this.body = body;
        this.parameters = parameters;
    }

    /**
     * Parses and checks the structure of {@code body}.
     *
     * @throws ProvisioningRefusal {@link Reason#INVALID_TEMPLATE} saying what is wrong and where
     */
    public static ProvisioningTemplate parse(String body) throws ProvisioningRefusal {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            throw new ProvisioningRefusal(Reason.INVALID_TEMPLATE, "template body is not JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ProvisioningRefusal(Reason.INVALID_TEMPLATE, "template body must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String section = it.next();
            if (!SECTIONS.contains(section)) {
                throw error(section, "unknown template section (known: " + SECTIONS.stream().sorted().toList() + ")");
            }
        }
        for (String section : List.of("Parameters", "Mappings", "Conditions", "Resources", "DeviceConfiguration")) {
            if (root.has(section) && !root.get(section).isObject()) {
                throw error(section, "must be an object");
            }
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (var p : fields(root.path("Parameters"))) {
            String at = "Parameters." + p.getKey();
            JsonNode decl = p.getValue();
            if (!decl.isObject()) {
                throw error(at, "must be an object with a Type");
            }
            for (Iterator<String> it = decl.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!PARAMETER_KEYS.contains(key)) {
                    throw error(at + "." + key, "unsupported parameter property (supported: Type, Default,"
                            + " Description)");
                }
            }
            String type = decl.path("Type").asText("");
            if (!type.equals("String") && !type.equals("Number")) {
                throw error(at + ".Type", "must be \"String\" or \"Number\", got " + decl.path("Type"));
            }
            JsonNode def = decl.path("Default");
            if (!def.isMissingNode() && !def.isValueNode()) {
                throw error(at + ".Default", "must be a string or a number");
            }
            parameters.put(p.getKey(), new Parameter(p.getKey(), type,
                    def.isMissingNode() ? Optional.empty() : Optional.of(def.asText())));
        }
        int things = 0;
        int certificates = 0;
        for (var r : fields(root.path("Resources"))) {
            String at = "Resources." + r.getKey();
            JsonNode resource = r.getValue();
            if (!resource.isObject()) {
                throw error(at, "must be an object with Type and Properties");
            }
            for (Iterator<String> it = resource.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!RESOURCE_KEYS.contains(key)) {
                    throw error(at + "." + key, "unknown resource key (known: " + RESOURCE_KEYS.stream().sorted()
                            .toList() + ")");
                }
            }
            String type = resource.path("Type").asText("");
            switch (type) {
                case THING -> things++;
                case CERTIFICATE -> certificates++;
                case POLICY -> { }
                default -> throw error(at + ".Type", "unsupported resource type " + resource.path("Type")
                        + " (supported: " + THING + ", " + CERTIFICATE + ", " + POLICY + ")");
            }
            if (!resource.path("Properties").isObject()) {
                throw error(at + ".Properties", "must be an object");
            }
            if (resource.has("Condition") && !resource.get("Condition").isTextual()) {
                throw error(at + ".Condition", "must be the name of a condition");
            }
            if (resource.has("OverrideSettings") && (type.equals(POLICY) || !resource.get("OverrideSettings")
                    .isObject())) {
                throw error(at + ".OverrideSettings", type.equals(POLICY)
                        ? "OverrideSettings are not available for policy resources" : "must be an object");
            }
        }
        if (things > 1) {
            throw error("Resources", "has " + things + " " + THING + " resources; a device is one thing");
        }
        if (certificates != 1) {
            throw error("Resources", "needs exactly one " + CERTIFICATE + " resource with CertificateId"
                    + " {\"Ref\": \"" + TemplateExpressions.CERTIFICATE_ID + "\"}, has " + certificates);
        }
        return new ProvisioningTemplate(root, parameters);
    }

    /** The parameters the template declares, in template order. */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /**
     * Evaluates the template for {@code certificateId} with the device's {@code requestParameters} (parameters the
     * template does not declare are ignored; {@code AWS::IoT::Certificate::Id} is always the certificate's ID).
     *
     * @throws ProvisioningRefusal {@link Reason#INVALID_PARAMETERS} for missing parameters without a Default or a
     *     Number parameter that is not a number; {@link Reason#INVALID_TEMPLATE} for an evaluation error;
     *     {@link Reason#RESOURCE_REGISTRATION_FAILED} for a thing name AWS would not accept
     */
    public ProvisioningPlan evaluate(Map<String, String> requestParameters, String certificateId)
            throws ProvisioningRefusal {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Parameter p : parameters.values()) {
            if (p.name().equals(TemplateExpressions.CERTIFICATE_ID)) {
                continue;
            }
            String value = requestParameters.containsKey(p.name()) ? requestParameters.get(p.name())
                    : p.defaultValue().orElse(null);
            if (value == null) {
                missing.add(p.name());
                continue;
            }
            if (p.type().equals("Number") && !isNumber(value)) {
                throw new ProvisioningRefusal(Reason.INVALID_PARAMETERS, "Parameter " + p.name()
                        + " must be a Number, got \"" + value + "\"");
            }
            values.put(p.name(), value);
        }
        if (!missing.isEmpty()) {
            throw new ProvisioningRefusal(Reason.INVALID_PARAMETERS, "Missing required parameter"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " (declared without a Default)");
        }
        values.put(TemplateExpressions.CERTIFICATE_ID, certificateId);
        TemplateExpressions expressions = new TemplateExpressions(values, body.path("Mappings"),
                body.path("Conditions"));

        Optional<ThingSpec> thing = Optional.empty();
        CertificateStatus status = null;
        List<Policy> policies = new ArrayList<>();
        for (var r : fields(body.path("Resources"))) {
            String at = "Resources." + r.getKey();
            JsonNode resource = r.getValue();
            if (resource.has("Condition")
                    && !expressions.condition(resource.get("Condition").asText(), at + ".Condition")) {
                continue;
            }
            JsonNode properties = expressions.evaluate(resource.get("Properties"), at + ".Properties");
            switch (resource.get("Type").asText()) {
                case THING -> thing = Optional.of(thing(properties, resource.path("OverrideSettings"), at));
                case CERTIFICATE -> status = certificate(properties, certificateId, at);
                default -> policies.add(policy(properties, at));
            }
        }
        if (status == null) {
            throw error("Resources", "the " + CERTIFICATE + " resource's Condition is false: the certificate would"
                    + " stay PENDING_ACTIVATION");
        }
        Map<String, String> deviceConfiguration = new LinkedHashMap<>();
        JsonNode config = expressions.evaluate(body.path("DeviceConfiguration"), "DeviceConfiguration");
        for (var c : fields(config)) {
            deviceConfiguration.put(c.getKey(), text(c.getValue(), "DeviceConfiguration." + c.getKey()));
        }
        return new ProvisioningPlan(certificateId, status, thing, policies, deviceConfiguration);
    }

    private static ThingSpec thing(JsonNode properties, JsonNode overrides, String at) throws ProvisioningRefusal {
        String p = at + ".Properties";
        checkKeys(properties, THING_PROPERTIES, p);
        if (!properties.has("ThingName")) {
            throw error(p, "ThingName is required");
        }
        String name = text(properties.get("ThingName"), p + ".ThingName");
        if (!THING_NAME.matcher(name).matches()) {
            throw new ProvisioningRefusal(Reason.RESOURCE_REGISTRATION_FAILED, "Thing name \"" + name
                    + "\" is not 1-128 characters of [a-zA-Z0-9:_-]");
        }
        Optional<String> type = optionalText(properties, "ThingTypeName", p);
        Optional<String> billing = optionalText(properties, "BillingGroup", p);
        List<String> groups = new ArrayList<>();
        JsonNode g = properties.path("ThingGroups");
        if (!g.isMissingNode()) {
            if (!g.isArray()) {
                throw error(p + ".ThingGroups", "must be a list of group names");
            }
            for (int i = 0; i < g.size(); i++) {
                groups.add(text(g.get(i), p + ".ThingGroups[" + i + "]"));
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode a = properties.path("AttributePayload");
        if (!a.isMissingNode()) {
            if (!a.isObject()) {
                throw error(p + ".AttributePayload", "must be an object of name-value pairs");
            }
            for (var e : fields(a)) {
                attributes.put(e.getKey(), text(e.getValue(), p + ".AttributePayload." + e.getKey()));
            }
        }
        String o = at + ".OverrideSettings";
        checkKeys(overrides, THING_OVERRIDES, o);
        Override attributeOverride = override(overrides, "AttributePayload", o);
        Override typeOverride = override(overrides, "ThingTypeName", o);
        if (typeOverride == Override.MERGE) {
            throw error(o + ".ThingTypeName", "MERGE is valid only for AttributePayload and ThingGroups");
        }
        return new ThingSpec(new Thing(name, type, groups, attributes, billing), attributeOverride, typeOverride,
                override(overrides, "ThingGroups", o));
    }

    private static CertificateStatus certificate(JsonNode properties, String certificateId, String at)
            throws ProvisioningRefusal {
        String p = at + ".Properties";
        for (String other : List.of("CertificateSigningRequest", "CertificatePem", "CACertificatePem")) {
            if (properties.has(other)) {
                throw error(p + "." + other, "not usable in fleet provisioning: only CertificateId {\"Ref\": \""
                        + TemplateExpressions.CERTIFICATE_ID + "\"} is");
            }
        }
        checkKeys(properties, Set.of("CertificateId", "Status"), p);
        String id = properties.has("CertificateId") ? text(properties.get("CertificateId"), p + ".CertificateId")
                : null;
        if (!certificateId.equals(id)) {
            throw error(p + ".CertificateId", "must be {\"Ref\": \"" + TemplateExpressions.CERTIFICATE_ID
                    + "\"}, the certificate being provisioned");
        }
        Optional<String> status = optionalText(properties, "Status", p);
        if (status.isEmpty()) {
            return CertificateStatus.ACTIVE;
        }
        try {
            return CertificateStatus.valueOf(status.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw error(p + ".Status", "must be ACTIVE or INACTIVE, got \"" + status.get() + "\"");
        }
    }

    private static Policy policy(JsonNode properties, String at) throws ProvisioningRefusal {
        String p = at + ".Properties";
        checkKeys(properties, Set.of("PolicyName", "PolicyDocument"), p);
        boolean named = properties.has("PolicyName");
        boolean documented = properties.has("PolicyDocument");
        if (named == documented) {
            throw error(p, "needs PolicyName or PolicyDocument, not " + (named ? "both" : "neither"));
        }
        if (named) {
            return new Policy(text(properties.get("PolicyName"), p + ".PolicyName"), Optional.empty());
        }
        JsonNode doc = properties.get("PolicyDocument");
        if (doc.isTextual()) {
            try {
                doc = JSON.readTree(doc.asText());
            } catch (JacksonException e) {
                throw error(p + ".PolicyDocument", "is not a JSON policy document: " + e.getOriginalMessage());
            }
        }
        if (doc == null || !doc.isObject()) {
            throw error(p + ".PolicyDocument", "must be a policy document (an object or its escaped string)");
        }
        String compact = doc.toString();
        return new Policy(sha256Hex(compact), Optional.of(compact));
    }

    private static Override override(JsonNode overrides, String property, String at) throws ProvisioningRefusal {
        JsonNode v = overrides.path(property);
        if (v.isMissingNode()) {
            return Override.DO_NOTHING;
        }
        try {
            return Override.valueOf(v.asText());
        } catch (IllegalArgumentException e) {
            throw error(at + "." + property, "must be DO_NOTHING, REPLACE, FAIL or MERGE, got " + v);
        }
    }

    private static Optional<String> optionalText(JsonNode properties, String key, String at)
            throws ProvisioningRefusal {
        return properties.has(key) ? Optional.of(text(properties.get(key), at + "." + key)) : Optional.empty();
    }

    private static void checkKeys(JsonNode object, Set<String> allowed, String at) throws ProvisioningRefusal {
        for (var e : fields(object)) {
            if (!allowed.contains(e.getKey())) {
                throw error(at + "." + e.getKey(), "unsupported property (supported: " + allowed.stream().sorted()
                        .toList() + ")");
            }
        }
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (object != null && object.isObject()) {
            object.fields().forEachRemaining(out::add);
        }
        return out;
    }

    private static boolean isNumber(String value) {
        try {
            new java.math.BigDecimal(value.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
