package com.pettysync.agent.uplink;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Full-jitter exponential back-off: the delay before the n-th retry in a row is uniform in
 * [0, min(max, min·2<sup>n−1</sup>)], so a fleet that fails at once (a broker restart, a throttled provisioning
 * template) spreads its retries out instead of returning in step. The one implementation of that rule: the uplink's
 * reconnects and rejections and the claim provisioning's retries all use it. The randomness is handed in (tests
 * use a seeded generator).
 */
public final class Backoff {
    private final long minMs;
    private final long maxMs;
    private final RandomGenerator random;

    /** Delays grow from {@code min} (the ceiling of the first retry) to at most {@code max}. */
    public Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minMs = min.toMillis();
        this.maxMs = max.toMillis();
        this.random = Objects.requireNonNull(random);
        if (minMs < 0 || maxMs < minMs) {
            throw new IllegalArgumentException("back-off needs 0 <= min <= max, got " + min + " .. " + max);
        }
    }

    /** The delay before retry {@code n} (1 = the first retry after one failure; 0 is treated as 1). */
    public Duration delay(int n) {
        int doublings = Math.max(0, n - 1);
        long ceiling = maxMs;
        if (doublings < 62 && minMs <= (Long.MAX_VALUE >> doublings)) {
            ceiling = Math.min(maxMs, minMs << doublings);
        }
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /** The largest delay retry {@code n} can get (the jitter's ceiling). */
    public Duration ceiling(int n) {
        int doublings = Math.max(0, n - 1);
        if (doublings >= 62 || minMs > (Long.MAX_VALUE >> doublings)) {
            return Duration.ofMillis(maxMs);
        }
        return Duration.ofMillis(Math.min(maxMs, minMs << doublings));
    }
}
