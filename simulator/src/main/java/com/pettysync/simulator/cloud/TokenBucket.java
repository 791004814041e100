package com.pettysync.simulator.cloud;

import java.time.Clock;

/**
 * A token bucket: at most {@code ratePerSecond} requests per second, with a burst of the same size. The broker keeps
 * one per connection for publishes (AWS IoT Core: "Publish requests per connection: 100 per second", not
 * adjustable, https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits); the control plane
 * one per API when its rate limit is configured.
 *
 * <p>Time comes from the injected clock only, so a test with a fixed clock gets exactly {@code ratePerSecond}
 * publishes and then refusals, with no timing in the test. Thread-safe.
 */
public final class TokenBucket {
    private final Clock clock;
    private final double ratePerSecond;
    private double tokens;
    private long lastNanos;

    public TokenBucket(Clock clock, int ratePerSecond) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second, got " + ratePerSecond);
        }
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.tokens = ratePerSecond;
        this.lastNanos = nanos();
    }

    /** Takes one token; false when the caller is over its rate. */
    public synchronized boolean tryAcquire() {
        long now = nanos();
        if (now > lastNanos) {
            tokens = Math.min(ratePerSecond, tokens + (now - lastNanos) * ratePerSecond / 1e9);
            lastNanos = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private long nanos() {
        var i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
