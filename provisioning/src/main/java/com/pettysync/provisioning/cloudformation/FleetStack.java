package com.pettysync.provisioning.cloudformation;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.fleet.ClaimPolicy;
import com.pettysync.contract.fleet.CollarAttribute;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.contract.fleet.ProvisioningTemplateBody;
import com.pettysync.contract.fleet.TelemetryRule;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import java.util.Objects;

/**
 * The CloudFormation template of the fleet's AWS IoT side, generated from the contract code, so that the stack and
 * the factory tool ({@code ./pettysync provision …}, AWS SDK) create the same resources under the same names with
 * the same documents:
 *
 * <table>
 *   <caption>resources (logical id → type: content)</caption>
 *   <tr><td>{@value #COLLAR_POLICY}</td><td>{@code AWS::IoT::Policy}</td><td>{@link FleetNames#collarPolicy()},
 *       the document of {@link IotPolicy#forCollars} for the stack's region and account</td></tr>
 *   <tr><td>{@value #CLAIM_POLICY}</td><td>{@code AWS::IoT::Policy}</td><td>{@link FleetNames#claimPolicy()},
 *       {@link ClaimPolicy}</td></tr>
 *   <tr><td>{@value #THING_TYPE}</td><td>{@code AWS::IoT::ThingType}</td><td>{@link FleetNames#thingType()},
 *       searchable attributes {@link CollarAttribute#searchable()}</td></tr>
 *   <tr><td>{@value #THING_GROUP}</td><td>{@code AWS::IoT::ThingGroup}</td>
 *       <td>{@link FleetNames#defaultThingGroup()}</td></tr>
 *   <tr><td>{@value #TELEMETRY_RULE}</td><td>{@code AWS::IoT::TopicRule}</td><td>the Basic Ingest rule
 *       ({@link RuleName}), {@link TelemetryRule#sql()}, one Lambda action to the validator function
 *       (parameter {@value #VALIDATOR_FUNCTION_ARN})</td></tr>
 *   <tr><td>{@value #VALIDATOR_PERMISSION}</td><td>{@code AWS::Lambda::Permission}</td><td>lets
 *       {@code iot.amazonaws.com} invoke the validator, from this rule and account only</td></tr>
 *   <tr><td>{@value #PROVISIONING_ROLE}</td><td>{@code AWS::IAM::Role}</td><td>trusted by {@code iot.amazonaws.com},
 *       managed policy {@code AWSIoTThingsRegistration}</td></tr>
 *   <tr><td>{@value #PROVISIONING_TEMPLATE}</td><td>{@code AWS::IoT::ProvisioningTemplate}</td>
 *       <td>{@link FleetNames#provisioningTemplate()}, body {@link ProvisioningTemplateBody}, fleet provisioning,
 *       enabled; created after the policy, thing type and group its body names</td></tr>
 * </table>
 *
 * Outputs: the names and ARNs a factory or an operator needs ({@code CollarPolicyName}, {@code ClaimPolicyName},
 * {@code ThingTypeName}, {@code ThingGroupName}, {@code TelemetryRuleArn}, {@code ProvisioningTemplateArn},
 * {@code ProvisioningRoleArn}). The template is JSON, deterministic (same input, same bytes).
 */
public final class FleetStack {
    /** Template parameter: ARN of the cloud validator function ("Dumper #1") that receives telemetry. */
    public static final String VALIDATOR_FUNCTION_ARN = "ValidatorFunctionArn";

    public static final String COLLAR_POLICY = "CollarPolicy";
    public static final String CLAIM_POLICY = "ClaimPolicy";
    public static final String THING_TYPE = "CollarThingType";
    public static final String THING_GROUP = "FleetThingGroup";
    public static final String TELEMETRY_RULE = "TelemetryRule";
    public static final String VALIDATOR_PERMISSION = "ValidatorInvokePermission";
    public static final String PROVISIONING_ROLE = "ProvisioningRole";
    public static final String PROVISIONING_TEMPLATE = "CollarClaimTemplate";

    /** The AWS managed policy that lets AWS IoT create things, certificates and attach policies for a template. */
    static final String THINGS_REGISTRATION_POLICY =
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSIoTThingsRegistration";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FleetStack() {}

    /** The template for the product's fleet: {@link FleetNames#STANDARD}, rule {@link RuleName#DEFAULT}. */
    public static String template() {
        return template(FleetNames.STANDARD, RuleName.DEFAULT);
    }

    /** The template for the fleet {@code names} with {@code rule} as the Basic Ingest telemetry rule, as JSON. */
    public static String template(FleetNames names, RuleName rule) {
        try {
            return MAPPER.writeValueAsString(tree(names, rule)) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The template as a JSON tree (a fresh one on every call). */
    public static ObjectNode tree(FleetNames names, RuleName rule) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(rule, "rule");
        ObjectNode t = MAPPER.createObjectNode();
        t.put("AWSTemplateFormatVersion", "2010-09-09");
        t.put("Description", "PettySync collar fleet: AWS IoT policies, thing type and group, telemetry rule and "
                + "fleet provisioning template. Generated by com.pettysync.provisioning.cloudformation.FleetStack "
                + "from the cloud contract; do not edit.");

        ObjectNode validator = t.putObject("Parameters").putObject(VALIDATOR_FUNCTION_ARN);
        validator.put("Type", "String");
        validator.put("Description", "ARN of the Lambda function that validates and stores telemetry frames "
                + "(input: {\"" + TelemetryRule.FRAME_FIELD + "\": base64 CBOR, \"" + TelemetryRule.THING_FIELD
                + "\": thing name, \"" + TelemetryRule.RECEIVED_FIELD + "\": Unix ms})");
        validator.put("AllowedPattern", "arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+"
                + "(:[A-Za-z0-9_$-]+)?");

        ObjectNode resources = t.putObject("Resources");
        policy(resources, COLLAR_POLICY, names.collarPolicy(), IotPolicy.forCollars(
                StackScopedDocument.STAND_IN_REGION, StackScopedDocument.STAND_IN_ACCOUNT, rule).json());
        policy(resources, CLAIM_POLICY, names.claimPolicy(), ClaimPolicy.forFleet(
                StackScopedDocument.STAND_IN_REGION, StackScopedDocument.STAND_IN_ACCOUNT, names).json());

        ObjectNode thingType = resource(resources, THING_TYPE, "AWS::IoT::ThingType");
        thingType.put("ThingTypeName", names.thingType());
        ObjectNode typeProperties = thingType.putObject("ThingTypeProperties");
        typeProperties.put("ThingTypeDescription", "PettySync smart dog collar");
        ArrayNode searchable = typeProperties.putArray("SearchableAttributes");
        CollarAttribute.searchable().forEach(searchable::add);

        ObjectNode group = resource(resources, THING_GROUP, "AWS::IoT::ThingGroup");
        group.put("ThingGroupName", names.defaultThingGroup());
        group.putObject("ThingGroupProperties").put("ThingGroupDescription", "Every PettySync collar");

        ObjectNode rulePayload = resource(resources, TELEMETRY_RULE, "AWS::IoT::TopicRule")
                .put("RuleName", rule.value()).putObject("TopicRulePayload");
        rulePayload.put("Description", "Collar telemetry frames (Basic Ingest and direct) to the validator");
        rulePayload.put("Sql", TelemetryRule.sql());
        rulePayload.put("AwsIotSqlVersion", TelemetryRule.SQL_VERSION);
        rulePayload.put("RuleDisabled", false);
        rulePayload.putArray("Actions").addObject().putObject("Lambda").set("FunctionArn",
                ref(VALIDATOR_FUNCTION_ARN));

        ObjectNode permission = resource(resources, VALIDATOR_PERMISSION, "AWS::Lambda::Permission");
        permission.put("Action", "lambda:InvokeFunction");
        permission.set("FunctionName", ref(VALIDATOR_FUNCTION_ARN));
        permission.put("Principal", "iot.amazonaws.com");
        permission.set("SourceArn", getAtt(TELEMETRY_RULE, "Arn"));
        permission.set("SourceAccount", ref("AWS::AccountId"));

        ObjectNode role = resource(resources, PROVISIONING_ROLE, "AWS::IAM::Role");
        role.put("Description", "Lets AWS IoT register collars with the fleet provisioning template");
        ObjectNode trust = role.putObject("AssumeRolePolicyDocument").put("Version", "2012-10-17");
        ObjectNode statement = trust.putArray("Statement").addObject();
        statement.put("Effect", "Allow");
        statement.putObject("Principal").put("Service", "iot.amazonaws.com");
        statement.put("Action", "sts:AssumeRole");
        role.putArray("ManagedPolicyArns").addObject().put("Fn::Sub", THINGS_REGISTRATION_POLICY);

        ObjectNode templateResource = resources.putObject(PROVISIONING_TEMPLATE);
        templateResource.put("Type", "AWS::IoT::ProvisioningTemplate");
        templateResource.putArray("DependsOn").add(COLLAR_POLICY).add(THING_TYPE).add(THING_GROUP);
        ObjectNode template = templateResource.putObject("Properties");
        template.put("TemplateName", names.provisioningTemplate());
        template.put("Description", "First boot of a collar holding the claim certificate: its own certificate "
                + "from its CSR, thing collar-<serial>");
        template.put("Enabled", true);
        template.put("TemplateType", "FLEET_PROVISIONING");
        template.set("ProvisioningRoleArn", getAtt(PROVISIONING_ROLE, "Arn"));
        template.put("TemplateBody", ProvisioningTemplateBody.forFleet(names).json());

        ObjectNode outputs = t.putObject("Outputs");
        output(outputs, "CollarPolicyName", "AWS IoT policy attached to every collar certificate",
                ref(COLLAR_POLICY));
        output(outputs, "ClaimPolicyName", "AWS IoT policy of the claim certificate", ref(CLAIM_POLICY));
        output(outputs, "ThingTypeName", "Thing type of every collar", ref(THING_TYPE));
        output(outputs, "ThingGroupName", "Thing group every collar joins", ref(THING_GROUP));
        output(outputs, "TelemetryRuleArn", "Basic Ingest telemetry rule", getAtt(TELEMETRY_RULE, "Arn"));
        output(outputs, "ProvisioningTemplateArn", "Fleet provisioning template",
                getAtt(PROVISIONING_TEMPLATE, "TemplateArn"));
        output(outputs, "ProvisioningRoleArn", "Role AWS IoT provisions collars with",
                getAtt(PROVISIONING_ROLE, "Arn"));
        return t;
    }

    private static void policy(ObjectNode resources, String logicalId, String name, String renderedForStandIn) {
        ObjectNode properties = resource(resources, logicalId, "AWS::IoT::Policy");
        properties.put("PolicyName", name);
        try {
            properties.set("PolicyDocument", StackScopedDocument.of(MAPPER.readTree(renderedForStandIn)));
        } catch (JacksonException e) {
            throw new IllegalStateException("policy " + name + " is not JSON", e);
        }
    }

    /** Adds a resource of {@code type} and returns its {@code Properties}. */
    private static ObjectNode resource(ObjectNode resources, String logicalId, String type) {
        ObjectNode r = resources.putObject(logicalId);
        r.put("Type", type);
        return r.putObject("Properties");
    }

    private static void output(ObjectNode outputs, String name, String description, JsonNode value) {
        ObjectNode o = outputs.putObject(name);
        o.put("Description", description);
        o.set("Value", value);
    }

    private static ObjectNode ref(String name) {
        return MAPPER.createObjectNode().put("Ref", name);
    }

    private static ObjectNode getAtt(String logicalId, String attribute) {
        ObjectNode n = MAPPER.createObjectNode();
        n.putArray("Fn::GetAtt").add(logicalId).add(attribute);
        return n;
    }
}
