package com.pettysync.contract.topic;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The topic scheme of wire contract v1 §2: building the topics a collar uses and parsing any topic string into a
 * typed {@link CollarTopic}.
 *
 * <p>AWS IoT Core limits enforced here (https://docs.aws.amazon.com/general/latest/gr/iot-core.html, message broker
 * quotas; the AWS IoT Device SDK's client-side validation states the same: "Topics and topic filters have a maximum
 * of 7 slashes (8 segments), not counting any AWS rules prefix … Topics must be <= 256 bytes in length"):
 * <ul>
 *   <li>a topic is at most {@value #MAX_TOPIC_BYTES} bytes of UTF-8;</li>
 *   <li>a topic has at most {@value #MAX_SLASHES} forward slashes, not counting the Basic Ingest prefix
 *       {@code $aws/rules/{rule}/} (https://docs.aws.amazon.com/iot/latest/developerguide/iot-basic-ingest.html).</li>
 * </ul>
 * Parsing is strict: empty levels, MQTT wildcards ({@code +}, {@code #}), unknown versions, streams, shadow or
 * jobs operations are errors, each with a {@link TopicException} naming the topic and the rule.
 */
public final class TopicScheme {
    /** Most bytes (UTF-8) in a topic. */
    public static final int MAX_TOPIC_BYTES = 256;
    /** Most forward slashes in a topic, not counting the Basic Ingest prefix. */
    public static final int MAX_SLASHES = 7;

    /**
     * The level of the thing name in a data topic, counted from 1 as the rules engine's {@code topic(n)} does (the
     * Basic Ingest prefix is not part of the topic a rule sees).
     */
    public static final int DATA_TOPIC_THING_LEVEL = 3;

    static final String DATA_PREFIX = "pettysync/v1/";
    static final String RULES_PREFIX = "$aws/rules/";
    static final String THINGS_PREFIX = "$aws/things/";

    private TopicScheme() {}

    /** The telemetry topic of {@code thing} in {@code mode}; {@code rule} is used only for Basic Ingest. */
    public static CollarTopic telemetry(ThingName thing, TopicMode mode, RuleName rule) {
        return mode == TopicMode.BASIC_INGEST ? new BasicIngestTopic(rule, thing)
                : new DataTopic(thing, DataStream.TELEMETRY);
    }

    /**
     * The topic filter that matches {@code stream}'s data topic of every collar, e.g.
     * {@code pettysync/v1/+/telemetry} (for an AWS IoT rule; a collar may not subscribe to it).
     */
    public static String everyCollarFilter(DataStream stream) {
        return DATA_PREFIX + "+/" + stream.level();
    }

    /** The event topic of {@code thing}. */
    public static DataTopic events(ThingName thing) {
        return new DataTopic(thing, DataStream.EVENTS);
    }

    /** The voice clip part topic of {@code thing}. */
    public static DataTopic voice(ThingName thing) {
        return new DataTopic(thing, DataStream.VOICE);
    }

    /** The raw-capture chunk topic of {@code thing} (§9). */
    public static DataTopic raw(ThingName thing) {
        return new DataTopic(thing, DataStream.RAW);
    }

    /**
     * {@code $aws/things/{thing}/jobs/}: the prefix of every AWS IoT Jobs topic of {@code thing} (the
     * {@link JobsTopic} names and the jobs filters of {@link #collarSubscriptions(ThingName)} start with it).
     */
    public static String jobsPrefix(ThingName thing) {
        return THINGS_PREFIX + thing.value() + "/jobs/";
    }

    /**
     * The topic filters a collar subscribes to: the replies and deltas of its {@code config} shadow and its jobs
     * notifications and replies (job-specific replies through a {@code +} level). All of them are allowed by the
     * collar policy ({@code com.pettysync.contract.policy.IotPolicy}).
     */
    public static List<String> collarSubscriptions(ThingName thing) {
        String shadow = THINGS_PREFIX + thing.value() + "/shadow/name/" + ShadowTopic.CONFIG + "/";
        String jobs = jobsPrefix(thing);
        return List.of(
                shadow + "get/accepted", shadow + "get/rejected",
                shadow + "update/accepted", shadow + "update/rejected", shadow + "update/delta",
                jobs + "notify-next",
                jobs + "start-next/accepted", jobs + "start-next/rejected",
                jobs + "+/get/accepted", jobs + "+/get/rejected",
                jobs + "+/update/accepted", jobs + "+/update/rejected");
    }

    /**
     * Checks AWS IoT Core's size and depth limits for a topic name.
     *
     * @throws TopicException if {@code topic} is empty, longer than 256 bytes of UTF-8, or has more than 7 slashes
     *     (Basic Ingest prefix not counted)
     */
    public static void checkAwsLimits(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new TopicException("topic " + ThingName.quote(topic) + ": must not be empty");
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            throw new TopicException("topic " + ThingName.quote(topic) + ": " + bytes + " bytes, AWS IoT Core allows "
                    + MAX_TOPIC_BYTES);
        }
        String counted = topic;
        if (topic.startsWith(RULES_PREFIX)) {
            int end = topic.indexOf('/', RULES_PREFIX.length());
            counted = end < 0 ? "" : topic.substring(end + 1);
        }
        long slashes = counted.chars().filter(c -> c == '/').count();
        if (slashes > MAX_SLASHES) {
            throw new TopicException("topic " + ThingName.quote(topic) + ": " + slashes
                    + " slashes, AWS IoT Core allows " + MAX_SLASHES + " (8 levels)");
        }
    }

    /** The typed form of {@code topic}; see {@link CollarTopic#parse(String)}. */
    static CollarTopic parse(String topic) {
        checkAwsLimits(topic);
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new TopicException("topic " + ThingName.quote(topic)
                    + ": a topic name must not contain the MQTT wildcards + or #");
        }
        String[] levels = topic.split("/", -1);
        for (String level : levels) {
            if (level.isEmpty()) {
                throw new TopicException("topic " + ThingName.quote(topic) + ": empty topic level");
            }
        }
        if (topic.startsWith(DATA_PREFIX) || levels[0].equals("pettysync")) {
            return parseData(topic, levels, 0);
        }
        if (topic.startsWith(RULES_PREFIX)) {
            if (levels.length < 3) {
                throw unknown(topic, "a Basic Ingest topic is $aws/rules/{rule}/pettysync/v1/{thing}/telemetry");
            }
            RuleName rule = new RuleName(levels[2]);
            CollarTopic data = parseData(topic, levels, 3);
            if (!(data instanceof DataTopic d) || d.stream() != DataStream.TELEMETRY) {
                throw unknown(topic, "only telemetry goes through Basic Ingest");
            }
            return new BasicIngestTopic(rule, d.thing());
        }
        if (topic.startsWith(THINGS_PREFIX)) {
            if (levels.length < 4) {
                throw unknown(topic, "expected $aws/things/{thing}/shadow/… or $aws/things/{thing}/jobs/…");
            }
            ThingName thing = new ThingName(levels[2]);
            if (levels[3].equals("shadow")) {
                return parseShadow(topic, levels, thing);
            }
            if (levels[3].equals("jobs")) {
                return parseJobs(topic, levels, thing);
            }
            throw unknown(topic, "expected shadow or jobs after the thing name, got " + ThingName.quote(levels[3]));
        }
        throw unknown(topic, "not a topic of wire contract v1 (pettysync/v1/…, $aws/rules/…, $aws/things/…)");
    }

    private static CollarTopic parseData(String topic, String[] levels, int from) {
        int n = levels.length - from;
        if (n < 2 || !levels[from].equals("pettysync")) {
            throw unknown(topic, "expected pettysync/v1/{thing}/telemetry|events|voice|raw");
        }
        if (!levels[from + 1].equals("v1")) {
            throw unknown(topic, "unsupported contract version " + ThingName.quote(levels[from + 1])
                    + ", this is v1");
        }
        if (n != 4) {
            throw unknown(topic, "expected pettysync/v1/{thing}/telemetry|events|voice|raw");
        }
        ThingName thing = new ThingName(levels[from + 2]);
        DataStream stream = DataStream.fromLevel(levels[from + 3]);
        if (stream == null) {
            throw unknown(topic, "unknown stream " + ThingName.quote(levels[from + 3])
                    + ", expected telemetry, events, voice or raw");
        }
        return new DataTopic(thing, stream);
    }

    private static CollarTopic parseShadow(String topic, String[] levels, ThingName thing) {
        // $aws/things/{thing}/shadow/name/{shadow}/{op}[/{result}]
        if (levels.length < 7 || !levels[4].equals("name")) {
            throw unknown(topic, "expected a named shadow: $aws/things/{thing}/shadow/name/{shadow}/…"
                    + " (the classic shadow is not part of the contract)");
        }
        String suffix = String.join("/", java.util.Arrays.copyOfRange(levels, 6, levels.length));
        ShadowOperation op = ShadowOperation.fromSuffix(suffix);
        if (op == null) {
            throw unknown(topic, "unknown shadow operation " + ThingName.quote(suffix));
        }
        return new ShadowTopic(thing, levels[5], op);
    }

    private static CollarTopic parseJobs(String topic, String[] levels, ThingName thing) {
        // $aws/things/{thing}/jobs/{…}: 1 to 3 levels after "jobs"
        int n = levels.length - 4;
        if (n == 1) {
            JobsOperation op = JobsOperation.of(levels[4], false);
            if (op != null) {
                return JobsTopic.of(thing, op);
            }
        } else if (n == 2) {
            JobsOperation op = JobsOperation.of(levels[4] + "/" + levels[5], false);
            if (op != null) {
                return JobsTopic.of(thing, op);
            }
            op = JobsOperation.of(levels[5], true);
            if (op != null) {
                return JobsTopic.of(thing, op, levels[4]);
            }
        } else if (n == 3) {
            JobsOperation op = JobsOperation.of(levels[5] + "/" + levels[6], true);
            if (op != null) {
                return JobsTopic.of(thing, op, levels[4]);
            }
        }
        String suffix = String.join("/", java.util.Arrays.copyOfRange(levels, 4, levels.length));
        throw unknown(topic, "unknown jobs topic " + ThingName.quote(suffix));
    }

    private static TopicException unknown(String topic, String why) {
        return new TopicException("topic " + ThingName.quote(topic) + ": " + why);
    }
}
