package com.pettysync.contract.topic;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a collar sends telemetry (wire contract §2): straight to the message broker on
 * {@code pettysync/v1/{thing}/telemetry}, or through AWS IoT Basic Ingest on
 * {@code $aws/rules/{rule}/pettysync/v1/{thing}/telemetry}, which bypasses the broker and has no messaging charge
 * (https://docs.aws.amazon.com/iot/latest/developerguide/iot-basic-ingest.html). Events and voice parts always go
 * direct.
 */
public enum TopicMode {
    DIRECT("direct"),
    BASIC_INGEST("basic-ingest");

    private final String configName;

    TopicMode(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files and on the command line: {@code direct}, {@code basic-ingest}. */
    public String configName() {
        return configName;
    }

    /**
     * The mode with this configuration name.
     *
     * @throws TopicException for any other name
     */
    public static TopicMode fromConfigName(String name) {
        for (TopicMode m : values()) {
            if (m.configName.equals(name)) {
                return m;
            }
        }
        throw new TopicException("topic mode " + ThingName.quote(name) + ": must be one of "
                + Arrays.stream(values()).map(TopicMode::configName).collect(Collectors.joining(", ")));
    }
}
