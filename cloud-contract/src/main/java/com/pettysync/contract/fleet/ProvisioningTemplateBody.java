package com.pettysync.contract.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.topic.ThingName;

/**
 * The body of the fleet's fleet-provisioning template ({@link FleetNames#provisioningTemplate()}): what AWS IoT
 * creates when a collar holding the claim certificate calls RegisterThing
 * (https://docs.aws.amazon.com/iot/latest/developerguide/provision-template.html, "Fleet provisioning").
 *
 * <ul>
 *   <li>Parameters: {@code SerialNumber} (required) and, for every other factory attribute of
 *       {@link CollarAttribute}, its parameter with Default {@value CollarAttribute#UNKNOWN}; plus
 *       {@code AWS::IoT::Certificate::Id}, which AWS fills with the certificate made from the collar's CSR.</li>
 *   <li>{@code thing}: {@code AWS::IoT::Thing} named {@code collar-${SerialNumber}} ({@code Fn::Join}), of the
 *       collar thing type, in the default thing group, with every factory attribute from its parameter. If the
 *       thing exists already (a collar re-provisioned after a factory reset): attributes are MERGEd (the dog profile
 *       set at pairing stays), the thing type REPLACEd, the groups left as they are.</li>
 *   <li>{@code certificate}: {@code {"Ref": "AWS::IoT::Certificate::Id"}}, status {@code ACTIVE}.</li>
 *   <li>{@code policy}: the collar policy, by name (it exists before the template is used).</li>
 * </ul>
 * The serial number's syntax is not enforced by AWS here (a template has no patterns); AWS checks only the thing
 * name. A pre-provisioning hook would be the place to enforce {@link SerialNumber}'s rule in the cloud.
 */
public final class ProvisioningTemplateBody {
    /** The parameter AWS fills with the id of the certificate created from the collar's CSR. */
    public static final String CERTIFICATE_ID_PARAMETER = "AWS::IoT::Certificate::Id";
    /** Most characters of a template body (CreateProvisioningTemplate {@code templateBody}). */
    public static final int AWS_MAX_BODY_CHARS = 10240;
    /** Logical names of the template's resources. */
    public static final String THING = "thing";
    public static final String CERTIFICATE = "certificate";
    public static final String POLICY = "policy";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode body;

    private ProvisioningTemplateBody(ObjectNode body) {
        this.body = body;
    }

    /** The template body for the fleet {@code names}. */
    public static ProvisioningTemplateBody forFleet(FleetNames names) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode parameters = root.putObject("Parameters");
        for (CollarAttribute a : CollarAttribute.values()) {
            a.provisioningParameter().ifPresent(p -> {
                ObjectNode param = parameters.putObject(p).put("Type", "String");
                if (!a.requiredAtProvisioning()) {
                    param.put("Default", CollarAttribute.UNKNOWN);
                }
            });
        }
        parameters.putObject(CERTIFICATE_ID_PARAMETER).put("Type", "String");

        ObjectNode resources = root.putObject("Resources");
        ObjectNode thing = resources.putObject(THING).put("Type", "AWS::IoT::Thing");
        thing.putObject("OverrideSettings").put("AttributePayload", "MERGE").put("ThingTypeName", "REPLACE")
                .put("ThingGroups", "DO_NOTHING");
        ObjectNode thingProperties = thing.putObject("Properties");
        ArrayNode join = thingProperties.putObject("ThingName").putArray("Fn::Join");
        join.add("");
        join.addArray().add(ThingName.COLLAR_PREFIX).add(ref(CollarAttribute.SERIAL.provisioningParameter().get()));
        thingProperties.put("ThingTypeName", names.thingType());
        thingProperties.putArray("ThingGroups").add(names.defaultThingGroup());
        ObjectNode attributes = thingProperties.putObject("AttributePayload");
        for (CollarAttribute a : CollarAttribute.values()) {
            a.provisioningParameter().ifPresent(p -> attributes.set(a.attributeName(), ref(p)));
        }

        ObjectNode certificate = resources.putObject(CERTIFICATE).put("Type", "AWS::IoT::Certificate");
        certificate.putObject("Properties").put("Status", "ACTIVE").set("CertificateId",
                ref(CERTIFICATE_ID_PARAMETER));

        resources.putObject(POLICY).put("Type", "AWS::IoT::Policy").putObject("Properties")
                .put("PolicyName", names.collarPolicy());

        ProvisioningTemplateBody out = new ProvisioningTemplateBody(root);
        if (out.json().length() > AWS_MAX_BODY_CHARS) {
            throw new IllegalStateException("provisioning template body is " + out.json().length()
                    + " characters, AWS allows " + AWS_MAX_BODY_CHARS);
        }
        return out;
    }

    /** The body as compact JSON: CreateProvisioningTemplate's {@code templateBody}. */
    public String json() {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body as a JSON tree (a copy). */
    public JsonNode tree() {
        return body.deepCopy();
    }

    private static ObjectNode ref(String parameter) {
        return MAPPER.createObjectNode().put("Ref", parameter);
    }
}
