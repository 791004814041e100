package com.pettysync.simulator.cloud.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A static thing group.
 *
 * @param name            the group name
 * @param arn             {@code arn:aws:iot:REGION:ACCOUNT:thinggroup/NAME}
 * @param id              a UUID
 * @param parentName      its parent group, or null for a root group
 * @param rootToParent    the names of its ancestors, root first (empty for a root group)
 * @param description     its description, or null
 * @param attributes      its attributes
 * @param version         1 at creation
 * @param creationDate    when it was created
 */
public record ThingGroup(String name, String arn, String id, String parentName, List<String> rootToParent,
        String description, Map<String, String> attributes, long version, Instant creationDate) {
    public ThingGroup {
        rootToParent = List.copyOf(rootToParent);
        attributes = Map.copyOf(attributes);
    }
}
