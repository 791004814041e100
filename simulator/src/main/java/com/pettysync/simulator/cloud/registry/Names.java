package com.pettysync.simulator.cloud.registry;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * AWS IoT's rules for names and attributes (the patterns and lengths of the IoT API reference's data types:
 * ThingName, ThingTypeName, ThingGroupName, AttributeName, AttributeValue, PolicyName, TemplateName,
 * CertificateId; attribute counts from the IoT Core quotas: 3 attributes on a thing without a type, 50 with one).
 * Each check throws {@link RegistryException.Reason#INVALID} naming the field and the rule.
 */
public final class Names {
    /** Things, thing types and thing groups: 1–128 of {@code [a-zA-Z0-9:_-]}. */
    public static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]{1,128}");
    private static final Pattern ATTRIBUTE_VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]{0,800}");
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[0-9A-Za-z_-]{1,36}");
    private static final Pattern CERTIFICATE_ID = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern DESCRIPTION = Pattern.compile("[\\p{Graph} ]{0,2028}");
    static final int MAX_ATTRIBUTES_UNTYPED = 3;
    static final int MAX_ATTRIBUTES_TYPED = 50;

    private Names() {
    }

    public static void thing(String field, String value) {
        check(field, value, THING_NAME, "1-128 characters of [a-zA-Z0-9:_-]");
    }

    public static void policy(String value) {
        check("policyName", value, POLICY_NAME, "1-128 characters of [\\w+=,.@-]");
    }

    public static void template(String value) {
        check("templateName", value, TEMPLATE_NAME, "1-36 characters of [0-9A-Za-z_-]");
    }

    public static void certificateId(String value) {
        check("certificateId", value, CERTIFICATE_ID, "64 lowercase hex digits (SHA-256 of the certificate)");
    }

    static void description(String field, String value) {
        if (value != null) {
            check(field, value, DESCRIPTION, "at most 2028 printable characters");
        }
    }

    /** Attribute names and values, and their count for a thing with ({@code typed}) or without a type. */
    static void attributes(String field, Map<String, String> attributes, boolean typed) {
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            check(field + " name", a.getKey(), ATTRIBUTE_NAME, "1-128 characters of [a-zA-Z0-9_.,@/:#-]");
            check(field + "." + a.getKey(), a.getValue(), ATTRIBUTE_VALUE,
                    "at most 800 characters of [a-zA-Z0-9_.,@/:#=[]-]");
        }
        int max = typed ? MAX_ATTRIBUTES_TYPED : MAX_ATTRIBUTES_UNTYPED;
        if (attributes.size() > max) {
            throw RegistryException.invalid(field + ": a thing " + (typed ? "with" : "without") + " a thing type has "
                    + "at most " + max + " attributes, got " + attributes.size());
        }
    }

    private static void check(String field, String value, Pattern rule, String ruleText) {
        if (value == null || !rule.matcher(value).matches()) {
            throw RegistryException.invalid(field + " must be " + ruleText + ", got "
                    + (value == null ? "nothing" : "\"" + value + "\""));
        }
    }
}
