package com.pettysync.simulator.cloud;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One message a local cloud service wants published to the broker: a topic and its payload.
 *
 * @param topic   the MQTT topic (a reserved {@code $aws/...} reply topic)
 * @param payload the payload bytes (UTF-8 JSON for the shadow and jobs services)
 */
public record Outbound(String topic, byte[] payload) {
    public Outbound {
        Objects.requireNonNull(topic, "topic");
        payload = payload.clone();
    }

    /** A message with UTF-8 JSON text {@code json}. */
    public static Outbound json(String topic, String json) {
        return new Outbound(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outbound other && topic.equals(other.topic)
                && java.util.Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return topic.hashCode() * 31 + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Outbound[" + topic + ", " + payload.length + " bytes]";
    }
}
