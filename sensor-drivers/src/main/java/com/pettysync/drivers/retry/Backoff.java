package com.pettysync.drivers.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The collar's one back-off rule: before the n-th retry in a row the ceiling is {@code min(max, min·2ⁿ⁻¹)}. Two
 * ways to wait under it, chosen at construction:
 * <ul>
 * <li>{@link #fullJitter}: the delay is uniform in [0, ceiling], so a fleet that fails at once (a broker restart, a
 * throttled provisioning template, a quota) spreads its retries out instead of returning in step. The uplink's
 * reconnects and rejections and the claim provisioning's retries use it; the randomness is handed in (tests use a
 * seeded generator).</li>
 * <li>{@link #doubling}: the delay is the ceiling itself. For what concerns one collar only, where a spread buys
 * nothing and a predictable schedule is easier to test: the sensor poller's retries of a faulted part, the agent's
 * restarts of a crashed window loop, the re-sends of a receiver command that was not acknowledged.</li>
 * </ul>
 * Immutable and thread-safe (a jittered one is as thread-safe as its generator).
 */
public final class Backoff {
    private final long minMs;
    private final long maxMs;
    private final RandomGenerator random; // null: doubling, no jitter

    private Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minMs = min.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
        if (minMs < 0 || maxMs < minMs) {
            throw new IllegalArgumentException("back-off needs 0 <= min <= max, got " + min + " .. " + max);
        }
    }

    /** Delays uniform in [0, ceiling]; ceilings grow from {@code min} to at most {@code max}. */
    public static Backoff fullJitter(Duration min, Duration max, RandomGenerator random) {
        return new Backoff(min, max, Objects.requireNonNull(random));
    }

    /** Delays equal to the ceiling: {@code min}, 2·min, 4·min … at most {@code max}. */
    public static Backoff doubling(Duration min, Duration max) {
        return new Backoff(min, max, null);
    }

    /** The delay before retry {@code n} (1 = the first retry after one failure; 0 is treated as 1). */
    public Duration delay(int n) {
        long ceiling = ceiling(n).toMillis();
        return random == null ? Duration.ofMillis(ceiling) : Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /** The largest delay retry {@code n} can get. */
    public Duration ceiling(int n) {
        int doublings = Math.max(0, n - 1);
        if (doublings >= 62 || minMs > (Long.MAX_VALUE >> doublings)) {
            return Duration.ofMillis(maxMs);
        }
        return Duration.ofMillis(Math.min(maxMs, minMs << doublings));
    }

    public Duration min() {
        return Duration.ofMillis(minMs);
    }

    public Duration max() {
        return Duration.ofMillis(maxMs);
    }
}
