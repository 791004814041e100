package com.pettysync.provisioning.factory;

import com.pettysync.contract.topic.ThingName;
import java.util.Map;
import com.pettysync.contract.fleet.SerialNumber;
import com.pettysync.contract.fleet.ThingAttributes;

/**
 * How the factory tool applies the contract's rules (cloud-contract {@code com.pettysync.contract.fleet}): a serial
 * ({@link SerialNumber}: 4–32 of {@code [A-Z0-9]}) becomes the thing {@code collar-<serial>}; attributes follow
 * AWS IoT's rules ({@link ThingAttributes}); an empty value means "remove this attribute" and is not checked.
 */
public final class AttributeRules {
    public static final AttributeRules AWS = new AttributeRules();

    private AttributeRules() {}

    /** The thing of {@code serial}. */
    public ThingName thingForSerial(String serial) {
        return ThingName.forSerial(SerialNumber.of(serial).value());
    }

    /** Refuses attributes AWS would refuse, naming the first offender. */
    public void check(Map<String, String> attributes) {
        Map<String, String> set = new java.util.LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                set.put(k, v);
            } else {
                ThingAttributes.of(Map.of(k, "x"));
            }
        });
        ThingAttributes.of(set);
    }
}
