package com.pettysync.simulator.cloud.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions of a provisioning template against one request's parameter values.
 *
 * <p>Supported: {@code Ref} (a parameter, {@code AWS::IoT::Certificate::Id}, or {@code AWS::NoValue}, which removes
 * the property or list element), {@code Fn::Join}, {@code Fn::Sub} (string form and {@code [string, {vars}]} form;
 * {@code ${!Literal}} escapes), {@code Fn::Select}, {@code Fn::Split}, {@code Fn::FindInMap} (the {@code Mappings}
 * section) — the functions AWS lists for provisioning templates — and {@code Fn::If} with named {@code Conditions}
 * built from {@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or} and {@code {"Condition": name}},
 * with CloudFormation's semantics. Any other {@code Fn::…} (e.g. {@code Fn::GetAtt}, {@code Fn::Base64}) is refused
 * with {@link Reason#INVALID_TEMPLATE} naming it and where it is. Every refusal names the path of the offending node
 * (e.g. {@code Resources.thing.Properties.ThingName}).
 *
 * <p>One instance per evaluation (conditions are cached); not thread-safe.
 */
final class TemplateExpressions {
    static final String CERTIFICATE_ID = "AWS::IoT::Certificate::Id";
    static final String NO_VALUE = "AWS::NoValue";
    static final List<String> SUPPORTED = List.of("Ref", "Fn::Join", "Fn::Sub", "Fn::Select", "Fn::Split",
            "Fn::FindInMap", "Fn::If");
    private static final Set<String> CONDITION_FUNCTIONS = Set.of("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Map<String, String> values;
    private final JsonNode mappings;
    private final JsonNode conditions;
    private final Map<String, Boolean> conditionValues = new HashMap<>();
    private final Set<String> conditionsInProgress = new HashSet<>();

    /**
     * @param values     parameter name → value, the certificate ID included
     * @param mappings   the template's {@code Mappings} section (or a missing node)
     * @param conditions the template's {@code Conditions} section (or a missing node)
     */
    TemplateExpressions(Map<String, String> values, JsonNode mappings, JsonNode conditions) {
        this.values = Map.copyOf(values);
        this.mappings = mappings;
        this.conditions = conditions;
    }

    /** {@code node} with every function applied; a missing node when it evaluates to {@code AWS::NoValue}. */
    JsonNode evaluate(JsonNode node, String path) throws ProvisioningRefusal {
        if (node.isArray()) {
            ArrayNode out = nodes.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = evaluate(node.get(i), path + "[" + i + "]");
                if (!v.isMissingNode()) {
                    out.add(v);
                }
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String key = node.fieldNames().next();
            if (key.equals("Ref") || key.startsWith("Fn::")) {
                return function(key, node.get(key), path + "." + key);
            }
        }
        ObjectNode out = nodes.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode v = evaluate(field.getValue(), path + "." + field.getKey());
            if (!v.isMissingNode()) {
                out.set(field.getKey(), v);
            }
        }
        return out;
    }

    /** The value of the condition {@code name} of the {@code Conditions} section. */
    boolean condition(String name, String path) throws ProvisioningRefusal {
        Boolean known = conditionValues.get(name);
        if (known != null) {
            return known;
        }
        JsonNode definition = conditions.path(name);
        if (definition.isMissingNode()) {
            throw error(path, "condition \"" + name + "\" is not defined under Conditions");
        }
        if (!conditionsInProgress.add(name)) {
            throw error(path, "condition \"" + name + "\" refers to itself");
        }
        boolean value = conditionExpression(definition, "Conditions." + name);
        conditionsInProgress.remove(name);
        conditionValues.put(name, value);
        return value;
    }

    /** The text of an evaluated scalar (string, number or boolean). */
    static String text(JsonNode evaluated, String path) throws ProvisioningRefusal {
        if (evaluated.isTextual() || evaluated.isNumber() || evaluated.isBoolean()) {
            return evaluated.asText();
        }
        throw error(path, "must evaluate to a string, got " + describe(evaluated));
    }

    static ProvisioningRefusal error(String path, String message) {
        return new ProvisioningRefusal(Reason.INVALID_TEMPLATE, path + ": " + message);
    }

    private JsonNode function(String name, JsonNode arg, String path) throws ProvisioningRefusal {
        return switch (name) {
            case "Ref" -> ref(arg, path);
            case "Fn::Join" -> join(args(arg, 2, path), path);
            case "Fn::Sub" -> sub(arg, path);
            case "Fn::Select" -> select(args(arg, 2, path), path);
            case "Fn::Split" -> split(args(arg, 2, path), path);
            case "Fn::FindInMap" -> findInMap(args(arg, 3, path), path);
            case "Fn::If" -> {
                JsonNode a = args(arg, 3, path);
                yield condition(literal(a.get(0), path + "[0]"), path) ? evaluate(a.get(1), path + "[1]")
                        : evaluate(a.get(2), path + "[2]");
            }
            default -> throw error(path, CONDITION_FUNCTIONS.contains(name)
                    ? name + " is a condition function: define it under Conditions and use it through Fn::If"
                    : "unsupported intrinsic function " + name + " (supported: " + String.join(", ", SUPPORTED)
                            + ", and Conditions with " + String.join(", ", CONDITION_FUNCTIONS.stream().sorted()
                                    .toList()) + ")");
        };
    }

    private JsonNode ref(JsonNode arg, String path) throws ProvisioningRefusal {
        String name = literal(arg, path);
        if (name.equals(NO_VALUE)) {
            return MissingNode.getInstance();
        }
        String value = values.get(name);
        if (value == null) {
            throw error(path, "Ref to \"" + name + "\", which is not a parameter of the template (declare it under"
                    + " Parameters) nor " + CERTIFICATE_ID);
        }
        return nodes.textNode(value);
    }

    private JsonNode join(JsonNode a, String path) throws ProvisioningRefusal {
        String delimiter = text(evaluate(a.get(0), path + "[0]"), path + "[0]");
        JsonNode list = evaluate(a.get(1), path + "[1]");
        if (!list.isArray()) {
            throw error(path + "[1]", "must evaluate to a list, got " + describe(list));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(delimiter);
            }
            out.append(text(list.get(i), path + "[1][" + i + "]"));
        }
        return nodes.textNode(out.toString());
    }

    private JsonNode sub(JsonNode arg, String path) throws ProvisioningRefusal {
        String template;
        Map<String, String> variables = new HashMap<>();
        if (arg.isTextual()) {
            template = arg.asText();
        } else {
            JsonNode a = args(arg, 2, path);
            template = literal(a.get(0), path + "[0]");
            JsonNode vars = a.get(1);
            if (!vars.isObject()) {
                throw error(path + "[1]", "must be an object of variable values, got " + describe(vars));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                String at = path + "[1]." + v.getKey();
                variables.put(v.getKey(), text(evaluate(v.getValue(), at), at));
            }
        }
        var matcher = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                replacement = variables.get(name);
            } else if (values.containsKey(name)) {
                replacement = values.get(name);
            } else {
                throw error(path, "${" + name + "} names no variable of this Fn::Sub and no parameter of the"
                        + " template");
            }
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return nodes.textNode(out.toString());
    }

    private JsonNode select(JsonNode a, String path) throws ProvisioningRefusal {
        String indexText = text(evaluate(a.get(0), path + "[0]"), path + "[0]");
        int index;
        try {
            index = Integer.parseInt(indexText.trim());
        } catch (NumberFormatException e) {
            throw error(path + "[0]", "index must be an integer, got \"" + indexText + "\"");
        }
        JsonNode list = evaluate(a.get(1), path + "[1]");
        if (!list.isArray()) {
            throw error(path + "[1]", "must evaluate to a list, got " + describe(list));
        }
        if (index < 0 || index >= list.size()) {
            throw error(path, "index " + index + " is out of bounds of a list of " + list.size());
        }
        JsonNode chosen = list.get(index);
        if (chosen.isNull()) {
            throw error(path, "element " + index + " is null");
        }
        return chosen;
    }

    private JsonNode split(JsonNode a, String path) throws ProvisioningRefusal {
        String delimiter = text(evaluate(a.get(0), path + "[0]"), path + "[0]");
        if (delimiter.isEmpty()) {
            throw error(path + "[0]", "delimiter must not be empty");
        }
        String source = text(evaluate(a.get(1), path + "[1]"), path + "[1]");
        ArrayNode out = nodes.arrayNode();
        for (String part : source.split(Pattern.quote(delimiter), -1)) {
            out.add(part);
        }
        return out;
    }

    private JsonNode findInMap(JsonNode a, String path) throws ProvisioningRefusal {
        String map = text(evaluate(a.get(0), path + "[0]"), path + "[0]");
        String top = text(evaluate(a.get(1), path + "[1]"), path + "[1]");
        String second = text(evaluate(a.get(2), path + "[2]"), path + "[2]");
        JsonNode value = mappings.path(map).path(top).path(second);
        if (value.isMissingNode()) {
            throw error(path, "Mappings has no " + map + "." + top + "." + second);
        }
        return value.deepCopy();
    }

    private boolean conditionExpression(JsonNode node, String path) throws ProvisioningRefusal {
        if (!node.isObject() || node.size() != 1) {
            throw error(path, "a condition must be one of " + CONDITION_FUNCTIONS.stream().sorted().toList()
                    + " or {\"Condition\": name}, got " + describe(node));
        }
        String key = node.fieldNames().next();
        JsonNode arg = node.get(key);
        String at = path + "." + key;
        switch (key) {
            case "Condition":
                return condition(literal(arg, at), at);
            case "Fn::Equals": {
                JsonNode a = args(arg, 2, at);
                JsonNode left = evaluate(a.get(0), at + "[0]");
                JsonNode right = evaluate(a.get(1), at + "[1]");
                return left.isValueNode() && right.isValueNode() ? left.asText().equals(right.asText())
                        : left.equals(right);
            }
            case "Fn::Not":
                return !conditionExpression(args(arg, 1, at).get(0), at + "[0]");
            case "Fn::And":
            case "Fn::Or": {
                if (!arg.isArray() || arg.size() < 2 || arg.size() > 10) {
                    throw error(at, "takes a list of 2 to 10 conditions");
                }
                boolean and = key.equals("Fn::And");
                boolean result = and;
                for (int i = 0; i < arg.size(); i++) {
                    boolean c = conditionExpression(arg.get(i), at + "[" + i + "]");
                    result = and ? result && c : result || c;
                }
                return result;
            }
            default:
                throw error(at, "a condition must be one of " + CONDITION_FUNCTIONS.stream().sorted().toList()
                        + " or {\"Condition\": name}, got " + key);
        }
    }

    private static JsonNode args(JsonNode arg, int count, String path) throws ProvisioningRefusal {
        if (!arg.isArray() || arg.size() != count) {
            throw error(path, "takes a list of " + count + " arguments, got " + describe(arg));
        }
        return arg;
    }

    private static String literal(JsonNode node, String path) throws ProvisioningRefusal {
        if (!node.isTextual()) {
            throw error(path, "must be a literal string, got " + describe(node));
        }
        return node.asText();
    }

    private static String describe(JsonNode node) {
        if (node.isMissingNode()) {
            return "AWS::NoValue";
        }
        String kind = node.isObject() ? "an object" : node.isArray() ? "a list of " + node.size() : node.isNull()
                ? "null" : node.isTextual() ? "a string" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        String text = node.toString();
        return kind + " " + (text.length() > 60 ? text.substring(0, 60) + "…" : text);
    }
}
