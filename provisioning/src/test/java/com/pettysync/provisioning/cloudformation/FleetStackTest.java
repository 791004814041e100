package com.pettysync.provisioning.cloudformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.pettysync.contract.fleet.ClaimPolicy;
import com.pettysync.contract.fleet.CollarAttribute;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.contract.fleet.ProvisioningTemplateBody;
import com.pettysync.contract.fleet.TelemetryRule;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetStackTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final FleetNames STAGING = new FleetNames("stg-collar", "stg-collar-policy", "stg-claim",
            "stg-collar-claim", "stg-fleet");
    private static final RuleName STAGING_RULE = RuleName.of("stg_telemetry");

    private static JsonNode template() throws Exception {
        return M.readTree(FleetStack.template());
    }

    private static JsonNode properties(JsonNode template, String logicalId) {
        return template.get("Resources").get(logicalId).get("Properties");
    }

    @Test
    void passesAwsCloudFormationSpecificationForTheStandardAndAnotherFleet() throws Exception {
        TemplateCheck check = new TemplateCheck(CloudFormationSpec.fromBuild());
        assertEquals(List.of(), check.problems(template()));
        assertEquals(List.of(), check.problems(M.readTree(FleetStack.template(STAGING, STAGING_RULE))));
    }

    @Test
    void declaresTheFleetsResourcesUnderTheContractsNames() throws Exception {
        JsonNode t = template();
        List<String> types = new ArrayList<>();
        t.get("Resources").forEach(r -> types.add(r.get("Type").asText()));
        assertEquals(List.of("AWS::IoT::Policy", "AWS::IoT::Policy", "AWS::IoT::ThingType", "AWS::IoT::ThingGroup",
                "AWS::IoT::TopicRule", "AWS::Lambda::Permission", "AWS::IAM::Role", "AWS::IoT::ProvisioningTemplate"),
                types);
        FleetNames n = FleetNames.STANDARD;
        assertEquals(n.collarPolicy(), properties(t, FleetStack.COLLAR_POLICY).get("PolicyName").asText());
        assertEquals(n.claimPolicy(), properties(t, FleetStack.CLAIM_POLICY).get("PolicyName").asText());
        assertEquals(n.thingType(), properties(t, FleetStack.THING_TYPE).get("ThingTypeName").asText());
        assertEquals(n.defaultThingGroup(), properties(t, FleetStack.THING_GROUP).get("ThingGroupName").asText());
        assertEquals(n.provisioningTemplate(), properties(t, FleetStack.PROVISIONING_TEMPLATE).get("TemplateName")
                .asText());
        assertEquals(RuleName.DEFAULT.value(), properties(t, FleetStack.TELEMETRY_RULE).get("RuleName").asText());
    }

    @Test
    void policyDocumentsAreTheContractsForTheStacksRegionAndAccount() throws Exception {
        JsonNode t = M.readTree(FleetStack.template(STAGING, STAGING_RULE));
        JsonNode collar = resolveSub(properties(t, FleetStack.COLLAR_POLICY).get("PolicyDocument"), "ap-south-1",
                "210987654321");
        assertEquals(M.readTree(IotPolicy.forCollars("ap-south-1", "210987654321", STAGING_RULE).json()), collar);
        JsonNode claim = resolveSub(properties(t, FleetStack.CLAIM_POLICY).get("PolicyDocument"), "ap-south-1",
                "210987654321");
        assertEquals(M.readTree(ClaimPolicy.forFleet("ap-south-1", "210987654321", STAGING).json()), claim);
        assertFalse(t.toString().contains(StackScopedDocument.STAND_IN_REGION));
        assertFalse(t.toString().contains(StackScopedDocument.STAND_IN_ACCOUNT));
    }

    @Test
    void thingTypeSearchesTheContractsAttributesAndTheRuleRunsTheContractsSql() throws Exception {
        JsonNode t = template();
        List<String> searchable = new ArrayList<>();
        properties(t, FleetStack.THING_TYPE).get("ThingTypeProperties").get("SearchableAttributes")
                .forEach(a -> searchable.add(a.asText()));
        assertEquals(CollarAttribute.searchable(), searchable);
        JsonNode payload = properties(t, FleetStack.TELEMETRY_RULE).get("TopicRulePayload");
        assertEquals(TelemetryRule.sql(), payload.get("Sql").asText());
        assertEquals(TelemetryRule.SQL_VERSION, payload.get("AwsIotSqlVersion").asText());
        assertEquals(M.readTree("[{\"Lambda\":{\"FunctionArn\":{\"Ref\":\"ValidatorFunctionArn\"}}}]"),
                payload.get("Actions"));
    }

    @Test
    void onlyAwsIotInvokesTheValidatorAndOnlyFromTheRuleInThisAccount() throws Exception {
        assertEquals(M.readTree("{\"Action\":\"lambda:InvokeFunction\",\"FunctionName\":{\"Ref\":"
                + "\"ValidatorFunctionArn\"},\"Principal\":\"iot.amazonaws.com\",\"SourceArn\":{\"Fn::GetAtt\":"
                + "[\"TelemetryRule\",\"Arn\"]},\"SourceAccount\":{\"Ref\":\"AWS::AccountId\"}}"),
                properties(template(), FleetStack.VALIDATOR_PERMISSION));
    }

    @Test
    void provisioningTemplateHasTheContractsBodyItsRoleAndComesAfterWhatTheBodyNames() throws Exception {
        JsonNode t = template();
        JsonNode resource = t.get("Resources").get(FleetStack.PROVISIONING_TEMPLATE);
        JsonNode p = resource.get("Properties");
        assertEquals(ProvisioningTemplateBody.forFleet(FleetNames.STANDARD).json(), p.get("TemplateBody").asText());
        assertEquals("FLEET_PROVISIONING", p.get("TemplateType").asText());
        assertTrue(p.get("Enabled").asBoolean());
        assertEquals(M.readTree("{\"Fn::GetAtt\":[\"ProvisioningRole\",\"Arn\"]}"), p.get("ProvisioningRoleArn"));
        assertEquals(M.readTree("[\"CollarPolicy\",\"CollarThingType\",\"FleetThingGroup\"]"),
                resource.get("DependsOn"));
        JsonNode role = properties(t, FleetStack.PROVISIONING_ROLE);
        assertEquals(M.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"iot.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"),
                role.get("AssumeRolePolicyDocument"));
        assertEquals("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSIoTThingsRegistration",
                role.get("ManagedPolicyArns").get(0).get("Fn::Sub").asText());
    }

    @Test
    void followsAnotherFleetsNamesEverywhere() throws Exception {
        String json = FleetStack.template(STAGING, STAGING_RULE);
        for (String standard : List.of("pettysync-collar", "pettysync-claim", "pettysync-fleet",
                "pettysync_telemetry")) {
            assertFalse(json.contains(standard), standard);
        }
        assertTrue(json.contains("$aws/rules/stg_telemetry/"));
        assertTrue(json.contains("$aws/provisioning-templates/stg-collar-claim/provision/*"));
    }

    @Test
    void outputsTheNamesAndArnsAndIsDeterministic() throws Exception {
        assertEquals(List.of("CollarPolicyName", "ClaimPolicyName", "ThingTypeName", "ThingGroupName",
                "TelemetryRuleArn", "ProvisioningTemplateArn", "ProvisioningRoleArn"),
                names(template().get("Outputs")));
        assertEquals(FleetStack.template(), FleetStack.template());
    }

    /** Evaluates every {@code Fn::Sub} of a document as CloudFormation would for this region and account. */
    private static JsonNode resolveSub(JsonNode n, String region, String account) {
        if (n.isObject() && n.size() == 1 && n.has("Fn::Sub")) {
            String s = n.get("Fn::Sub").asText().replace("${AWS::Region}", region)
                    .replace("${AWS::AccountId}", account);
            assertFalse(s.matches(".*\\$\\{[^!].*"), "unresolved variable in " + s);
            return TextNode.valueOf(s.replace("${!", "${"));
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                o.set(e.getKey(), resolveSub(e.getValue(), region, account));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(resolveSub(e, region, account)));
            return a;
        }
        return n;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
