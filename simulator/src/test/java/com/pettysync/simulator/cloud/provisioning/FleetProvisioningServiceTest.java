package com.pettysync.simulator.cloud.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.Outbound;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetProvisioningServiceTest {
    static final String CSR_TOPIC = "$aws/certificates/create-from-csr/json";
    static final String KEYS_TOPIC = "$aws/certificates/create/json";
    static final String PROVISION_TOPIC = "$aws/provisioning-templates/collar-fleet/provision/json";
    static final String COLLAR_TEMPLATE = """
            {
              "Parameters": {
                "SerialNumber": {"Type": "String"},
                "Kennel": {"Type": "String", "Default": "home"},
                "AWS::IoT::Certificate::Id": {"Type": "String"}
              },
              "Resources": {
                "thing": {
                  "Type": "AWS::IoT::Thing",
                  "Properties": {
                    "ThingName": {"Fn::Join": ["", ["collar-", {"Ref": "SerialNumber"}]]},
                    "ThingTypeName": "collar",
                    "ThingGroups": ["collars", {"Fn::Sub": "kennel-${Kennel}"}],
                    "AttributePayload": {"serial": {"Ref": "SerialNumber"}, "kennel": {"Ref": "Kennel"}}
                  },
                  "OverrideSettings": {"AttributePayload": "MERGE", "ThingTypeName": "REPLACE",
                                       "ThingGroups": "DO_NOTHING"}
                },
                "certificate": {
                  "Type": "AWS::IoT::Certificate",
                  "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}
                },
                "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "pettysync-collar"}}
              },
              "DeviceConfiguration": {"shadowName": {"Fn::Sub": "collar-${SerialNumber}-config"}, "port": 8883}
            }
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T07:00:00Z"));
    private final InMemoryProvisioningBackend backend = new InMemoryProvisioningBackend();
    private FleetProvisioningService service;

    @BeforeEach
    void setUp() {
        backend.putTemplate("collar-fleet", COLLAR_TEMPLATE, true);
        backend.thingTypes.add("collar");
        backend.policies.put("pettysync-collar", Optional.empty());
        service = new FleetProvisioningService(backend, clock);
    }

    private JsonNode call(String topic, String payload, String expectedReplyTopic) throws Exception {
        List<Outbound> out = service.handle("claim-0001", topic, payload.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, out.size(), "one reply: " + out);
        assertEquals(expectedReplyTopic, out.get(0).topic());
        return json.readTree(out.get(0).payload());
    }

    private JsonNode createFromCsr() throws Exception {
        ObjectNode req = json.createObjectNode().put("certificateSigningRequest", TestCsrs.ecP256("CN=collar"));
        return call(CSR_TOPIC, req.toString(), CSR_TOPIC + "/accepted");
    }

    private String provisionRequest(String token, Map<String, String> parameters) {
        ObjectNode req = json.createObjectNode().put("certificateOwnershipToken", token);
        ObjectNode p = req.putObject("parameters");
        parameters.forEach(p::put);
        return req.toString();
    }

    private static void assertRejected(JsonNode reply, int status, String code, String messagePart) {
        assertEquals(status, reply.path("statusCode").asInt(), reply.toString());
        assertEquals(code, reply.path("errorCode").asText(), reply.toString());
        assertTrue(reply.path("errorMessage").asText().contains(messagePart), reply.toString());
        assertEquals(Set.of("statusCode", "errorCode", "errorMessage"), Set.copyOf(fieldNames(reply)));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void provisionsACollarFromCsrThroughTokenToThing() throws Exception {
        JsonNode created = createFromCsr();
        assertEquals(List.of("certificateId", "certificatePem", "certificateOwnershipToken"), fieldNames(created));
        String certificateId = created.get("certificateId").asText();
        assertEquals(InMemoryProvisioningBackend.FIXED_PEM, created.get("certificatePem").asText());
        assertEquals("PENDING_ACTIVATION", backend.certificates.get(certificateId).status);
        assertTrue(created.get("certificateOwnershipToken").asText().length() >= 43, "256 random bits");

        JsonNode provisioned = call(PROVISION_TOPIC, provisionRequest(created.get("certificateOwnershipToken")
                .asText(), Map.of("SerialNumber", "0042")), PROVISION_TOPIC + "/accepted");

        assertEquals(json.readTree("""
                {"deviceConfiguration": {"shadowName": "collar-0042-config", "port": "8883"},
                 "thingName": "collar-0042"}"""), provisioned);
        assertEquals(new Thing("collar-0042", Optional.of("collar"), List.of("collars", "kennel-home"),
                Map.of("serial", "0042", "kennel", "home"), Optional.empty()), backend.things.get("collar-0042"));
        var cert = backend.certificates.get(certificateId);
        assertEquals("ACTIVE", cert.status);
        assertEquals(Set.of("collar-0042"), cert.things);
        assertEquals(Set.of("pettysync-collar"), cert.policies);
        assertEquals(Set.of(certificateId), backend.thingPrincipals.get("collar-0042"));
    }

    @Test
    void refusesAnOwnershipTokenUsedTwice() throws Exception {
        String token = createFromCsr().get("certificateOwnershipToken").asText();
        call(PROVISION_TOPIC, provisionRequest(token, Map.of("SerialNumber", "0042")), PROVISION_TOPIC + "/accepted");

        JsonNode again = call(PROVISION_TOPIC, provisionRequest(token, Map.of("SerialNumber", "0043")),
                PROVISION_TOPIC + "/rejected");

        assertRejected(again, 400, "InvalidCertificateOwnershipToken", "already been used");
        assertFalse(backend.things.containsKey("collar-0043"));
    }

    @Test
    void acceptsATokenUntilOneHourAfterIssueAndRefusesItFromThen() throws Exception {
        String early = createFromCsr().get("certificateOwnershipToken").asText();
        String late = createFromCsr().get("certificateOwnershipToken").asText();
        clock.advance(Duration.ofHours(1).minusSeconds(1));
        call(PROVISION_TOPIC, provisionRequest(early, Map.of("SerialNumber", "0001")), PROVISION_TOPIC + "/accepted");

        clock.advance(Duration.ofSeconds(1));
        JsonNode expired = call(PROVISION_TOPIC, provisionRequest(late, Map.of("SerialNumber", "0002")),
                PROVISION_TOPIC + "/rejected");

        assertRejected(expired, 400, "InvalidCertificateOwnershipToken", "expired");
        assertEquals(Duration.ofHours(1), FleetProvisioningService.OWNERSHIP_TOKEN_LIFETIME);
    }

    @Test
    void discardsTheCertificateOfATokenThatExpiredUnused() throws Exception {
        String unused = createFromCsr().get("certificateId").asText();
        JsonNode used = createFromCsr();
        call(PROVISION_TOPIC, provisionRequest(used.get("certificateOwnershipToken").asText(),
                Map.of("SerialNumber", "0001")), PROVISION_TOPIC + "/accepted");

        assertEquals(List.of(), service.expireOwnershipTokens());
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(unused), service.expireOwnershipTokens());
        assertEquals(List.of(), service.expireOwnershipTokens(), "handed over once");

        assertEquals(List.of(unused), backend.discarded);
        assertTrue(backend.certificates.containsKey(used.get("certificateId").asText()));
    }

    @Test
    void rejectsAnUnknownTemplateAndLeavesTheTokenUsable() throws Exception {
        String token = createFromCsr().get("certificateOwnershipToken").asText();
        String unknown = "$aws/provisioning-templates/no-such-template/provision/json";

        JsonNode reply = call(unknown, provisionRequest(token, Map.of("SerialNumber", "0042")),
                unknown + "/rejected");

        assertRejected(reply, 404, "ResourceNotFound", "no-such-template");
        call(PROVISION_TOPIC, provisionRequest(token, Map.of("SerialNumber", "0042")), PROVISION_TOPIC + "/accepted");
    }

    @Test
    void rejectsADisabledTemplate() throws Exception {
        backend.putTemplate("collar-fleet", COLLAR_TEMPLATE, false);
        String token = createFromCsr().get("certificateOwnershipToken").asText();

        JsonNode reply = call(PROVISION_TOPIC, provisionRequest(token, Map.of("SerialNumber", "0042")),
                PROVISION_TOPIC + "/rejected");

        assertRejected(reply, 400, "TemplateDisabled", "collar-fleet is disabled");
        assertTrue(backend.things.isEmpty());
    }

    @Test
    void rejectsAMissingParameterThatHasNoDefault() throws Exception {
        String token = createFromCsr().get("certificateOwnershipToken").asText();

        JsonNode reply = call(PROVISION_TOPIC, provisionRequest(token, Map.of("Kennel", "barn")),
                PROVISION_TOPIC + "/rejected");

        assertRejected(reply, 400, "InvalidParameters", "SerialNumber");
        assertFalse(reply.get("errorMessage").asText().contains("Kennel"), "Kennel has a Default and was given");
    }

    @Test
    void rejectsAnEmptyOrUnknownOwnershipToken() throws Exception {
        assertRejected(call(PROVISION_TOPIC, "{\"parameters\":{\"SerialNumber\":\"1\"}}", PROVISION_TOPIC
                + "/rejected"), 400, "InvalidCertificateOwnershipToken", "cannot be empty");
        assertRejected(call(PROVISION_TOPIC, provisionRequest("bm90LWEtdG9rZW4", Map.of("SerialNumber", "1")),
                PROVISION_TOPIC + "/rejected"), 400, "InvalidCertificateOwnershipToken", "not valid");
    }

    @Test
    void rejectsACsrThatIsNotPem() throws Exception {
        JsonNode reply = call(CSR_TOPIC, "{\"certificateSigningRequest\":\"hello\"}", CSR_TOPIC + "/rejected");

        assertRejected(reply, 400, "InvalidCSR", "CERTIFICATE REQUEST");
        assertTrue(backend.certificates.isEmpty());
    }

    @Test
    void rejectsACsrWhoseSignatureDoesNotVerify() throws Exception {
        ObjectNode req = json.createObjectNode().put("certificateSigningRequest",
                TestCsrs.signedByAnotherKey("CN=collar"));

        assertRejected(call(CSR_TOPIC, req.toString(), CSR_TOPIC + "/rejected"), 400, "InvalidCSR",
                "does not verify");
        assertTrue(backend.certificates.isEmpty());
    }

    @Test
    void rejectsACsrWithAnRsaKeyUnder2048Bits() throws Exception {
        ObjectNode req = json.createObjectNode().put("certificateSigningRequest",
                TestCsrs.pem("CN=collar", TestCsrs.keys("RSA", 1024), "SHA256withRSA"));

        assertRejected(call(CSR_TOPIC, req.toString(), CSR_TOPIC + "/rejected"), 400, "InvalidCSR", "1024 bits");
    }

    @Test
    void rejectsACsrSignedWithSha1() throws Exception {
        ObjectNode req = json.createObjectNode().put("certificateSigningRequest",
                TestCsrs.pem("CN=collar", TestCsrs.keys("EC", "secp256r1"), "SHA1withECDSA"));

        assertRejected(call(CSR_TOPIC, req.toString(), CSR_TOPIC + "/rejected"), 400, "InvalidCSR", "SHA1");
    }

    @Test
    void acceptsRsa2048AndP384Csrs() throws Exception {
        for (String pem : List.of(TestCsrs.pem("CN=a", TestCsrs.keys("RSA", 2048), "SHA256withRSA"),
                TestCsrs.pem("CN=b", TestCsrs.keys("EC", "secp384r1"), "SHA384withECDSA"))) {
            call(CSR_TOPIC, json.createObjectNode().put("certificateSigningRequest", pem).toString(),
                    CSR_TOPIC + "/accepted");
        }
        assertEquals(2, backend.certificates.size());
    }

    @Test
    void rejectsMalformedRequestsWith400AndNeverThrows() throws Exception {
        assertRejected(call(CSR_TOPIC, "{not json", CSR_TOPIC + "/rejected"), 400, "InvalidRequest", "not valid JSON");
        assertRejected(call(CSR_TOPIC, "[1,2]", CSR_TOPIC + "/rejected"), 400, "InvalidRequest", "JSON object");
        assertRejected(call(CSR_TOPIC, "", CSR_TOPIC + "/rejected"), 400, "InvalidRequest", "empty");
        assertRejected(call(CSR_TOPIC, "{}", CSR_TOPIC + "/rejected"), 400, "InvalidRequest",
                "Missing required field: certificateSigningRequest");
        assertRejected(call(CSR_TOPIC, "{\"certificateSigningRequest\": 7}", CSR_TOPIC + "/rejected"), 400,
                "InvalidRequest", "must be a string");
        assertRejected(call(PROVISION_TOPIC, "{\"certificateOwnershipToken\": 1}", PROVISION_TOPIC + "/rejected"),
                400, "InvalidRequest", "certificateOwnershipToken must be a string");
        assertRejected(call(PROVISION_TOPIC, "{\"certificateOwnershipToken\":\"x\",\"parameters\":{\"n\":1}}",
                PROVISION_TOPIC + "/rejected"), 400, "InvalidRequest", "parameters.n must be a string");
        assertRejected(call(PROVISION_TOPIC, "{\"certificateOwnershipToken\":\"x\",\"parameters\":[]}",
                PROVISION_TOPIC + "/rejected"), 400, "InvalidRequest", "parameters must be an object");
    }

    @Test
    void repliesOnlyOnTheRequestTopicsRepliesAndIgnoresEverythingElse() throws Exception {
        assertEquals(List.of(), service.handle("c", CSR_TOPIC + "/accepted", "{}".getBytes()));
        assertEquals(List.of(), service.handle("c", PROVISION_TOPIC + "/rejected", "{}".getBytes()));
        assertEquals(List.of(), service.handle("c", "$aws/certificates/create-from-csr/xml", "{}".getBytes()));
        assertEquals(List.of(), service.handle("c", "$aws/certificates/other/json", "{}".getBytes()));
        assertTrue(FleetProvisioningService.handles(CSR_TOPIC));
        assertTrue(FleetProvisioningService.handles(PROVISION_TOPIC));
        assertFalse(FleetProvisioningService.handles("$aws/things/collar-0001/shadow/get"));
    }

    @Test
    void answersACborRequestInCbor() throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        String topic = "$aws/certificates/create-from-csr/cbor";
        byte[] request = cbor.writeValueAsBytes(Map.of("certificateSigningRequest", TestCsrs.ecP256("CN=c")));

        List<Outbound> out = service.handle("claim-0001", topic, request);

        assertEquals(topic + "/accepted", out.get(0).topic());
        JsonNode reply = cbor.readTree(out.get(0).payload());
        assertTrue(backend.certificates.containsKey(reply.get("certificateId").asText()));
    }

    @Test
    void createsKeysAndACertificateWhoseCsrCarriesThePublicKeyOfTheReturnedPrivateKey() throws Exception {
        JsonNode reply = call(KEYS_TOPIC, "", KEYS_TOPIC + "/accepted");

        assertEquals(List.of("certificateId", "certificatePem", "privateKey", "certificateOwnershipToken"),
                fieldNames(reply));
        String pem = reply.get("privateKey").asText();
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem.substring(0, 30));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        var privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        var csr = backend.certificates.get(reply.get("certificateId").asText()).csr;
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(csr.publicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature), "the registry signed the returned key's public half");
        assertEquals("CN=AWS IoT Certificate", csr.subject());

        call(PROVISION_TOPIC, provisionRequest(reply.get("certificateOwnershipToken").asText(),
                Map.of("SerialNumber", "0007")), PROVISION_TOPIC + "/accepted");
    }

    @Test
    void reportsARegistryFailureAs500AndKeepsTheToken() throws Exception {
        String token = createFromCsr().get("certificateOwnershipToken").asText();
        backend.failNextProvision = new IllegalStateException("disk full");

        assertRejected(call(PROVISION_TOPIC, provisionRequest(token, Map.of("SerialNumber", "0042")),
                PROVISION_TOPIC + "/rejected"), 500, "InternalFailure", "retry");
        call(PROVISION_TOPIC, provisionRequest(token, Map.of("SerialNumber", "0042")), PROVISION_TOPIC + "/accepted");
    }

    @Test
    void reprovisioningAnExistingThingMergesAttributesKeepsGroupsAndAttachesTheNewCertificateToo()
            throws Exception {
        String first = createFromCsr().get("certificateOwnershipToken").asText();
        call(PROVISION_TOPIC, provisionRequest(first, Map.of("SerialNumber", "0042", "Kennel", "barn")),
                PROVISION_TOPIC + "/accepted");
        backend.things.put("collar-0042", new Thing("collar-0042", Optional.of("collar"), List.of("collars",
                "kennel-barn", "vip"), Map.of("serial", "0042", "kennel", "barn", "owner", "ana"), Optional.empty()));
        JsonNode second = createFromCsr();

        call(PROVISION_TOPIC, provisionRequest(second.get("certificateOwnershipToken").asText(),
                Map.of("SerialNumber", "0042")), PROVISION_TOPIC + "/accepted");

        Thing thing = backend.things.get("collar-0042");
        assertEquals(Map.of("serial", "0042", "kennel", "home", "owner", "ana"), thing.attributes(), "MERGE");
        assertEquals(List.of("collars", "kennel-barn", "vip"), thing.thingGroups(), "DO_NOTHING");
        assertEquals(2, backend.thingPrincipals.get("collar-0042").size());
    }

    @Test
    void refusesAnExistingThingWhenTheTemplateSaysFail() throws Exception {
        backend.putTemplate("collar-fleet", COLLAR_TEMPLATE.replace("\"ThingGroups\": \"DO_NOTHING\"",
                "\"ThingGroups\": \"FAIL\""), true);
        backend.things.put("collar-0042", Thing.named("collar-0042"));
        JsonNode created = createFromCsr();

        assertRejected(call(PROVISION_TOPIC, provisionRequest(created.get("certificateOwnershipToken").asText(),
                Map.of("SerialNumber", "0042")), PROVISION_TOPIC + "/rejected"), 409, "ResourceConflicts",
                "OverrideSettings.ThingGroups is FAIL");
        assertEquals("PENDING_ACTIVATION", backend.certificates.get(created.get("certificateId").asText()).status);
    }

    @Test
    void rejectsATemplateThatCannotBeEvaluated() throws Exception {
        backend.putTemplate("collar-fleet", COLLAR_TEMPLATE.replace("\"ThingTypeName\": \"collar\"",
                "\"ThingTypeName\": {\"Fn::GetAtt\": [\"thing\", \"Arn\"]}"), true);
        String token = createFromCsr().get("certificateOwnershipToken").asText();

        assertRejected(call(PROVISION_TOPIC, provisionRequest(token, Map.of("SerialNumber", "0042")),
                PROVISION_TOPIC + "/rejected"), 400, "InvalidTemplate",
                "Resources.thing.Properties.ThingTypeName.Fn::GetAtt: unsupported intrinsic function Fn::GetAtt");
    }
}
