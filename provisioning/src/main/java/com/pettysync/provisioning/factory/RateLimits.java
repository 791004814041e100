package com.pettysync.provisioning.factory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Client-side pacing of control-plane calls: one token bucket per {@link ControlPlaneApi} at its quota times a
 * scale, shared by every worker of a run, so a batch stays under AWS IoT's per-API limits instead of relying on
 * throttling and back-off alone (retries of a throttled call are the SDK's; see
 * {@code ControlPlaneTarget}). Bucket depth is one second of quota, so a run starts at full rate without a burst
 * above it. Thread-safe; waits are computed under a lock and slept outside it.
 */
public final class RateLimits {
    /** Waits for a number of nanoseconds (the real one parks the thread; tests record instead). */
    @FunctionalInterface
    public interface Pause {
        void nanos(long nanos);
    }

    private final LongSupplier nanoTime;
    private final Pause pause;
    private final Map<ControlPlaneApi, Bucket> buckets = new EnumMap<>(ControlPlaneApi.class);

    public RateLimits(double scale, LongSupplier nanoTime, Pause pause) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("rate scale must be > 0, got " + scale);
        }
        this.nanoTime = nanoTime;
        this.pause = pause;
        long now = nanoTime.getAsLong();
        for (ControlPlaneApi api : ControlPlaneApi.values()) {
            buckets.put(api, new Bucket(api.perSecond() * scale, now));
        }
    }

    /** AWS's quotas times {@code scale}, on the real clock. */
    public static RateLimits real(double scale) {
        return new RateLimits(scale, System::nanoTime, n -> {
            long until = System.nanoTime() + n;
            for (long left = n; left > 0; left = until - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        });
    }

    /** No pacing at all (a local endpoint under test, or quotas raised beyond the run's speed). */
    public static RateLimits unlimited() {
        return new RateLimits(1e9, () -> 0L, n -> { });
    }

    /** Takes one token for {@code api}, waiting as long as the bucket needs to refill. */
    public void acquire(ControlPlaneApi api) {
        long wait = buckets.get(api).take(nanoTime.getAsLong());
        if (wait > 0) {
            pause.nanos(wait);
        }
    }

    private static final class Bucket {
        private final double perNano;
        private final double depth;
        private double tokens;
        private long at;

        Bucket(double perSecond, long now) {
            this.perNano = perSecond / 1e9;
            this.depth = Math.max(1, perSecond);
            this.tokens = depth;
            this.at = now;
        }

        /** Takes a token (possibly going negative: a reservation) and returns how long to wait for it. */
        synchronized long take(long now) {
            if (now > at) {
                tokens = Math.min(depth, tokens + (now - at) * perNano);
                at = now;
            }
            tokens -= 1;
            return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
        }
    }
}
