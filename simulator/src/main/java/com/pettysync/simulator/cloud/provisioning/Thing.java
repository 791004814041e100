package com.pettysync.simulator.cloud.provisioning;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A thing's registry state as fleet provisioning sets it: name, thing type, thing groups, attributes, billing group.
 *
 * @param name          the thing name (1–128 of {@code [a-zA-Z0-9:_-]})
 * @param thingTypeName its thing type, if any
 * @param thingGroups   the thing groups it belongs to (distinct, in order)
 * @param attributes    its attributes
 * @param billingGroup  its billing group, if any
 */
public record Thing(String name, Optional<String> thingTypeName, List<String> thingGroups,
        Map<String, String> attributes, Optional<String> billingGroup) {
    public Thing {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(thingTypeName, "thingTypeName");
        Objects.requireNonNull(billingGroup, "billingGroup");
        thingGroups = List.copyOf(new LinkedHashSet<>(thingGroups));
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A thing named {@code name} with nothing else set. */
    public static Thing named(String name) {
        return new Thing(name, Optional.empty(), List.of(), Map.of(), Optional.empty());
    }
}
