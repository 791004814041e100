package com.pettysync.provisioning.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Turns a policy document that the contract code rendered for a stand-in region and account into the same document
 * for whatever stack deploys it: every string that holds the stand-in ARN prefix becomes an {@code Fn::Sub} with
 * {@code ${AWS::Region}} and {@code ${AWS::AccountId}}, and every other {@code ${…}} in it (the AWS IoT policy
 * variables, e.g. {@code ${iot:Connection.Thing.ThingName}}) is escaped as {@code ${!…}}, which {@code Fn::Sub} writes
 * back as {@code ${…}}. Strings without the prefix are copied as they are (outside {@code Fn::Sub} CloudFormation
 * does not substitute). So the deployed document is exactly the contract's document for the stack's region and
 * account; nothing is written twice.
 */
final class StackScopedDocument {
    /** A region of AWS's form that no document mentions; the contract renders with it. */
    static final String STAND_IN_REGION = "zz-cloudformation-9";
    /** An account of AWS's form that no document mentions. */
    static final String STAND_IN_ACCOUNT = "000000000000";

    private static final String STAND_IN_PREFIX = "arn:aws:iot:" + STAND_IN_REGION + ":" + STAND_IN_ACCOUNT + ":";
    private static final String STACK_PREFIX = "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:";

    private StackScopedDocument() {}

    /**
     * The document with stack-scoped ARNs.
     *
     * @throws IllegalStateException if the stand-in region or account is left anywhere outside an ARN prefix
     */
    static JsonNode of(JsonNode renderedForStandIn) {
        JsonNode out = convert(renderedForStandIn);
        String text = out.toString();
        if (text.contains(STAND_IN_REGION) || text.contains(STAND_IN_ACCOUNT)) {
            throw new IllegalStateException("stand-in region or account left in a policy document: " + text);
        }
        return out;
    }

    private static JsonNode convert(JsonNode n) {
        if (n.isTextual()) {
            String s = n.textValue();
            if (!s.contains(STAND_IN_PREFIX)) {
                return n;
            }
            String escaped = s.replace("${", "${!").replace(STAND_IN_PREFIX, STACK_PREFIX);
            return JsonNodeFactory.instance.objectNode().put("Fn::Sub", escaped);
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(convert(e)));
            return a;
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                o.set(e.getKey(), convert(e.getValue()));
            }
            return o;
        }
        return n;
    }
}
