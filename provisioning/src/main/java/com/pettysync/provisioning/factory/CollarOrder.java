package com.pettysync.provisioning.factory;

import com.pettysync.contract.topic.ThingName;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One collar to provision: its thing, where its key comes from, its thing group and its deployment record. */
public record CollarOrder(ThingName thing, KeySource keys, Optional<String> group, Map<String, String> attributes) {
    public CollarOrder {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(keys, "keys");
        group = group == null ? Optional.empty() : group;
        attributes = Map.copyOf(attributes);
    }
}
