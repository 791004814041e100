package com.pettysync.contract.fleet;

import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.TopicScheme;

/**
 * The AWS IoT rule that receives the fleet's telemetry (its name is a {@code com.pettysync.contract.topic.RuleName},
 * {@code pettysync_telemetry} by default) and hands each frame to the cloud validator function ("Dumper #1").
 *
 * <p>SQL (version {@value #SQL_VERSION}):
 * <pre>
 * SELECT encode(*, 'base64') AS frame, topic(3) AS thing, timestamp() AS receivedMs FROM 'pettysync/v1/+/telemetry'
 * </pre>
 * <ul>
 *   <li>The frame is CBOR, and a Lambda action takes JSON only, so the payload is passed base64-encoded
 *       ({@code encode(*, 'base64')}, https://docs.aws.amazon.com/iot/latest/developerguide/binary-payloads.html).</li>
 *   <li>The thing is the topic's third level. Through Basic Ingest ({@code $aws/rules/{rule}/pettysync/v1/…}) the
 *       rule sees the topic without the {@code $aws/rules/{rule}/} prefix, so the level is the same in both topic
 *       modes; the collar policy lets a collar publish only under its own name, so the level is trustworthy.</li>
 *   <li>The FROM filter matches the direct telemetry topic of every collar: Basic Ingest does not need it, but with
 *       it the same rule also serves collars in the {@code direct} topic mode.</li>
 * </ul>
 * The validator function receives {@code {"frame": "<base64 CBOR>", "thing": "collar-…", "receivedMs": 1764…}}.
 */
public final class TelemetryRule {
    /** The rules engine SQL version. */
    public static final String SQL_VERSION = "2016-03-23";
    /** Field of the validator's input: the frame, base64 of the CBOR bytes. */
    public static final String FRAME_FIELD = "frame";
    /** Field of the validator's input: the collar's thing name. */
    public static final String THING_FIELD = "thing";
    /** Field of the validator's input: when AWS IoT received the frame, Unix milliseconds. */
    public static final String RECEIVED_FIELD = "receivedMs";

    private TelemetryRule() {}

    /** The rule's SQL statement. */
    public static String sql() {
        return "SELECT encode(*, 'base64') AS " + FRAME_FIELD + ", topic(" + TopicScheme.DATA_TOPIC_THING_LEVEL
                + ") AS " + THING_FIELD + ", timestamp() AS " + RECEIVED_FIELD + " FROM '"
                + TopicScheme.everyCollarFilter(DataStream.TELEMETRY) + "'";
    }
}
