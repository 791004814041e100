package com.pettysync.simulator.cloud.registry;

import java.time.Instant;
import java.util.List;

/**
 * A thing type.
 *
 * @param name                 the type name
 * @param arn                  {@code arn:aws:iot:REGION:ACCOUNT:thingtype/NAME}
 * @param id                   a UUID
 * @param description          its description, or null
 * @param searchableAttributes attribute names declared searchable (at most three)
 * @param creationDate         when it was created
 */
public record ThingType(String name, String arn, String id, String description, List<String> searchableAttributes,
        Instant creationDate) {
    public ThingType {
        searchableAttributes = List.copyOf(searchableAttributes);
    }
}
