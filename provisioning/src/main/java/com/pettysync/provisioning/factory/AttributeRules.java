package com.pettysync.provisioning.factory;

import com.pettysync.contract.topic.ThingName;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a row's serial becomes a thing name and which thing attributes AWS IoT accepts: names
 * {@code [a-zA-Z0-9_.,@/:#-]+} of at most 128 characters, values {@code [a-zA-Z0-9_.,@/:#=\[\]-]*} of at most 800,
 * at most 50 attributes for a thing with a type (AWS IoT API reference, AttributePayload; thing quotas).
 */
public final class AttributeRules {
    public static final int MAX_ATTRIBUTES = 50;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]{0,800}");

    public static final AttributeRules AWS = new AttributeRules();

    private AttributeRules() {}

    /** The thing of {@code serial}. */
    public ThingName thingForSerial(String serial) {
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("serial is empty");
        }
        return ThingName.forSerial(serial);
    }

    /** Refuses attributes AWS would refuse, naming the first offender. */
    public void check(Map<String, String> attributes) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException(attributes.size() + " attributes; a thing may have at most "
                    + MAX_ATTRIBUTES);
        }
        attributes.forEach((k, v) -> {
            if (!NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("attribute name \"" + k + "\" is not 1-128 of [a-zA-Z0-9_.,@/:#-]");
            }
            if (v == null || !VALUE.matcher(v).matches()) {
                throw new IllegalArgumentException("attribute " + k + " = \"" + v
                        + "\" is not 0-800 of [a-zA-Z0-9_.,@/:#=[]-]");
            }
        });
    }
}
