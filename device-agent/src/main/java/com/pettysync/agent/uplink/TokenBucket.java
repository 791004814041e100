package com.pettysync.agent.uplink;

import java.time.Duration;
import java.time.Instant;

/**
 * The uplink's publish pacing: a token bucket of size one on the injected clock, refilled at
 * {@code publishesPerSecond}. Publishes are paced evenly (no bursts), so no calendar second sees more than the rate.
 * One bucket for every lane (control, events, telemetry, voice, raw): the sum stays within the rate.
 *
 * <p>Confined to the uplink's thread (used from {@link Uplink#tick()} only).
 */
final class TokenBucket {
    private final int perSecond;
    private double tokens = 1;
    private Instant at;

    TokenBucket(int perSecond, Instant now) {
        this.perSecond = perSecond;
        this.at = now;
    }

    /** Adds what the time since the last refill earned, up to one token. */
    void refill(Instant now) {
        long nanos = Duration.between(at, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(1.0, tokens + nanos * (double) perSecond / 1e9); // bucket of one: evenly paced
            at = now;
        }
    }

    /** Whether a publish may go now (without taking the token). */
    boolean available() {
        return tokens >= 1;
    }

    /** Takes the token when there is one; false when the caller must wait for {@link #nextAt}. */
    boolean take() {
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** When the next token is full. */
    Instant nextAt(Instant now) {
        return now.plusNanos((long) Math.ceil((1 - tokens) * 1e9 / perSecond));
    }
}
