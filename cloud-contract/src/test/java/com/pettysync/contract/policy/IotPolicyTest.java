package com.pettysync.contract.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.contract.policy.IotPolicy.Action;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IotPolicyTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final IotPolicy P = IotPolicy.forCollars("eu-central-1", "123456789012", RuleName.of("collar_ingest"));
    private static final ThingName ME = ThingName.of("collar-1");

    @Test
    void rendersAValidLeastPrivilegeDocument() throws Exception {
        JsonNode root = M.readTree(P.json());
        assertEquals("2012-10-17", root.get("Version").asText());
        assertFalse(P.json().contains("{{"), "placeholders left");
        assertEquals(4, root.get("Statement").size());
        List<String> resources = new ArrayList<>();
        for (JsonNode s : root.get("Statement")) {
            assertEquals("Allow", s.get("Effect").asText());
            JsonNode r = s.get("Resource");
            if (r.isArray()) {
                r.forEach(x -> resources.add(x.asText()));
            } else {
                resources.add(r.asText());
            }
        }
        assertEquals(1 + 11 + 14 + 14, resources.size());
        for (String r : resources) {
            assertTrue(r.startsWith("arn:aws:iot:eu-central-1:123456789012:"), r);
            assertTrue(r.contains(IotPolicy.THING_VARIABLE), "every resource is scoped to the own thing: " + r);
            assertFalse(r.contains("#") || r.contains("+"), r);
        }
        JsonNode connect = root.get("Statement").get(0);
        assertEquals("iot:Connect", connect.get("Action").asText());
        assertEquals("arn:aws:iot:eu-central-1:123456789012:client/${iot:Connection.Thing.ThingName}",
                connect.get("Resource").asText());
        assertEquals("true", connect.get("Condition").get("Bool").get("iot:Connection.Thing.IsAttached").asText());
        assertTrue(resources.contains("arn:aws:iot:eu-central-1:123456789012:topic/$aws/rules/collar_ingest/pettysync/v1/"
                + "${iot:Connection.Thing.ThingName}/telemetry"));
    }

    @Test
    void refusesBadRegionAndAccount() {
        assertThrows(IllegalArgumentException.class, () -> IotPolicy.forCollars("useast1", "123456789012",
                RuleName.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> IotPolicy.forCollars("us-east-1", "12345", RuleName.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> IotPolicy.forCollars("us-east-1", "12345678901x",
                RuleName.DEFAULT));
        IotPolicy gov = IotPolicy.forCollars("us-gov-west-1", "000000000000", RuleName.DEFAULT);
        assertTrue(gov.json().contains("arn:aws:iot:us-gov-west-1:000000000000:"));
        assertEquals(RuleName.DEFAULT, gov.rule());
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        "CONNECT|collar-1|true",
        "CONNECT|collar-2|false",
        "CONNECT|collar-10|false",
        "CONNECT|collar-|false",
        "PUBLISH|pettysync/v1/collar-1/telemetry|true",
        "PUBLISH|pettysync/v1/collar-1/events|true",
        "PUBLISH|pettysync/v1/collar-1/voice|true",
        "PUBLISH|pettysync/v1/collar-1/raw|true",
        "PUBLISH|pettysync/v1/collar-2/raw|false",
        "PUBLISH|pettysync/v1/collar-2/telemetry|false",
        "PUBLISH|pettysync/v1/collar-10/telemetry|false",
        "PUBLISH|pettysync/v1/collar-1/telemetry/x|false",
        "PUBLISH|pettysync/v1/collar-1/#|false",
        "PUBLISH|$aws/rules/collar_ingest/pettysync/v1/collar-1/telemetry|true",
        "PUBLISH|$aws/rules/other_rule/pettysync/v1/collar-1/telemetry|false",
        "PUBLISH|$aws/rules/collar_ingest/pettysync/v1/collar-2/telemetry|false",
        "PUBLISH|$aws/things/collar-1/shadow/name/config/get|true",
        "PUBLISH|$aws/things/collar-1/shadow/name/config/update|true",
        "PUBLISH|$aws/things/collar-1/shadow/name/config/delete|false",
        "PUBLISH|$aws/things/collar-1/shadow/name/config/update/accepted|false",
        "PUBLISH|$aws/things/collar-1/shadow/name/other/update|false",
        "PUBLISH|$aws/things/collar-1/shadow/update|false",
        "PUBLISH|$aws/things/collar-2/shadow/name/config/update|false",
        "PUBLISH|$aws/things/collar-1/jobs/get|true",
        "PUBLISH|$aws/things/collar-1/jobs/start-next|true",
        "PUBLISH|$aws/things/collar-1/jobs/fw-1043/update|true",
        "PUBLISH|$aws/things/collar-1/jobs/$next/get|true",
        "PUBLISH|$aws/things/collar-1/jobs/notify-next|false",
        "PUBLISH|$aws/things/collar-2/jobs/fw-1043/update|false",
        "SUBSCRIBE|$aws/things/collar-1/shadow/name/config/update/delta|true",
        "SUBSCRIBE|$aws/things/collar-1/jobs/+/update/accepted|true",
        "SUBSCRIBE|$aws/things/collar-1/jobs/notify-next|true",
        "SUBSCRIBE|$aws/things/collar-1/jobs/notify|false",
        "SUBSCRIBE|$aws/things/collar-1/shadow/name/config/#|false",
        "SUBSCRIBE|$aws/things/collar-1/shadow/name/config/update/documents|false",
        "SUBSCRIBE|$aws/things/+/jobs/notify-next|false",
        "SUBSCRIBE|#|false",
        "SUBSCRIBE|pettysync/v1/collar-1/telemetry|false",
        "SUBSCRIBE|$aws/things/collar-2/shadow/name/config/update/delta|false",
        "RECEIVE|$aws/things/collar-1/shadow/name/config/get/accepted|true",
        "RECEIVE|$aws/things/collar-1/jobs/fw-1043/update/rejected|true",
        "RECEIVE|$aws/things/collar-2/shadow/name/config/get/accepted|false",
        "RECEIVE|pettysync/v1/collar-1/telemetry|false",
        "RECEIVE|pettysync/v1/collar-2/events|false"})
    void allowsExactlyTheCollarsOwnTopics(Action action, String resource, boolean expected) {
        assertEquals(expected, P.allows(action, ME, resource));
        assertEquals(expected, new RegexPolicyEvaluator(P.json(), "eu-central-1", "123456789012")
                .allows(action, ME.value(), resource, true));
    }

    @Test
    void nothingIsAllowedWhileTheCertificateIsNotAttachedToTheThing() {
        assertFalse(P.allows(Action.CONNECT, ME, "collar-1", false));
        assertFalse(P.allows(Action.PUBLISH, ME, "pettysync/v1/collar-1/telemetry", false));
        assertFalse(P.allows(Action.SUBSCRIBE, ME, "$aws/things/collar-1/jobs/notify-next", false));
        assertFalse(P.allows(Action.PUBLISH, ME, null));
    }

    @Test
    void everySubscriptionTheCollarMakesIsAllowedAndReceivable() {
        for (String filter : TopicScheme.collarSubscriptions(ME)) {
            assertTrue(P.allows(Action.SUBSCRIBE, ME, filter), filter);
            String topic = filter.replace("+", "fw-1043");
            assertTrue(P.allows(Action.RECEIVE, ME, topic), topic);
            assertFalse(P.allows(Action.SUBSCRIBE, ThingName.of("collar-2"), filter), filter);
        }
    }

    private static final String CLAIM_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:eu-central-1:123456789012:client/${iot:ClientId}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": "arn:aws:iot:eu-central-1:123456789012:topic/$aws/certificates/create-from-csr/*"},
              {"Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:eu-central-1:123456789012:topic/pettysync/*"}
            ]}""";

    @Test
    void anyStoredDocumentIsEvaluatedWithTheClientIdVariable() {
        IotPolicy claim = IotPolicy.fromDocument("eu-central-1", "123456789012", CLAIM_POLICY);
        assertEquals(IotPolicy.Decision.ALLOW, claim.decide(Action.CONNECT, null, "factory-7", "factory-7"));
        assertEquals(IotPolicy.Decision.NOT_APPLICABLE, claim.decide(Action.CONNECT, null, "factory-7", "other"));
        assertEquals(IotPolicy.Decision.NOT_APPLICABLE, claim.decide(Action.CONNECT, null, null, "factory-7"),
                "the client-ID variable resolves to nothing when no client ID is known");
        assertEquals(IotPolicy.Decision.ALLOW, claim.decide(Action.PUBLISH, null, "factory-7",
                "$aws/certificates/create-from-csr/json"));
        assertEquals(IotPolicy.Decision.DENY, claim.decide(Action.PUBLISH, null, "factory-7",
                "pettysync/v1/collar-1/telemetry"));
        assertEquals(null, claim.rule());
    }

    @Test
    void attachedPoliciesAreEvaluatedTogetherAndAnExplicitDenyWins() {
        IotPolicy claim = IotPolicy.fromDocument("eu-central-1", "123456789012", CLAIM_POLICY);
        String telemetry = "pettysync/v1/collar-1/telemetry";
        assertTrue(IotPolicy.allowsAll(List.of(P), Action.PUBLISH, ME, "collar-1", telemetry));
        assertFalse(IotPolicy.allowsAll(List.of(P, claim), Action.PUBLISH, ME, "collar-1", telemetry),
                "the claim policy's Deny wins over the collar policy's Allow");
        assertTrue(IotPolicy.allowsAll(List.of(P, claim), Action.CONNECT, ME, "collar-1", "collar-1"));
        assertFalse(IotPolicy.allowsAll(List.of(), Action.CONNECT, ME, "collar-1", "collar-1"), "default deny");
        assertFalse(IotPolicy.allowsAll(List.of(P), Action.CONNECT, null, "collar-1", "collar-1"),
                "the collar policy needs the certificate attached to the thing");
    }

    @Test
    void malformedDocumentsAreRefusedWithTheReason() {
        for (String bad : List.of("", "not json", "[]", "{}", "{\"Statement\": []}",
                "{\"Statement\": [{\"Effect\": \"Maybe\", \"Action\": \"iot:*\", \"Resource\": \"*\"}]}",
                "{\"Statement\": [{\"Effect\": \"Allow\", \"Resource\": \"*\"}]}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IotPolicy.fromDocument("us-east-1", "123456789012", bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
        IotPolicy single = IotPolicy.fromDocument("us-east-1", "123456789012",
                "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"iot:*\", \"Resource\": \"*\"}}");
        assertTrue(single.allows(Action.SUBSCRIBE, ME, "#"));
    }

    @Test
    void wildcardMatchingFollowsIamRules() {
        assertTrue(IotPolicy.wildcardMatch("a*c", "abbbc"));
        assertTrue(IotPolicy.wildcardMatch("a*c", "ac"));
        assertTrue(IotPolicy.wildcardMatch("a*c", "a/b/c"));
        assertTrue(IotPolicy.wildcardMatch("a?c", "abc"));
        assertFalse(IotPolicy.wildcardMatch("a?c", "ac"));
        assertFalse(IotPolicy.wildcardMatch("a+c", "abc"));
        assertTrue(IotPolicy.wildcardMatch("a+c", "a+c"));
        assertTrue(IotPolicy.wildcardMatch("a#", "a#"));
        assertFalse(IotPolicy.wildcardMatch("a#", "ab"));
        assertTrue(IotPolicy.wildcardMatch("*", ""));
        assertFalse(IotPolicy.wildcardMatch("ab", "abc"));
        assertTrue(IotPolicy.wildcardMatch("*/*/x", "a/b/x"));
    }

    /** Policy and evaluator agree: the evaluator against an independent regex reading of the rendered JSON. */
    @Property(tries = 3000)
    void evaluatorAgreesWithTheRenderedJson(@ForAll("actions") Action action, @ForAll("things") String thing,
            @ForAll("resources") String resource, @ForAll boolean attached) {
        RegexPolicyEvaluator independent = new RegexPolicyEvaluator(P.json(), "eu-central-1", "123456789012");
        assertEquals(independent.allows(action, thing, resource, attached),
                P.allows(action, ThingName.of(thing), resource, attached));
    }

    @Provide
    Arbitrary<Action> actions() {
        return Arbitraries.of(Action.values());
    }

    @Provide
    Arbitrary<String> things() {
        return Arbitraries.of("collar-1", "collar-2", "collar-10", "a", "collar-1_x");
    }

    @Provide
    Arbitrary<String> resources() {
        Arbitrary<String> thing = Arbitraries.of("collar-1", "collar-2", "collar-10", "+", "*", "a");
        Arbitrary<String> tail = Arbitraries.of("telemetry", "events", "voice", "get", "update", "delete",
                "get/accepted", "update/delta", "update/documents", "notify-next", "start-next", "jobs/x/update",
                "fw-1/update", "+/update/accepted", "#", "x/y/get", "$next/get", "");
        Arbitrary<String> prefix = Arbitraries.of("pettysync/v1/", "$aws/rules/collar_ingest/pettysync/v1/",
                "$aws/rules/other/pettysync/v1/", "$aws/things/", "");
        Arbitrary<String> middle = Arbitraries.of("/", "/shadow/name/config/", "/shadow/name/other/", "/jobs/",
                "/jobs/fw-1/", "");
        Arbitrary<String> built = net.jqwik.api.Combinators.combine(prefix, thing, middle, tail)
                .as((p, t, m, x) -> p + t + m + x);
        return Arbitraries.oneOf(built, thing, Arbitraries.strings().withChars("ab/$+#*?-1").ofMaxLength(30));
    }

    /**
     * An independent reading of a policy document: each Resource turned into a java.util.regex pattern
     * ({@code *} → {@code .*}, {@code ?} → {@code .}, everything else quoted), the thing variable substituted only
     * when attached, Bool IsAttached conditions honoured, Deny over Allow.
     */
    static final class RegexPolicyEvaluator {
        private final JsonNode root;
        private final String arnPrefix;

        RegexPolicyEvaluator(String json, String region, String account) {
            try {
                this.root = M.readTree(json);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            this.arnPrefix = "arn:aws:iot:" + region + ":" + account + ":";
        }

        boolean allows(Action action, String thing, String resource, boolean attached) {
            String type = switch (action) {
                case CONNECT -> "client/";
                case PUBLISH, RECEIVE -> "topic/";
                case SUBSCRIBE -> "topicfilter/";
            };
            String name = switch (action) {
                case CONNECT -> "iot:Connect";
                case PUBLISH -> "iot:Publish";
                case RECEIVE -> "iot:Receive";
                case SUBSCRIBE -> "iot:Subscribe";
            };
            String arn = arnPrefix + type + resource;
            boolean allow = false;
            for (JsonNode s : root.get("Statement")) {
                if (!texts(s.get("Action")).contains(name)) {
                    continue;
                }
                JsonNode cond = s.get("Condition");
                if (cond != null) {
                    String want = cond.path("Bool").path("iot:Connection.Thing.IsAttached").asText("");
                    if (!want.equals(Boolean.toString(attached))) {
                        continue;
                    }
                }
                for (String r : texts(s.get("Resource"))) {
                    if (r.contains("${iot:Connection.Thing.ThingName}")) {
                        if (!attached) {
                            continue;
                        }
                        r = r.replace("${iot:Connection.Thing.ThingName}", thing);
                    }
                    if (toRegex(r).matcher(arn).matches()) {
                        if (s.get("Effect").asText().equals("Deny")) {
                            return false;
                        }
                        allow = true;
                    }
                }
            }
            return allow;
        }

        private static List<String> texts(JsonNode n) {
            List<String> out = new ArrayList<>();
            if (n.isArray()) {
                n.forEach(x -> out.add(x.asText()));
            } else {
                out.add(n.asText());
            }
            return out;
        }

        private static Pattern toRegex(String glob) {
            StringBuilder re = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (char c : glob.toCharArray()) {
                if (c == '*' || c == '?') {
                    if (literal.length() > 0) {
                        re.append(Pattern.quote(literal.toString()));
                        literal.setLength(0);
                    }
                    re.append(c == '*' ? ".*" : ".");
                } else {
                    literal.append(c);
                }
            }
            if (literal.length() > 0) {
                re.append(Pattern.quote(literal.toString()));
            }
            return Pattern.compile(re.toString(), Pattern.DOTALL);
        }
    }
}
