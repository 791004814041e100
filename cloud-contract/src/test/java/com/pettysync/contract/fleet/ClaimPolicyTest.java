package com.pettysync.contract.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimPolicyTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String ARN = "arn:aws:iot:eu-central-1:123456789012:";
    private static final ClaimPolicy P = ClaimPolicy.forFleet("eu-central-1", "123456789012", FleetNames.STANDARD);

    /**
     * Decides with AWS IoT's policy semantics (Allow statements only here; {@code *} any run, {@code ?} one character,
     * default deny). When {@code IotPolicy.fromDocument(json)} exists, this reads {@code IotPolicy.fromDocument(
     * P.json())::allows} instead.
     */
    private static boolean allows(String action, String resource) throws Exception {
        for (JsonNode s : M.readTree(P.json()).get("Statement")) {
            if (!s.get("Effect").asText().equals("Allow") || s.has("Condition")) {
                continue;
            }
            if (strings(s.get("Action")).contains(action)) {
                for (String pattern : strings(s.get("Resource"))) {
                    if (wildcard(pattern, ARN + resource)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        "iot:Connect|client/claim-7f3a|true",
        "iot:Connect|client/collar-PS0042|true",
        "iot:Publish|topic/$aws/certificates/create-from-csr/json|true",
        "iot:Publish|topic/$aws/certificates/create-from-csr/cbor|true",
        "iot:Subscribe|topicfilter/$aws/certificates/create-from-csr/json/accepted|true",
        "iot:Subscribe|topicfilter/$aws/certificates/create-from-csr/json/rejected|true",
        "iot:Receive|topic/$aws/certificates/create-from-csr/json/accepted|true",
        "iot:Publish|topic/$aws/provisioning-templates/pettysync-collar-claim/provision/json|true",
        "iot:Subscribe|topicfilter/$aws/provisioning-templates/pettysync-collar-claim/provision/json/accepted|true",
        "iot:Receive|topic/$aws/provisioning-templates/pettysync-collar-claim/provision/json/rejected|true",
        "iot:Publish|topic/$aws/certificates/create/json|false",
        "iot:Subscribe|topicfilter/$aws/certificates/create/json/accepted|false",
        "iot:Publish|topic/$aws/provisioning-templates/other-template/provision/json|false",
        "iot:Subscribe|topicfilter/$aws/provisioning-templates/+/provision/json/accepted|false",
        "iot:Subscribe|topicfilter/#|false",
        "iot:Publish|topic/pettysync/v1/collar-PS0042/telemetry|false",
        "iot:Publish|topic/$aws/rules/pettysync_telemetry/pettysync/v1/collar-PS0042/telemetry|false",
        "iot:Publish|topic/$aws/things/collar-PS0042/shadow/name/config/update|false",
        "iot:Subscribe|topicfilter/$aws/things/collar-PS0042/jobs/notify-next|false",
        "iot:Publish|topicfilter/$aws/certificates/create-from-csr/json|false",
        "iot:Subscribe|topic/$aws/certificates/create-from-csr/json/accepted|false",
        "iot:GetThingShadow|thing/collar-PS0042|false",
    })
    void allowsOnlyCsrSigningAndRegistrationWithTheFleetTemplate(String action, String resource, boolean allowed)
            throws Exception {
        assertEquals(allowed, allows(action, resource));
    }

    @Test
    void rendersThreeAllowStatementsInTheAccountAndRegion() throws Exception {
        JsonNode root = M.readTree(P.json());
        assertEquals("2012-10-17", root.get("Version").asText());
        assertFalse(P.json().contains("{{"));
        assertEquals(3, root.get("Statement").size());
        List<String> resources = new ArrayList<>();
        for (JsonNode s : root.get("Statement")) {
            assertEquals("Allow", s.get("Effect").asText());
            resources.addAll(strings(s.get("Resource")));
        }
        assertEquals(5, resources.size());
        resources.forEach(r -> assertTrue(r.startsWith(ARN), r));
        assertEquals(List.of("iot:Publish", "iot:Receive"), strings(root.get("Statement").get(1).get("Action")));
        assertEquals("pettysync-collar-claim", P.provisioningTemplate());
    }

    @Test
    void fitsAwsPolicySizeLimit() {
        assertTrue(ClaimPolicy.documentChars(P.json()) <= ClaimPolicy.AWS_MAX_DOCUMENT_CHARS,
                ClaimPolicy.documentChars(P.json()) + " characters");
        assertEquals(3, ClaimPolicy.documentChars(" {\n\t}a "));
    }

    @Test
    void namesTheTemplateOfTheFleet() {
        FleetNames staging = new FleetNames("t", "c", "claim", "staging-claim", "g");
        String json = ClaimPolicy.forFleet("us-east-1", "000000000000", staging).json();
        assertTrue(json.contains("topic/$aws/provisioning-templates/staging-claim/provision/*"), json);
        assertFalse(json.contains("pettysync-collar-claim"));
    }

    @Test
    void refusesARegionOrAccountOfTheWrongForm() {
        assertThrows(IllegalArgumentException.class, () -> ClaimPolicy.forFleet("Europe", "123456789012",
                FleetNames.STANDARD));
        assertThrows(IllegalArgumentException.class, () -> ClaimPolicy.forFleet("eu-central-1", "1234",
                FleetNames.STANDARD));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        } else {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private static boolean wildcard(String pattern, String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return text.matches(regex.toString());
    }
}
