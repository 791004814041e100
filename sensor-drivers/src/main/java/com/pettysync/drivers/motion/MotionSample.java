package com.pettysync.drivers.motion;

/**
 * One IMU sample at {@code tNanos}: acceleration in g and angular rate in degrees per second, in the part's axes.
 */
public record MotionSample(long tNanos, float ax, float ay, float az, float gx, float gy, float gz) {

    /** Magnitude of the acceleration vector in g (1.0 at rest). */
    public double accelerationMagnitude() {
        return Math.sqrt((double) ax * ax + (double) ay * ay + (double) az * az);
    }
}
