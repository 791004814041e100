package com.pettysync.simulator.cloud.registry;

import java.util.Map;

/**
 * A registered thing (AWS IoT's registry entry for one device).
 *
 * @param name       the thing name ({@code [a-zA-Z0-9:_-]{1,128}})
 * @param arn        {@code arn:aws:iot:REGION:ACCOUNT:thing/NAME}
 * @param id         a UUID, fixed at creation
 * @param typeName   its thing type, or null
 * @param attributes its attributes, sorted by name
 * @param version    1 at creation, +1 on every update
 */
public record Thing(String name, String arn, String id, String typeName, Map<String, String> attributes,
        long version) {
    public Thing {
        attributes = Map.copyOf(attributes);
    }
}
