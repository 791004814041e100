package com.pettysync.simulator.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The fleet's simulated time: starts at {@code origin} and runs {@code speedup} times faster than the real monotonic
 * clock ({@code speedup} 1 = real cadence). Monotonic and continuous, so the agent code that reads it (window
 * closes, back-off, rate limit) sees ordinary time, only faster. Thread-safe.
 */
public final class SimulatedClock extends Clock {
    private final Instant origin;
    private final long originNanos;
    private final double speedup;

    public SimulatedClock(Instant origin, double speedup) {
        if (!(speedup >= 1)) {
            throw new IllegalArgumentException("speedup must be >= 1");
        }
        this.origin = origin;
        this.speedup = speedup;
        this.originNanos = System.nanoTime();
    }

    public double speedup() {
        return speedup;
    }

    public Instant origin() {
        return origin;
    }

    /** Simulated time elapsed since the origin. */
    public Duration elapsed() {
        return Duration.between(origin, instant());
    }

    @Override
    public Instant instant() {
        long realNanos = System.nanoTime() - originNanos;
        return origin.plusNanos((long) (realNanos * speedup));
    }

    /** Real nanoseconds from now until simulated {@code t} (≤ 0 when it has passed). */
    public long realNanosUntil(Instant t) {
        if (t.equals(Instant.MAX)) {
            return Long.MAX_VALUE;
        }
        Duration d = Duration.between(instant(), t);
        double n = d.getSeconds() * 1e9 + d.getNano();
        return (long) (n / speedup);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC only");
    }
}
