package com.pettysync.contract.shadow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.raw.RawSensor;
import java.util.EnumSet;
import java.util.Set;

/**
 * The shadow setting {@code rawCapture} (wire contract §6, §9): which sensors stream raw samples, until when.
 * {@code {"sensors": ["ppg", "imu"], "untilUnix": 1767229200}}. The request is in force while {@code sensors} is not
 * empty and the collar's clock is before {@code untilUnix}; {@link #OFF} (no sensors, 0) is the default, and a
 * shadow change that empties {@code sensors} or moves {@code untilUnix} to the past stops a capture.
 *
 * <p>Rules ({@link ConfigDelta}): {@code sensors} an array of distinct names {@code ppg}, {@code imu};
 * {@code untilUnix} an integer ≥ 0 and at most {@value #MAX_AHEAD_S} s after the shadow document's
 * {@code timestamp} (a request can never keep a collar streaming for more than a day).
 *
 * @param sensors the sensors to stream (empty: none)
 * @param untilUnix Unix seconds at which the collar stops by itself
 */
public record RawCapture(Set<RawSensor> sensors, long untilUnix) {
    /** A request reaches at most 24 h past the document that made it. */
    public static final long MAX_AHEAD_S = 24 * 3600;
    /** No capture. */
    public static final RawCapture OFF = new RawCapture(Set.of(), 0);

    /** @throws IllegalArgumentException if {@code untilUnix} is negative */
    public RawCapture {
        sensors = sensors.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sensors));
        if (untilUnix < 0) {
            throw new IllegalArgumentException("untilUnix must be >= 0");
        }
    }

    /** Whether the collar should stream at Unix second {@code nowUnix}. */
    public boolean inForceAt(long nowUnix) {
        return !sensors.isEmpty() && nowUnix < untilUnix;
    }

    /** The sensors in wire order (ppg, imu). */
    public java.util.List<RawSensor> sensorsInOrder() {
        return java.util.Arrays.stream(RawSensor.values()).filter(sensors::contains).toList();
    }

    /** The setting as the shadow shows it: {@code {"sensors":[…],"untilUnix":N}}, sensors in wire order. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        var a = o.putArray("sensors");
        sensorsInOrder().forEach(s -> a.add(s.jsonName()));
        o.put("untilUnix", untilUnix);
        return o;
    }
}
