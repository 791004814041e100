package com.pettysync.contract.topic;

import java.util.Objects;

/**
 * {@code $aws/rules/{rule}/pettysync/v1/{thing}/telemetry}: telemetry through AWS IoT Basic Ingest (wire contract §2).
 * Only the rule receives it; nobody can subscribe to it; it has no messaging charge
 * (https://docs.aws.amazon.com/iot/latest/developerguide/iot-basic-ingest.html).
 *
 * <p>The {@code $aws/rules/{rule}/} prefix does not count towards the 7-slash limit, but does count towards the
 * 256-byte topic size: a 128-character rule with a 128-character thing name does not fit, and is refused here.
 *
 * @param rule the AWS IoT rule
 * @param thing the collar
 */
public record BasicIngestTopic(RuleName rule, ThingName thing) implements CollarTopic {

    /** @throws TopicException if the topic would exceed 256 bytes */
    public BasicIngestTopic {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(thing, "thing");
        TopicScheme.checkAwsLimits(name(rule, thing));
    }

    @Override
    public String name() {
        return name(rule, thing);
    }

    /** The telemetry topic this one stands for when not sent through Basic Ingest. */
    public DataTopic directEquivalent() {
        return new DataTopic(thing, DataStream.TELEMETRY);
    }

    private static String name(RuleName rule, ThingName thing) {
        return TopicScheme.RULES_PREFIX + rule.value() + "/" + TopicScheme.DATA_PREFIX + thing.value() + "/"
                + DataStream.TELEMETRY.level();
    }
}
