package com.pettysync.contract.cost;

import com.pettysync.contract.topic.TopicMode;
import java.util.Objects;

/**
 * How a fleet uses AWS IoT Core, per collar, from which {@link CostModel#usage(FleetProfile)} derives a month's
 * {@link Usage}. Build one with {@link #of(long, int, TopicMode)} and adjust with the {@code with…} methods.
 *
 * @param collars number of collars
 * @param intervalS telemetry window: one telemetry frame per collar every {@code intervalS} seconds
 * @param topicMode how telemetry is sent (Basic Ingest has no messaging charge)
 * @param frameBytes telemetry payload size (at most 182 by the contract)
 * @param thingNameLength characters in a thing name (metered as part of the topic); {@code collar-} + a 12-digit
 *     serial is 19
 * @param connectedFraction share of the month a collar is connected, 0 … 1
 * @param connectsPerDay MQTT sessions a collar starts per day (each: CONNECT, 2 SUBSCRIBE packets, a shadow get and
 *     a reported update)
 * @param eventsPerDay event frames per collar per day
 * @param voicePartsPerDay voice clip parts per collar per day
 * @param voicePartBytes payload size of a voice part
 * @param jobsPerMonth job executions per collar per month (firmware / model updates)
 */
public record FleetProfile(long collars, int intervalS, TopicMode topicMode, int frameBytes, int thingNameLength,
        double connectedFraction, double connectsPerDay, double eventsPerDay, double voicePartsPerDay,
        int voicePartBytes, double jobsPerMonth) {

    public FleetProfile {
        Objects.requireNonNull(topicMode, "topicMode");
        if (collars < 0 || intervalS < 1 || frameBytes < 0 || thingNameLength < 1 || voicePartBytes < 0) {
            throw new IllegalArgumentException("collars ≥ 0, intervalS ≥ 1, sizes ≥ 0 required");
        }
        if (!(connectedFraction >= 0 && connectedFraction <= 1)) {
            throw new IllegalArgumentException("connectedFraction must be 0 … 1");
        }
        if (!(connectsPerDay >= 0) || !(eventsPerDay >= 0) || !(voicePartsPerDay >= 0) || !(jobsPerMonth >= 0)) {
            throw new IllegalArgumentException("rates must be ≥ 0");
        }
    }

    /**
     * A fleet of {@code collars} sending one 182-byte frame every {@code intervalS} seconds, always connected, one
     * session a day, no events, voice or jobs.
     */
    public static FleetProfile of(long collars, int intervalS, TopicMode topicMode) {
        return new FleetProfile(collars, intervalS, topicMode, 182, 19, 1.0, 1.0, 0, 0, 0, 0);
    }

    public FleetProfile withEventsPerDay(double v) {
        return new FleetProfile(collars, intervalS, topicMode, frameBytes, thingNameLength, connectedFraction,
                connectsPerDay, v, voicePartsPerDay, voicePartBytes, jobsPerMonth);
    }

    public FleetProfile withVoiceParts(double perDay, int bytes) {
        return new FleetProfile(collars, intervalS, topicMode, frameBytes, thingNameLength, connectedFraction,
                connectsPerDay, eventsPerDay, perDay, bytes, jobsPerMonth);
    }

    public FleetProfile withJobsPerMonth(double v) {
        return new FleetProfile(collars, intervalS, topicMode, frameBytes, thingNameLength, connectedFraction,
                connectsPerDay, eventsPerDay, voicePartsPerDay, voicePartBytes, v);
    }

    public FleetProfile withConnectedFraction(double v) {
        return new FleetProfile(collars, intervalS, topicMode, frameBytes, thingNameLength, v, connectsPerDay,
                eventsPerDay, voicePartsPerDay, voicePartBytes, jobsPerMonth);
    }

    public FleetProfile withConnectsPerDay(double v) {
        return new FleetProfile(collars, intervalS, topicMode, frameBytes, thingNameLength, connectedFraction, v,
                eventsPerDay, voicePartsPerDay, voicePartBytes, jobsPerMonth);
    }
}
