package com.pettysync.contract.topic;

import java.util.regex.Pattern;

/**
 * The name of an AWS IoT rule, used in a Basic Ingest topic {@code $aws/rules/{rule}/…}: 1–128 characters of
 * {@code [a-zA-Z0-9_]} (https://docs.aws.amazon.com/iot/latest/apireference/API_TopicRuleListItem.html, "ruleName …
 * Length Constraints: Minimum length of 1. Maximum length of 128. Pattern: ^[a-zA-Z0-9_]+$").
 *
 * @param value the rule name, validated
 */
public record RuleName(String value) {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_]{1,128}");

    /** The rule the product's telemetry goes to unless configured otherwise. */
    public static final RuleName DEFAULT = new RuleName("pettysync_telemetry");

    /** @throws TopicException if {@code value} is not a valid rule name */
    public RuleName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new TopicException("rule name " + ThingName.quote(value)
                    + ": must be 1–128 characters of [a-zA-Z0-9_]");
        }
    }

    /** The rule name {@code value}; same as the constructor. */
    public static RuleName of(String value) {
        return new RuleName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
