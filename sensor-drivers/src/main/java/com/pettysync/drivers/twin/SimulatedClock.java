package com.pettysync.drivers.twin;

import com.pettysync.drivers.MonotonicClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Monotonic nanoseconds start at 0 and map to wall time as
 * {@code origin + nanos}; {@link #asClock()} gives a {@link java.time.Clock} view for code that wants one.
 * Thread-safe; advancing is the caller's business (typically one simulation loop).
 */
public final class SimulatedClock implements MonotonicClock {
    private final Instant origin;
    private final AtomicLong nanos = new AtomicLong();

    public SimulatedClock(Instant origin) {
        this.origin = origin;
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    public void advance(Duration d) {
        advanceNanos(d.toNanos());
    }

    public void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("a monotonic clock does not go back");
        }
        nanos.addAndGet(delta);
    }

    /** Moves to {@code target} nanos if that is later than now. */
    public void advanceTo(long target) {
        nanos.accumulateAndGet(target, Math::max);
    }

    public Instant origin() {
        return origin;
    }

    /** Wall time now. */
    public Instant instant() {
        return instantAt(nanos.get());
    }

    /** Wall time at monotonic {@code t}. */
    public Instant instantAt(long t) {
        return origin.plusNanos(t);
    }

    public Clock asClock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("simulated clock is UTC");
            }

            @Override
            public Instant instant() {
                return SimulatedClock.this.instant();
            }
        };
    }
}
