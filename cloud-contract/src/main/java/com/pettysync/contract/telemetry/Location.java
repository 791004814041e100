package com.pettysync.contract.telemetry;

import java.util.List;
import java.util.Objects;

/**
 * Key 6 {@code loc}: the newest fix (degrees × 10^7, accuracy in decimetres, age at window end in seconds)
 * and the earlier fixes of the window as absolute points, newest first. The frame carries the trail as
 * deltas and may thin it to fit 182 bytes (see {@link TelemetryFrameCodec#thin}).
 */
public record Location(int latE7, int lonE7, int haccDm, int ageS, List<TrailPoint> trail) {
    public Location {
        trail = List.copyOf(Objects.requireNonNull(trail, "trail"));
    }

    /** A fix without a trail. */
    public Location(int latE7, int lonE7, int haccDm, int ageS) {
        this(latE7, lonE7, haccDm, ageS, List.of());
    }

    /** This location with another trail. */
    public Location withTrail(List<TrailPoint> newTrail) {
        return new Location(latE7, lonE7, haccDm, ageS, newTrail);
    }

    /** P₀ in degrees × 10^5: ⌊(lat_e7 + 50) / 100⌋ (floor, also for negative coordinates). */
    public int latE5() {
        return (int) Math.floorDiv(latE7 + 50L, 100L);
    }

    /** P₀ in degrees × 10^5: ⌊(lon_e7 + 50) / 100⌋. */
    public int lonE5() {
        return (int) Math.floorDiv(lonE7 + 50L, 100L);
    }
}
