package com.pettysync.provisioning.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a CloudFormation template (JSON) against {@link CloudFormationSpec}: every problem is one line
 * {@code path: what is wrong}, the path in the template's own terms ({@code Resources.X.Properties.Y[0].Z}).
 *
 * <p>Checked: the template's sections; each parameter's keys, type, pattern and default; each resource's keys, that
 * its type exists, that every property exists on the type, every required property is present and every value has
 * the spec's type — recursively through property types, lists, maps, tags and unions — and string values are among
 * a property's allowed values; {@code DependsOn} names resources; outputs have a value. Intrinsic functions: every
 * {@code Ref} names a parameter, a pseudo parameter or a resource, every {@code Fn::GetAtt} a resource and one of
 * its type's attributes, every {@code ${…}} of an {@code Fn::Sub} one of those (or a variable of its map;
 * {@code ${!…}} is a literal), also inside {@code Json} values; an unknown {@code Fn::} is a problem. Not checked: the
 * type an intrinsic function yields (it is accepted wherever a value is), conditions, mappings' contents, string
 * patterns and lengths (the spec database keeps none).
 */
final class TemplateCheck {
    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata",
            "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs");
    private static final Set<String> PARAMETER_KEYS = Set.of("Type", "Default", "AllowedPattern", "AllowedValues",
            "ConstraintDescription", "Description", "MaxLength", "MaxValue", "MinLength", "MinValue", "NoEcho");
    private static final Set<String> PARAMETER_TYPES = Set.of("String", "Number", "List<Number>",
            "CommaDelimitedList");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "DependsOn", "Condition",
            "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy");
    private static final Set<String> OUTPUT_KEYS = Set.of("Description", "Value", "Export", "Condition");
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    private static final Set<String> FUNCTIONS = Set.of("Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAZs",
            "Fn::ImportValue", "Fn::Join", "Fn::Length", "Fn::Select", "Fn::Split", "Fn::ToJsonString", "Fn::If",
            "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::Transform");
    /** A tag, in the spec's property form: {@code Key} and {@code Value}, both required strings. */
    private static final JsonNode TAG_PROPERTIES = tagProperties();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final CloudFormationSpec spec;

    TemplateCheck(CloudFormationSpec spec) {
        this.spec = spec;
    }

    /** Every problem of {@code template}; empty when it passes. */
    List<String> problems(JsonNode template) {
        return new Run(template).problems();
    }

    /** One check of one template. */
    private final class Run {
        private final JsonNode template;
        private final JsonNode parameters;
        private final JsonNode resources;
        private final List<String> problems = new ArrayList<>();

        Run(JsonNode template) {
            this.template = template;
            this.parameters = template.path("Parameters");
            this.resources = template.path("Resources");
        }

        List<String> problems() {
            if (!template.isObject()) {
                problems.add("template: must be a JSON object");
                return problems;
            }
            for (String section : names(template)) {
                if (!SECTIONS.contains(section)) {
                    problems.add(section + ": not a template section");
                }
            }
            parameters.properties().forEach(e -> checkParameter("Parameters." + e.getKey(), e.getValue()));
            if (!resources.isObject() || resources.isEmpty()) {
                problems.add("Resources: a template needs at least one resource");
            } else {
                resources.properties().forEach(e -> checkResource("Resources." + e.getKey(), e.getKey(),
                        e.getValue()));
            }
            template.path("Outputs").properties().forEach(e -> checkOutput("Outputs." + e.getKey(), e.getValue()));
            return problems;
        }

        private void checkParameter(String path, JsonNode p) {
            unknownKeys(path, p, PARAMETER_KEYS, "a parameter key");
            String type = p.path("Type").asText("");
            if (!PARAMETER_TYPES.contains(type) && !type.startsWith("AWS::") && !type.startsWith("List<AWS::")) {
                problems.add(path + ".Type: '" + type + "' is not a parameter type");
            }
            if (p.has("AllowedPattern")) {
                try {
                    Pattern pattern = Pattern.compile(p.get("AllowedPattern").asText());
                    if (p.has("Default") && !pattern.matcher(p.get("Default").asText()).matches()) {
                        problems.add(path + ".Default: does not match AllowedPattern");
                    }
                } catch (PatternSyntaxException e) {
                    problems.add(path + ".AllowedPattern: not a regular expression: " + e.getDescription());
                }
            }
        }

        private void checkResource(String path, String logicalId, JsonNode r) {
            if (!r.isObject()) {
                problems.add(path + ": must be an object");
                return;
            }
            unknownKeys(path, r, RESOURCE_KEYS, "a resource attribute");
            String type = r.path("Type").asText("");
            JsonNode dependsOn = r.path("DependsOn");
            for (JsonNode d : dependsOn.isArray() ? dependsOn : List.of(dependsOn)) {
                if (!d.isMissingNode() && (!d.isTextual() || !resources.has(d.asText())
                        || d.asText().equals(logicalId))) {
                    problems.add(path + ".DependsOn: " + d + " names no other resource");
                }
            }
            JsonNode resourceSpec = spec.resource(type).orElse(null);
            if (resourceSpec == null) {
                problems.add(path + ".Type: '" + type + "' is not a resource type of the CloudFormation spec");
                return;
            }
            JsonNode properties = r.path("Properties");
            if (!properties.isMissingNode() && !properties.isObject()) {
                problems.add(path + ".Properties: must be an object");
                return;
            }
            checkObject(path + ".Properties", properties, resourceSpec.path("properties"), type);
        }

        private void checkOutput(String path, JsonNode o) {
            unknownKeys(path, o, OUTPUT_KEYS, "an output key");
            if (!o.has("Value")) {
                problems.add(path + ": missing Value");
            } else {
                checkNested(path + ".Value", o.get("Value"));
            }
        }

        /** Checks an object's keys and values against a spec's property map; {@code typeName} names it. */
        private void checkObject(String path, JsonNode value, JsonNode propertySpecs, String typeName) {
            for (String key : names(value)) {
                JsonNode propertySpec = propertySpecs.get(key);
                if (propertySpec == null) {
                    problems.add(path + "." + key + ": not a property of " + typeName);
                } else {
                    checkValue(path + "." + key, value.get(key), propertySpec.path("type"));
                }
            }
            propertySpecs.properties().forEach(e -> {
                if (e.getValue().path("required").asBoolean(false) && !value.has(e.getKey())) {
                    problems.add(path + ": missing required property " + e.getKey() + " of " + typeName);
                }
            });
        }

        private void checkValue(String path, JsonNode value, JsonNode type) {
            if (isIntrinsic(value)) {
                checkIntrinsic(path, value);
                return;
            }
            String problem = typeProblem(path, value, type);
            if (problem != null) {
                problems.add(path + ": " + problem);
            }
        }

        /** The problem of {@code value} against {@code type}, or null; nested problems are added directly. */
        private String typeProblem(String path, JsonNode value, JsonNode type) {
            String kind = type.path("type").asText();
            switch (kind) {
                case "string", "date-time" -> {
                    if (!value.isTextual()) {
                        return "expected a string, got " + shape(value);
                    }
                    JsonNode allowed = type.get("allowedValues");
                    if (allowed != null && !contains(allowed, value.asText())) {
                        return "'" + value.asText() + "' is not one of " + allowed;
                    }
                    return null;
                }
                case "integer" -> {
                    return value.isIntegralNumber() || value.isTextual() && value.asText().matches("-?[0-9]+")
                            ? null : "expected an integer, got " + shape(value);
                }
                case "number" -> {
                    return value.isNumber() || value.isTextual() && value.asText().matches("-?[0-9]+(\\.[0-9]+)?")
                            ? null : "expected a number, got " + shape(value);
                }
                case "boolean" -> {
                    return value.isBoolean() || value.isTextual() && (value.asText().equals("true")
                            || value.asText().equals("false")) ? null : "expected a boolean, got " + shape(value);
                }
                case "json" -> {
                    if (!value.isObject()) {
                        return "expected a JSON object, got " + shape(value);
                    }
                    checkNested(path, value);
                    return null;
                }
                case "array" -> {
                    if (!value.isArray()) {
                        return "expected a list of " + describe(type.path("element")) + ", got " + shape(value);
                    }
                    for (int i = 0; i < value.size(); i++) {
                        checkValue(path + "[" + i + "]", value.get(i), type.path("element"));
                    }
                    return null;
                }
                case "map" -> {
                    if (!value.isObject()) {
                        return "expected a map of " + describe(type.path("element")) + ", got " + shape(value);
                    }
                    value.properties().forEach(e -> checkValue(path + "." + e.getKey(), e.getValue(),
                            type.path("element")));
                    return null;
                }
                case "tag" -> {
                    if (!value.isObject()) {
                        return "expected a tag {Key, Value}, got " + shape(value);
                    }
                    checkObject(path, value, TAG_PROPERTIES, "Tag");
                    return null;
                }
                case "ref" -> {
                    JsonNode definition = spec.typeDefinition(type.path("reference").path("$ref").asText());
                    if (!value.isObject()) {
                        return "expected " + definition.path("name").asText() + " (an object), got " + shape(value);
                    }
                    checkObject(path, value, definition.path("properties"), definition.path("name").asText());
                    return null;
                }
                case "union" -> {
                    for (JsonNode alternative : type.path("types")) {
                        Run trial = new Run(template);
                        if (trial.typeProblem(path, value, alternative) == null) {
                            problems.addAll(trial.problems); // the first alternative of the value's shape decides
                            return null;
                        }
                    }
                    return "expected " + describe(type) + ", got " + shape(value);
                }
                default -> {
                    return "the spec has a type '" + kind + "' this check does not know";
                }
            }
        }

        /** Walks free-form JSON (a policy document, an output value) for intrinsic functions. */
        private void checkNested(String path, JsonNode value) {
            if (isIntrinsic(value)) {
                checkIntrinsic(path, value);
            } else if (value.isObject()) {
                value.properties().forEach(e -> checkNested(path + "." + e.getKey(), e.getValue()));
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    checkNested(path + "[" + i + "]", value.get(i));
                }
            }
        }

        private void checkIntrinsic(String path, JsonNode value) {
            Map.Entry<String, JsonNode> fn = value.properties().iterator().next();
            String name = fn.getKey();
            JsonNode args = fn.getValue();
            String at = path + "." + name;
            switch (name) {
                case "Ref" -> {
                    if (!args.isTextual()) {
                        problems.add(at + ": must name a parameter or resource, got " + shape(args));
                    } else {
                        checkRef(at, args.asText(), Set.of());
                    }
                }
                case "Fn::GetAtt" -> {
                    if (args.isTextual() && args.asText().contains(".")) {
                        String s = args.asText();
                        checkGetAtt(at, s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1));
                    } else if (args.isArray() && args.size() == 2 && args.get(0).isTextual()) {
                        if (args.get(1).isTextual()) {
                            checkGetAtt(at, args.get(0).asText(), args.get(1).asText());
                        } else {
                            checkNested(at + "[1]", args.get(1));
                        }
                    } else {
                        problems.add(at + ": must be [logicalId, attribute] or 'logicalId.attribute'");
                    }
                }
                case "Fn::Sub" -> {
                    JsonNode text = args.isArray() ? args.path(0) : args;
                    JsonNode variables = args.isArray() ? args.path(1) : null;
                    if (!text.isTextual() || args.isArray() && (args.size() != 2 || !variables.isObject())) {
                        problems.add(at + ": must be a string or [string, {variables}]");
                        return;
                    }
                    Set<String> local = variables == null ? Set.of() : Set.copyOf(names(variables));
                    if (variables != null) {
                        variables.properties().forEach(e -> checkNested(at + "[1]." + e.getKey(), e.getValue()));
                    }
                    Matcher m = SUB_VARIABLE.matcher(text.asText());
                    while (m.find()) {
                        String v = m.group(1);
                        if (v.startsWith("!")) {
                            continue;
                        }
                        int dot = v.indexOf('.');
                        if (dot > 0 && !local.contains(v)) {
                            checkGetAtt(at + " ${" + v + "}", v.substring(0, dot), v.substring(dot + 1));
                        } else {
                            checkRef(at + " ${" + v + "}", v, local);
                        }
                    }
                }
                default -> {
                    if (FUNCTIONS.contains(name)) {
                        checkNested(at, args);
                    } else {
                        problems.add(path + ": '" + name + "' is not an intrinsic function");
                    }
                }
            }
        }

        private void checkRef(String at, String name, Set<String> local) {
            if (!local.contains(name) && !PSEUDO_PARAMETERS.contains(name) && !parameters.has(name)
                    && !resources.has(name)) {
                problems.add(at + ": '" + name + "' names no parameter, pseudo parameter or resource");
            }
        }

        private void checkGetAtt(String at, String logicalId, String attribute) {
            JsonNode r = resources.get(logicalId);
            if (r == null) {
                problems.add(at + ": '" + logicalId + "' names no resource");
                return;
            }
            String type = r.path("Type").asText();
            spec.resource(type).ifPresent(s -> {
                if (!s.path("attributes").has(attribute)) {
                    problems.add(at + ": " + type + " has no attribute '" + attribute + "' (it has "
                            + names(s.path("attributes")) + ")");
                }
            });
        }

        private void unknownKeys(String path, JsonNode object, Set<String> allowed, String what) {
            for (String key : names(object)) {
                if (!allowed.contains(key)) {
                    problems.add(path + "." + key + ": not " + what);
                }
            }
        }
    }

    /** Whether {@code value} is a call of an intrinsic function: an object with one key, {@code Ref} or {@code Fn::…}. */
    static boolean isIntrinsic(JsonNode value) {
        if (!value.isObject() || value.size() != 1) {
            return false;
        }
        String key = value.fieldNames().next();
        return key.equals("Ref") || key.startsWith("Fn::");
    }

    private static JsonNode tagProperties() {
        ObjectNode string = JsonNodeFactory.instance.objectNode().put("type", "string");
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.putObject("Key").put("required", true).set("type", string);
        properties.putObject("Value").put("required", true).set("type", string);
        return properties;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static boolean contains(JsonNode array, String s) {
        for (JsonNode n : array) {
            if (n.asText().equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonNode type) {
        String kind = type.path("type").asText();
        return switch (kind) {
            case "array" -> "list of " + describe(type.path("element"));
            case "map" -> "map of " + describe(type.path("element"));
            case "union" -> {
                List<String> alternatives = new ArrayList<>();
                type.path("types").forEach(t -> alternatives.add(describe(t)));
                yield "one of " + String.join(" | ", alternatives);
            }
            default -> kind;
        };
    }

    private static String shape(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isArray()) {
            return "list";
        }
        if (value.isObject()) {
            return "object";
        }
        return value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
