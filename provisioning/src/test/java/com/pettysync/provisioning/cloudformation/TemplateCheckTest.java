package com.pettysync.provisioning.cloudformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.contract.topic.RuleName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker against AWS's spec: it passes a good template and catches each kind of mistake. */
class TemplateCheckTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final TemplateCheck CHECK = new TemplateCheck(CloudFormationSpec.fromBuild());

    private static ObjectNode stack() {
        return FleetStack.tree(FleetNames.STANDARD, RuleName.DEFAULT);
    }

    private static ObjectNode properties(ObjectNode template, String logicalId) {
        return (ObjectNode) template.get("Resources").get(logicalId).get("Properties");
    }

    @Test
    void theSpecIsTheDownloadedPackageAndKnowsEveryTypeTheStackUses() throws Exception {
        Path db = Path.of(System.getProperty(CloudFormationSpec.DB_PROPERTY));
        JsonNode pkg = M.readTree(Files.readString(db.resolveSibling("package.json")));
        assertEquals("@aws-cdk/aws-service-spec", pkg.get("name").asText());
        assertEquals(System.getProperty("aws.service.spec.version"), pkg.get("version").asText());
        CloudFormationSpec spec = CloudFormationSpec.fromBuild();
        assertTrue(spec.resourceTypeCount() > 1000, "resource types: " + spec.resourceTypeCount());
        for (String type : List.of("AWS::IoT::Policy", "AWS::IoT::ThingType", "AWS::IoT::ThingGroup",
                "AWS::IoT::TopicRule", "AWS::IoT::ProvisioningTemplate", "AWS::Lambda::Permission",
                "AWS::IAM::Role")) {
            assertTrue(spec.resource(type).isPresent(), type);
        }
        assertTrue(spec.resource("AWS::IoT::Policy").get().path("properties").path("PolicyDocument")
                .path("required").asBoolean());
    }

    @Test
    void passesTheGeneratedTemplate() {
        assertEquals(List.of(), CHECK.problems(stack()));
    }

    @Test
    void catchesAMisspeltProperty() {
        ObjectNode t = stack();
        ObjectNode p = properties(t, FleetStack.COLLAR_POLICY);
        p.set("PolicyNam", p.remove("PolicyName"));
        ObjectNode typeProperties = (ObjectNode) properties(t, FleetStack.THING_TYPE).get("ThingTypeProperties");
        typeProperties.set("SearchableAttribute", typeProperties.remove("SearchableAttributes"));
        assertEquals(List.of(
                "Resources.CollarPolicy.Properties.PolicyNam: not a property of AWS::IoT::Policy",
                "Resources.CollarThingType.Properties.ThingTypeProperties.SearchableAttribute: not a property of "
                        + "ThingTypeProperties"), CHECK.problems(t));
    }

    @Test
    void catchesAMissingRequiredPropertyAlsoInAPropertyType() {
        ObjectNode t = stack();
        properties(t, FleetStack.PROVISIONING_TEMPLATE).remove("ProvisioningRoleArn");
        ((ObjectNode) properties(t, FleetStack.TELEMETRY_RULE).get("TopicRulePayload")).remove("Sql");
        assertEquals(List.of(
                "Resources.TelemetryRule.Properties.TopicRulePayload: missing required property Sql of "
                        + "TopicRulePayload",
                "Resources.CollarClaimTemplate.Properties: missing required property ProvisioningRoleArn of "
                        + "AWS::IoT::ProvisioningTemplate"), CHECK.problems(t));
    }

    @Test
    void catchesWrongTypesAtEveryDepth() {
        ObjectNode t = stack();
        ObjectNode template = properties(t, FleetStack.PROVISIONING_TEMPLATE);
        template.put("Enabled", "yes");
        template.put("TemplateType", "CLAIM");
        ((ObjectNode) properties(t, FleetStack.THING_TYPE).get("ThingTypeProperties")).put("SearchableAttributes",
                "batch");
        ((ObjectNode) properties(t, FleetStack.TELEMETRY_RULE).get("TopicRulePayload")).put("Actions", "lambda");
        ((ArrayNode) properties(t, FleetStack.PROVISIONING_ROLE).get("ManagedPolicyArns")).add(42);
        properties(t, FleetStack.CLAIM_POLICY).put("PolicyDocument", true);
        properties(t, FleetStack.THING_GROUP).putArray("Tags").addObject().put("Key", "team");
        assertEquals(List.of(
                "Resources.ClaimPolicy.Properties.PolicyDocument: expected one of json | string, got boolean",
                "Resources.CollarThingType.Properties.ThingTypeProperties.SearchableAttributes: expected a list of "
                        + "string, got string",
                "Resources.FleetThingGroup.Properties.Tags[0]: missing required property Value of Tag",
                "Resources.TelemetryRule.Properties.TopicRulePayload.Actions: expected a list of ref, got string",
                "Resources.ProvisioningRole.Properties.ManagedPolicyArns[1]: expected a string, got number",
                "Resources.CollarClaimTemplate.Properties.Enabled: expected a boolean, got string",
                "Resources.CollarClaimTemplate.Properties.TemplateType: 'CLAIM' is not one of "
                        + "[\"FLEET_PROVISIONING\",\"JITP\"]"), CHECK.problems(t));
    }

    @Test
    void catchesAnUnknownResourceTypeAndResourceKey() {
        ObjectNode t = stack();
        ((ObjectNode) t.get("Resources").get(FleetStack.THING_TYPE)).put("Type", "AWS::IoT::ThingTyp");
        ((ObjectNode) t.get("Resources").get(FleetStack.THING_GROUP)).put("Propertes", "x");
        t.put("Output", "x");
        assertEquals(List.of(
                "Output: not a template section",
                "Resources.CollarThingType.Type: 'AWS::IoT::ThingTyp' is not a resource type of the CloudFormation "
                        + "spec",
                "Resources.FleetThingGroup.Propertes: not a resource attribute"), CHECK.problems(t));
    }

    @Test
    void catchesReferencesThatResolveToNothing() throws Exception {
        ObjectNode t = stack();
        properties(t, FleetStack.VALIDATOR_PERMISSION).set("FunctionName", M.readTree("{\"Ref\":\"ValidatorArn\"}"));
        properties(t, FleetStack.VALIDATOR_PERMISSION).set("SourceArn",
                M.readTree("{\"Fn::GetAtt\":[\"TelemetryRule\",\"RuleArn\"]}"));
        ((ObjectNode) t.get("Outputs").get("ProvisioningRoleArn")).set("Value",
                M.readTree("{\"Fn::GetAtt\":\"Role.Arn\"}"));
        ArrayNode statements = (ArrayNode) properties(t, FleetStack.CLAIM_POLICY).get("PolicyDocument")
                .get("Statement");
        ((ObjectNode) statements.get(0)).set("Resource",
                M.readTree("{\"Fn::Sub\":\"arn:aws:iot:${AWS::Regio}:${AWS::AccountId}:client/${!iot:ClientId}\"}"));
        ((ObjectNode) t.get("Resources").get(FleetStack.PROVISIONING_TEMPLATE)).putArray("DependsOn").add("Nobody");
        properties(t, FleetStack.THING_GROUP).set("ThingGroupName", M.readTree("{\"Fn::Concat\":[\"a\",\"b\"]}"));
        assertEquals(List.of(
                "Resources.ClaimPolicy.Properties.PolicyDocument.Statement[0].Resource.Fn::Sub ${AWS::Regio}: "
                        + "'AWS::Regio' names no parameter, pseudo parameter or resource",
                "Resources.FleetThingGroup.Properties.ThingGroupName: 'Fn::Concat' is not an intrinsic function",
                "Resources.ValidatorInvokePermission.Properties.FunctionName.Ref: 'ValidatorArn' names no parameter, "
                        + "pseudo parameter or resource",
                "Resources.ValidatorInvokePermission.Properties.SourceArn.Fn::GetAtt: AWS::IoT::TopicRule has no "
                        + "attribute 'RuleArn' (it has [Arn])",
                "Resources.CollarClaimTemplate.DependsOn: \"Nobody\" names no other resource",
                "Outputs.ProvisioningRoleArn.Value.Fn::GetAtt: 'Role' names no resource"), CHECK.problems(t));
    }

    @Test
    void catchesABadParameter() {
        ObjectNode t = stack();
        ObjectNode p = (ObjectNode) t.get("Parameters").get(FleetStack.VALIDATOR_FUNCTION_ARN);
        p.put("Type", "Text");
        p.put("Default", "not-an-arn");
        p.put("Pattern", "x");
        assertEquals(List.of(
                "Parameters.ValidatorFunctionArn.Pattern: not a parameter key",
                "Parameters.ValidatorFunctionArn.Type: 'Text' is not a parameter type",
                "Parameters.ValidatorFunctionArn.Default: does not match AllowedPattern"), CHECK.problems(t));
    }
}
