package com.pettysync.contract.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.ThingName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The least-privilege AWS IoT policy for collars, rendered from the template resource {@code collar-policy.json}
 * (beside this class), and an evaluator with AWS IoT's semantics for it and for any other stored policy document
 * ({@link #fromDocument}), which the local IoT Core stand-in authorizes with — the only policy engine of the project.
 *
 * <p>What the policy allows a collar — a client whose certificate is attached to thing T — and nothing else:
 * <ul>
 *   <li>{@code iot:Connect} as client ID T only, and only while the certificate is attached to T
 *       ({@code iot:Connection.Thing.IsAttached});</li>
 *   <li>{@code iot:Publish} to {@code pettysync/v1/T/telemetry|events|voice|raw}, the Basic Ingest topic
 *       {@code $aws/rules/{rule}/pettysync/v1/T/telemetry}, its {@code config} shadow's {@code get} and
 *       {@code update} (not {@code delete}), and its jobs' {@code get}, {@code start-next}, {@code {jobId}/get},
 *       {@code {jobId}/update};</li>
 *   <li>{@code iot:Subscribe} / {@code iot:Receive} on the replies and deltas of its {@code config} shadow and on
 *       its jobs' {@code notify-next} and replies — no other thing's topics, no wildcard filters beyond its own job
 *       ids, and nothing on its own data topics (the collar never reads its data back).</li>
 * </ul>
 * T is never written into the policy: every resource uses the policy variable
 * {@code ${iot:Connection.Thing.ThingName}}, so one policy serves the whole fleet
 * (https://docs.aws.amazon.com/iot/latest/developerguide/thing-policy-variables.html; the connect statement follows
 * https://docs.aws.amazon.com/iot/latest/developerguide/connect-policy.html). Resource ARNs:
 * {@code client/…} for Connect, {@code topic/…} for Publish and Receive, {@code topicfilter/…} for Subscribe
 * (https://docs.aws.amazon.com/iot/latest/developerguide/pub-sub-policy.html).
 *
 * <p>Evaluator semantics ({@link #allows}), as AWS IoT evaluates policies
 * (https://docs.aws.amazon.com/iot/latest/developerguide/iot-policy-variables.html,
 * https://docs.aws.amazon.com/iot/latest/developerguide/pub-sub-policy.html): default deny; an explicit Deny wins
 * over any Allow; in a Resource, {@code *} matches any run of characters (including {@code /}) and {@code ?} one
 * character, while the MQTT wildcards {@code +} and {@code #} are plain characters; the thing-name variable resolves
 * only while the certificate is attached to the thing (otherwise a resource using it matches nothing); the only
 * condition understood is {@code Bool iot:Connection.Thing.IsAttached} — any other condition or variable makes its
 * statement not apply (fail closed). The evaluator reads the rendered JSON itself, so policy and evaluator cannot
 * drift apart.
 */
public final class IotPolicy {
    /** The policy variable that stands for the connected thing's name. */
    public static final String THING_VARIABLE = "${iot:Connection.Thing.ThingName}";
    /** The policy variable that stands for the connection's client ID. */
    public static final String CLIENT_ID_VARIABLE = "${iot:ClientId}";
    /** Classpath location of the template. */
    public static final String TEMPLATE = "collar-policy.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    /** The MQTT actions of an AWS IoT policy and the resource type each is checked against. */
    public enum Action {
        CONNECT("iot:Connect", "client/"),
        PUBLISH("iot:Publish", "topic/"),
        SUBSCRIBE("iot:Subscribe", "topicfilter/"),
        RECEIVE("iot:Receive", "topic/");

        private final String policyName;
        private final String resourceType;

        Action(String policyName, String resourceType) {
            this.policyName = policyName;
            this.resourceType = resourceType;
        }

        /** The action as written in a policy, e.g. {@code iot:Publish}. */
        public String policyName() {
            return policyName;
        }

        /** The resource type prefix in an ARN, e.g. {@code topicfilter/}. */
        public String resourceType() {
            return resourceType;
        }
    }

    /** The outcome of one policy for one request. */
    public enum Decision {
        /** A statement allows it and none denies it. */
        ALLOW,
        /** A statement explicitly denies it (wins over any Allow, in this and every other attached policy). */
        DENY,
        /** No statement applies (default deny). */
        NOT_APPLICABLE
    }

    private record Statement(boolean allow, List<String> actions, List<String> resources, JsonNode condition) {}

    private final String region;
    private final String account;
    private final RuleName rule;
    private final String json;
    private final List<Statement> statements;

    private IotPolicy(String region, String account, RuleName rule, String json) {
        this.region = region;
        this.account = account;
        this.rule = rule;
        this.json = json;
        this.statements = statements(json);
    }

    /**
     * The collar policy for an account and region, with {@code rule} as the Basic Ingest rule.
     *
     * @throws IllegalArgumentException if the region is not of the AWS form ({@code us-east-1}) or the account is
     *     not 12 digits
     */
    public static IotPolicy forCollars(String region, String account, RuleName rule) {
        Objects.requireNonNull(rule, "rule");
        checkRegionAndAccount(region, account);
        String rendered = template().replace("{{region}}", region).replace("{{account}}", account)
                .replace("{{rule}}", rule.value());
        if (rendered.contains("{{")) {
            throw new IllegalStateException("template placeholder left unfilled in " + TEMPLATE);
        }
        return new IotPolicy(region, account, rule, rendered);
    }

    /**
     * A policy from any AWS IoT policy document (what CreatePolicy / CreatePolicyVersion store), for an account and
     * region (the ARNs its resources are matched against). Its {@link #rule()} is null: only the collar policy
     * names a Basic Ingest rule.
     *
     * @throws IllegalArgumentException naming the problem if {@code json} is not a JSON object with a non-empty
     *     {@code Statement} array (or single object) whose statements each have {@code Effect} Allow or Deny,
     *     an {@code Action} and a {@code Resource}; or if the region or account is not of AWS's form
     */
    public static IotPolicy fromDocument(String region, String account, String json) {
        checkRegionAndAccount(region, account);
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("policy document is empty");
        }
        return new IotPolicy(region, account, null, json);
    }

    /** The policy document as JSON (pretty-printed, as attached to the certificate with CreatePolicy). */
    public String json() {
        return json;
    }

    private static void checkRegionAndAccount(String region, String account) {
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must look like us-east-1, got '" + region + "'");
        }
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account must be 12 digits, got '" + account + "'");
        }
    }

    /** The Basic Ingest rule the collar policy allows; null for a policy made with {@link #fromDocument}. */
    public RuleName rule() {
        return rule;
    }

    /**
     * Whether a client whose certificate is attached to {@code thing} may perform {@code action} on
     * {@code resource}: the client ID for {@link Action#CONNECT}, the topic for publish and receive, the topic
     * filter for subscribe.
     */
    public boolean allows(Action action, ThingName thing, String resource) {
        return allows(action, thing, resource, true);
    }

    /**
     * Whether a client authenticated as {@code thing} may perform {@code action} on {@code resource}, given
     * whether its certificate is attached to that thing.
     */
    public boolean allows(Action action, ThingName thing, String resource, boolean thingAttached) {
        Objects.requireNonNull(thing, "thing");
        return decide(action, thingAttached ? thing : null, null, resource) == Decision.ALLOW;
    }

    /**
     * What this policy says about {@code action} on {@code resource} for a connection whose certificate is attached
     * to {@code attachedThing} (null when it is attached to no thing named by the client ID: the thing-name
     * variable then resolves to nothing) and whose client ID is {@code clientId} (null if unknown: the client-ID
     * variable then resolves to nothing).
     */
    public Decision decide(Action action, ThingName attachedThing, String clientId, String resource) {
        Objects.requireNonNull(action, "action");
        if (resource == null) {
            return Decision.NOT_APPLICABLE;
        }
        String arn = "arn:aws:iot:" + region + ":" + account + ":" + action.resourceType() + resource;
        boolean allowed = false;
        for (Statement s : statements) {
            if (applies(s, action, attachedThing, clientId, arn)) {
                if (!s.allow()) {
                    return Decision.DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.NOT_APPLICABLE;
    }

    /**
     * Whether the policies attached to one certificate, evaluated together as AWS IoT does, allow the request: no
     * explicit Deny in any of them and an Allow in at least one (so no policy at all allows nothing).
     * The arguments are those of {@link #decide}.
     */
    public static boolean allowsAll(Collection<IotPolicy> policies, Action action, ThingName attachedThing,
            String clientId, String resource) {
        boolean allowed = false;
        for (IotPolicy p : policies) {
            switch (p.decide(action, attachedThing, clientId, resource)) {
                case DENY -> {
                    return false;
                }
                case ALLOW -> allowed = true;
                case NOT_APPLICABLE -> { }
            }
        }
        return allowed;
    }

    private static boolean applies(Statement s, Action action, ThingName thing, String clientId, String arn) {
        boolean attached = thing != null;
        boolean actionMatches = false;
        for (String a : s.actions()) {
            if (wildcardMatch(a, action.policyName())) {
                actionMatches = true;
                break;
            }
        }
        if (!actionMatches || !conditionHolds(s.condition(), attached)) {
            return false;
        }
        for (String pattern : s.resources()) {
            String resolved = pattern;
            if (resolved.contains(THING_VARIABLE)) {
                if (!attached) {
                    continue;
                }
                resolved = resolved.replace(THING_VARIABLE, thing.value());
            }
            if (resolved.contains(CLIENT_ID_VARIABLE)) {
                if (clientId == null) {
                    continue;
                }
                resolved = resolved.replace(CLIENT_ID_VARIABLE, clientId);
            }
            if (resolved.contains("${")) {
                continue; // a variable this evaluator does not know: fail closed
            }
            if (wildcardMatch(resolved, arn)) {
                return true;
            }
        }
        return false;
    }

    private static boolean conditionHolds(JsonNode condition, boolean attached) {
        if (condition == null || condition.isNull() || condition.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, JsonNode> op : condition.properties()) {
            if (!op.getKey().equals("Bool") || !op.getValue().isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                if (!key.getKey().equals("iot:Connection.Thing.IsAttached")) {
                    return false;
                }
                boolean any = false;
                for (String v : strings(key.getValue())) {
                    any |= v.equalsIgnoreCase(Boolean.toString(attached));
                }
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * IAM-style wildcard match of a whole string: {@code *} matches any run of characters (also empty, also
     * {@code /}), {@code ?} exactly one; every other character, including {@code +} and {@code #}, only itself.
     */
    static boolean wildcardMatch(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))
                    && pattern.charAt(p) != '*') {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static List<Statement> statements(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("policy is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("policy document must be a JSON object");
        }
        JsonNode list = root.get("Statement");
        if (list == null || !(list.isArray() || list.isObject()) || list.isEmpty()) {
            throw new IllegalArgumentException("policy document needs a non-empty Statement");
        }
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : list.isArray() ? list : MAPPER.createArrayNode().add(list)) {
            String effect = s.path("Effect").asText();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException("policy statement without Allow/Deny effect: " + s);
            }
            List<String> actions = strings(s.get("Action"));
            List<String> resources = strings(s.get("Resource"));
            if (actions.isEmpty() || resources.isEmpty()) {
                throw new IllegalArgumentException("policy statement needs an Action and a Resource: " + s);
            }
            out.add(new Statement(effect.equals("Allow"), actions, resources, s.get("Condition")));
        }
        return List.copyOf(out);
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.textValue());
        } else if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    private static String template() {
        try (InputStream in = IotPolicy.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("policy template " + TEMPLATE + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
