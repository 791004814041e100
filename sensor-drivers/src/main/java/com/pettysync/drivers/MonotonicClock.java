package com.pettysync.drivers;

/**
 * The time base of every sample: nanoseconds from an arbitrary origin that never goes backwards.
 *
 * <p>Drivers stamp samples and drive their stuck-part detection and retry back-off with this clock only, so tests
 * and the simulated twins run on a {@link com.pettysync.drivers.twin.SimulatedClock} as fast as the CPU allows.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** Nanoseconds since this clock's origin; never decreases. */
    long nanos();

    /** The JVM's monotonic clock ({@link System#nanoTime()}). */
    static MonotonicClock system() {
        return System::nanoTime;
    }
}
