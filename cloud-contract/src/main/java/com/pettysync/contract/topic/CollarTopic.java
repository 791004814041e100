package com.pettysync.contract.topic;

/**
 * One MQTT topic of the wire contract v1 (§2), typed. Build one with a record's constructor and take its
 * {@link #name()}; turn a topic string back into one with {@link #parse(String)}.
 *
 * <pre>
 * DataTopic         pettysync/v1/{thing}/telemetry | events | voice | raw
 * BasicIngestTopic  $aws/rules/{rule}/pettysync/v1/{thing}/telemetry
 * ShadowTopic       $aws/things/{thing}/shadow/name/{shadow}/get[/accepted|/rejected]
 *                                                     /update[/accepted|/rejected|/delta|/documents]
 *                                                     /delete[/accepted|/rejected]
 * JobsTopic         $aws/things/{thing}/jobs/notify | notify-next | get[/accepted|/rejected]
 *                                             | start-next[/accepted|/rejected]
 *                                             | {jobId}/get[/accepted|/rejected] | {jobId}/update[/accepted|/rejected]
 * </pre>
 *
 * Every value's {@link #name()} is within AWS IoT Core's topic limits (checked on construction, see
 * {@link TopicScheme#checkAwsLimits(String)}).
 */
public sealed interface CollarTopic permits DataTopic, BasicIngestTopic, ShadowTopic, JobsTopic {

    /** The collar this topic belongs to. */
    ThingName thing();

    /** The topic string. */
    String name();

    /**
     * The typed form of {@code topic}.
     *
     * @throws TopicException if {@code topic} is not a topic of the contract, names an invalid thing, or breaks an
     *     AWS IoT Core limit; the message says which
     */
    static CollarTopic parse(String topic) {
        return TopicScheme.parse(topic);
    }
}
