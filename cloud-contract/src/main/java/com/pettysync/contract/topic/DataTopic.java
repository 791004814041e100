package com.pettysync.contract.topic;

import java.util.Objects;

/**
 * {@code pettysync/v1/{thing}/telemetry|events|voice|raw}: a collar publishes its frames here (wire contract §2),
 * QoS 1.
 *
 * @param thing the collar
 * @param stream which data
 */
public record DataTopic(ThingName thing, DataStream stream) implements CollarTopic {

    public DataTopic {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(stream, "stream");
    }

    @Override
    public String name() {
        return TopicScheme.DATA_PREFIX + thing.value() + "/" + stream.level();
    }
}
