package com.pettysync.simulator.cloud.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.simulator.cloud.provisioning.ProvisioningPlan.CertificateStatus;
import com.pettysync.simulator.cloud.provisioning.ProvisioningPlan.Policy;
import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import com.pettysync.simulator.cloud.provisioning.ThingSpec.Override;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProvisioningTemplateTest {
    static final String CERT = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    static final String CERTIFICATE_RESOURCE = """
            "certificate": {"Type": "AWS::IoT::Certificate",
                            "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}""";

    private static String template(String parameters, String thingProperties, String rest) {
        return "{\"Parameters\": {" + parameters + "}, \"Resources\": {\"thing\": {\"Type\": \"AWS::IoT::Thing\","
                + " \"Properties\": {" + thingProperties + "}}, " + CERTIFICATE_RESOURCE + "}" + rest + "}";
    }

    private static ProvisioningPlan evaluate(String body, Map<String, String> parameters) throws ProvisioningRefusal {
        return ProvisioningTemplate.parse(body).evaluate(parameters, CERT);
    }

    private static ProvisioningRefusal refusal(String body, Map<String, String> parameters) {
        return assertThrows(ProvisioningRefusal.class, () -> evaluate(body, parameters));
    }

    @Test
    void buildsTheThingNameWithJoinAndSubAndTheAttributesFromParameters() throws Exception {
        String body = template("""
                "SerialNumber": {"Type": "String"}, "Model": {"Type": "String", "Default": "c2"}""", """
                "ThingName": {"Fn::Join": ["-", ["collar", {"Ref": "SerialNumber"}]]},
                "AttributePayload": {"serial": {"Ref": "SerialNumber"}, "model": {"Ref": "Model"},
                                     "label": {"Fn::Sub": "collar-${SerialNumber} (${Model})"}, "v": 2}""",
                ", \"DeviceConfiguration\": {\"name\": {\"Fn::Sub\": \"collar-${SerialNumber}\"}}");

        ProvisioningPlan plan = evaluate(body, Map.of("SerialNumber", "0042"));

        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("serial", "0042");
        attributes.put("model", "c2");
        attributes.put("label", "collar-0042 (c2)");
        attributes.put("v", "2");
        assertEquals(new ProvisioningPlan(CERT, CertificateStatus.ACTIVE, Optional.of(new ThingSpec(
                new Thing("collar-0042", Optional.empty(), List.of(), attributes, Optional.empty()),
                Override.DO_NOTHING, Override.DO_NOTHING, Override.DO_NOTHING)), List.of(),
                Map.of("name", "collar-0042")), plan);
    }

    @Test
    void subTakesItsOwnVariablesFirstAndEscapesWithBang() throws Exception {
        String body = template("\"S\": {\"Type\": \"String\"}", """
                "ThingName": {"Fn::Sub": ["${Prefix}-${S}", {"Prefix": {"Fn::Join": ["", ["col", "lar"]]}}]},
                "AttributePayload": {"literal": {"Fn::Sub": "${!S} is ${S}"},
                                     "cert": {"Fn::Sub": "${AWS::IoT::Certificate::Id}"}}""", "");

        Thing thing = evaluate(body, Map.of("S", "7")).thing().orElseThrow().desired();

        assertEquals("collar-7", thing.name());
        assertEquals(Map.of("literal", "${S} is 7", "cert", CERT), thing.attributes());
    }

    @Test
    void selectsFromASplitAndLooksUpMappings() throws Exception {
        String body = template("\"Location\": {\"Type\": \"String\"}", """
                "ThingName": {"Fn::Join": ["", ["collar-", {"Fn::Select": ["1", {"Fn::Split": ["/",
                                                                             {"Ref": "Location"}]}]}]]},
                "ThingGroups": [{"Fn::FindInMap": ["Regions", {"Fn::Select": [0, {"Fn::Split": ["/",
                                                              {"Ref": "Location"}]}]}, "group"]}]""",
                ", \"Mappings\": {\"Regions\": {\"eu\": {\"group\": \"collars-eu\"}}}");

        Thing thing = evaluate(body, Map.of("Location", "eu/kennel7/row2")).thing().orElseThrow().desired();

        assertEquals("collar-kennel7", thing.name());
        assertEquals(List.of("collars-eu"), thing.thingGroups());
    }

    @Test
    void evaluatesConditionsThroughIfAndDropsNoValue() throws Exception {
        String body = template("\"Tier\": {\"Type\": \"String\", \"Default\": \"basic\"}, \"S\": {\"Type\": \"String\"}",
                """
                "ThingName": {"Fn::Sub": "collar-${S}"},
                "ThingTypeName": {"Fn::If": ["Premium", "collar-premium", {"Ref": "AWS::NoValue"}]},
                "ThingGroups": ["collars", {"Fn::If": ["Premium", "premium", {"Ref": "AWS::NoValue"}]}]""",
                """
                , "Conditions": {"Premium": {"Fn::And": [{"Fn::Equals": [{"Ref": "Tier"}, "premium"]},
                                                         {"Fn::Not": [{"Condition": "Test"}]}]},
                                 "Test": {"Fn::Equals": [{"Ref": "S"}, "0000"]}}""");

        Thing basic = evaluate(body, Map.of("S", "1")).thing().orElseThrow().desired();
        Thing premium = evaluate(body, Map.of("S", "1", "Tier", "premium")).thing().orElseThrow().desired();
        Thing test = evaluate(body, Map.of("S", "0000", "Tier", "premium")).thing().orElseThrow().desired();

        assertEquals(Optional.empty(), basic.thingTypeName());
        assertEquals(List.of("collars"), basic.thingGroups());
        assertEquals(Optional.of("collar-premium"), premium.thingTypeName());
        assertEquals(List.of("collars", "premium"), premium.thingGroups());
        assertEquals(Optional.empty(), test.thingTypeName());
    }

    @Test
    void skipsAResourceWhoseConditionIsFalse() throws Exception {
        String body = """
                {"Parameters": {"WithPolicy": {"Type": "String"}},
                 "Conditions": {"Attach": {"Fn::Equals": [{"Ref": "WithPolicy"}, "yes"]}},
                 "Resources": {%s,
                   "policy": {"Type": "AWS::IoT::Policy", "Condition": "Attach",
                              "Properties": {"PolicyName": "collar"}}}}""".formatted(CERTIFICATE_RESOURCE);

        assertEquals(List.of(), evaluate(body, Map.of("WithPolicy", "no")).policies());
        assertEquals(List.of(new Policy("collar", Optional.empty())),
                evaluate(body, Map.of("WithPolicy", "yes")).policies());
        assertEquals(Optional.empty(), evaluate(body, Map.of("WithPolicy", "yes")).thing());
    }

    @Test
    void evaluatesAwsOwnFleetProvisioningExample() throws Exception {
        // the example of provision-template.html (Fleet provisioning), with its undeclared SerialNumber declared
        String body = """
                {"Parameters": {"SerialNumber": {"Type": "String"}, "DeviceLocation": {"Type": "String"}},
                 "Mappings": {"LocationTable": {"Seattle": {"LocationUrl": "https://example.aws"}}},
                 "Resources": {
                   "thing": {"Type": "AWS::IoT::Thing",
                     "Properties": {"ThingName": {"Ref": "SerialNumber"},
                       "AttributePayload": {"version": "v1", "serialNumber": "serialNumber"},
                       "ThingTypeName": {"Fn::Join": ["", ["ThingPrefix_", {"Ref": "SerialNumber"}]]},
                       "ThingGroups": ["v1-lightbulbs", "WA"], "BillingGroup": "LightBulbBillingGroup"},
                     "OverrideSettings": {"AttributePayload": "MERGE", "ThingTypeName": "REPLACE",
                                          "ThingGroups": "DO_NOTHING"}},
                   "certificate": {"Type": "AWS::IoT::Certificate",
                     "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
                   "policy": {"Type": "AWS::IoT::Policy",
                     "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                       "Action": ["iot:Publish"], "Resource": ["arn:aws:iot:us-east-1:123456789012:topic/foo/bar"]}]}}}},
                 "DeviceConfiguration": {"FallbackUrl": "https://www.example.com/test-site",
                   "LocationUrl": {"Fn::FindInMap": ["LocationTable", {"Ref": "DeviceLocation"}, "LocationUrl"]}}}
                """;

        ProvisioningPlan plan = evaluate(body, Map.of("SerialNumber", "bulb1", "DeviceLocation", "Seattle"));

        ThingSpec thing = plan.thing().orElseThrow();
        assertEquals(new Thing("bulb1", Optional.of("ThingPrefix_bulb1"), List.of("v1-lightbulbs", "WA"),
                Map.of("version", "v1", "serialNumber", "serialNumber"), Optional.of("LightBulbBillingGroup")),
                thing.desired());
        assertEquals(List.of(Override.MERGE, Override.REPLACE, Override.DO_NOTHING),
                List.of(thing.attributePayload(), thing.thingTypeName(), thing.thingGroups()));
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"iot:Publish\"],\"Resource\":[\"arn:aws:iot:us-east-1:123456789012:topic/foo/bar\"]}]}";
        assertEquals(List.of(new Policy(sha256(document), Optional.of(document))), plan.policies());
        assertEquals(Map.of("FallbackUrl", "https://www.example.com/test-site", "LocationUrl", "https://example.aws"),
                plan.deviceConfiguration());
        assertEquals(CertificateStatus.ACTIVE, plan.certificateStatus());
    }

    @Test
    void setsTheCertificateInactiveWhenTheTemplateSaysSo() throws Exception {
        String body = """
                {"Resources": {"certificate": {"Type": "AWS::IoT::Certificate",
                  "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "INACTIVE"}}}}""";
        assertEquals(CertificateStatus.INACTIVE, evaluate(body, Map.of()).certificateStatus());
    }

    @Test
    void namesEveryMissingParameterWithoutADefault() {
        String body = template("\"A\": {\"Type\": \"String\"}, \"B\": {\"Type\": \"String\", \"Default\": \"b\"},"
                + " \"C\": {\"Type\": \"Number\"}", "\"ThingName\": {\"Ref\": \"A\"}", "");

        ProvisioningRefusal r = refusal(body, Map.of());

        assertEquals(Reason.INVALID_PARAMETERS, r.reason());
        assertEquals("Missing required parameters A, C (declared without a Default)", r.getMessage());
        assertEquals(Reason.INVALID_PARAMETERS, refusal(body, Map.of("A", "a", "C", "twelve")).reason());
    }

    @Test
    void refusesUnsupportedFunctionsAndBadReferencesNamingWhereTheyAre() {
        String getAtt = template("", "\"ThingName\": {\"Fn::GetAtt\": [\"thing\", \"Arn\"]}", "");
        String base64 = template("", "\"ThingName\": \"a\", \"AttributePayload\": {\"x\": {\"Fn::Base64\": \"y\"}}",
                "");
        String badRef = template("", "\"ThingName\": {\"Ref\": \"Serial\"}", "");
        String badSub = template("", "\"ThingName\": {\"Fn::Sub\": \"collar-${Serial}\"}", "");
        String outOfBounds = template("", "\"ThingName\": {\"Fn::Select\": [\"3\", [\"a\", \"b\"]]}", "");
        String equalsOutside = template("", "\"ThingName\": {\"Fn::Equals\": [\"a\", \"a\"]}", "");
        String unknownCondition = template("", "\"ThingName\": {\"Fn::If\": [\"Nope\", \"a\", \"b\"]}", "");
        String cyclic = template("", "\"ThingName\": {\"Fn::If\": [\"A\", \"a\", \"b\"]}",
                ", \"Conditions\": {\"A\": {\"Condition\": \"A\"}}");
        String listName = template("", "\"ThingName\": [\"a\"]", "");

        assertTemplateError(getAtt, "Resources.thing.Properties.ThingName.Fn::GetAtt: unsupported intrinsic"
                + " function Fn::GetAtt");
        assertTemplateError(base64, "Resources.thing.Properties.AttributePayload.x.Fn::Base64: unsupported");
        assertTemplateError(badRef, "Ref to \"Serial\", which is not a parameter");
        assertTemplateError(badSub, "${Serial} names no variable");
        assertTemplateError(outOfBounds, "index 3 is out of bounds of a list of 2");
        assertTemplateError(equalsOutside, "Fn::Equals is a condition function");
        assertTemplateError(unknownCondition, "condition \"Nope\" is not defined");
        assertTemplateError(cyclic, "refers to itself");
        assertTemplateError(listName, "Resources.thing.Properties.ThingName: must evaluate to a string");
    }

    @Test
    void refusesMalformedTemplatesWhenParsed() {
        assertParseError("{", "not JSON");
        assertParseError("{\"Outputs\": {}}", "Outputs: unknown template section");
        assertParseError("{\"Resources\": {" + CERTIFICATE_RESOURCE + ", \"q\": {\"Type\": \"AWS::SQS::Queue\","
                + " \"Properties\": {}}}}", "Resources.q.Type: unsupported resource type");
        assertParseError("{\"Resources\": {}}", "needs exactly one AWS::IoT::Certificate");
        assertParseError("{\"Parameters\": {\"A\": {\"Type\": \"List<String>\"}}, \"Resources\": {"
                + CERTIFICATE_RESOURCE + "}}", "Parameters.A.Type: must be \"String\" or \"Number\"");
        assertParseError("{\"Resources\": {" + CERTIFICATE_RESOURCE + ", \"p\": {\"Type\": \"AWS::IoT::Policy\","
                + " \"Properties\": {\"PolicyName\": \"x\"}, \"OverrideSettings\": {}}}}",
                "not available for policy resources");
    }

    @Test
    void refusesACertificateResourceThatIsNotTheOneBeingProvisioned() {
        String body = """
                {"Parameters": {"Id": {"Type": "String"}},
                 "Resources": {"certificate": {"Type": "AWS::IoT::Certificate",
                                               "Properties": {"CertificateId": {"Ref": "Id"}}}}}""";
        assertTemplateError(body, Map.of("Id", "someone-else"), "must be {\"Ref\": \"AWS::IoT::Certificate::Id\"}");
    }

    @Test
    void refusesAThingNameAwsWouldNotAccept() {
        ProvisioningRefusal r = refusal(template("\"S\": {\"Type\": \"String\"}",
                "\"ThingName\": {\"Fn::Sub\": \"collar ${S}\"}", ""), Map.of("S", "1"));
        assertEquals(Reason.RESOURCE_REGISTRATION_FAILED, r.reason());
        assertTrue(r.getMessage().contains("\"collar 1\""), r.getMessage());
    }

    @Test
    void resolvesOverrideSettingsAgainstAnExistingThing() throws Exception {
        Thing existing = new Thing("collar-1", Optional.of("old"), List.of("a", "b"), Map.of("x", "1", "y", "1"),
                Optional.of("billing-old"));
        Thing desired = new Thing("collar-1", Optional.of("new"), List.of("b", "c"), Map.of("y", "2", "z", "2"),
                Optional.empty());

        assertEquals(new Thing("collar-1", Optional.of("new"), List.of("a", "b", "c"), Map.of("x", "1", "y", "2",
                "z", "2"), Optional.of("billing-old")), new ThingSpec(desired, Override.MERGE, Override.REPLACE,
                Override.MERGE).resolveAgainst(Optional.of(existing)));
        assertEquals(existing, new ThingSpec(desired, Override.DO_NOTHING, Override.DO_NOTHING, Override.DO_NOTHING)
                .resolveAgainst(Optional.of(existing)));
        assertEquals(new Thing("collar-1", Optional.of("old"), List.of("b", "c"), Map.of("y", "2", "z", "2"),
                Optional.of("billing-old")), new ThingSpec(desired, Override.REPLACE, Override.DO_NOTHING,
                Override.REPLACE).resolveAgainst(Optional.of(existing)));
        assertEquals(desired, new ThingSpec(desired, Override.FAIL, Override.FAIL, Override.FAIL)
                .resolveAgainst(Optional.empty()));
        assertEquals(Reason.RESOURCE_CONFLICT, assertThrows(ProvisioningRefusal.class, () -> new ThingSpec(desired,
                Override.DO_NOTHING, Override.FAIL, Override.DO_NOTHING).resolveAgainst(Optional.of(existing)))
                .reason());
    }

    private static void assertTemplateError(String body, String messagePart) {
        assertTemplateError(body, Map.of(), messagePart);
    }

    private static void assertTemplateError(String body, Map<String, String> parameters, String messagePart) {
        ProvisioningRefusal r = refusal(body, parameters);
        assertEquals(Reason.INVALID_TEMPLATE, r.reason(), r.getMessage());
        assertTrue(r.getMessage().contains(messagePart), r.getMessage());
    }

    private static void assertParseError(String body, String messagePart) {
        ProvisioningRefusal r = assertThrows(ProvisioningRefusal.class, () -> ProvisioningTemplate.parse(body));
        assertEquals(Reason.INVALID_TEMPLATE, r.reason(), r.getMessage());
        assertTrue(r.getMessage().contains(messagePart), r.getMessage());
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
