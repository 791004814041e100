package com.pettysync.simulator.cloud.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How many more executions of one job may be released now, by its {@link JobConfig.Rollout} (AWS IoT's
 * {@code jobExecutionsRolloutConfig}).
 *
 * <p>Time is cut into minutes from the job's creation; each minute may release at most the current rate. With an
 * exponential rate the first minutes release {@code baseRatePerMinute}; every time {@code criterionCount} more things
 * were notified (or succeeded, by the criterion) since the last increase, the rate is multiplied by
 * {@code incrementFactor} (rounded up, capped at {@code maximumPerMinute}) — the new rate applies from the next
 * minute. Without a rollout everything is released at once. Not thread-safe (the job service's lock guards it).
 */
final class RolloutRate {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Optional<JobConfig.Rollout> rollout;
    private final Instant start;
    private long minute = -1;
    private int releasedThisMinute;
    private int rate;
    private int pendingRate;
    private int countedAtLastIncrease;

    RolloutRate(Optional<JobConfig.Rollout> rollout, Instant start) {
        this.rollout = rollout;
        this.start = start;
        this.rate = rollout.map(r -> r.exponential() ? Math.min(r.baseRatePerMinute(), r.maximumPerMinute())
                : r.maximumPerMinute()).orElse(Integer.MAX_VALUE);
        this.pendingRate = rate;
    }

    /**
     * How many executions may be released at {@code now}, given how many things were notified and how many
     * succeeded so far.
     */
    int releasable(Instant now, int notified, int succeeded) {
        if (rollout.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        JobConfig.Rollout r = rollout.get();
        if (r.exponential()) {
            int counted = r.criterion() == JobConfig.IncreaseCriterion.NOTIFIED ? notified : succeeded;
            while (counted - countedAtLastIncrease >= r.criterionCount() && pendingRate < r.maximumPerMinute()) {
                pendingRate = (int) Math.min(r.maximumPerMinute(), Math.ceil(pendingRate * r.incrementFactor()));
                countedAtLastIncrease += r.criterionCount();
            }
        }
        long m = Math.max(0, Duration.between(start, now).toMillis() / MINUTE.toMillis());
        if (m != minute) {
            minute = m;
            releasedThisMinute = 0;
            rate = pendingRate;
        }
        return Math.max(0, rate - releasedThisMinute);
    }

    void released(int n) {
        releasedThisMinute += n;
    }

    /** The rate (executions per minute) of the current minute; {@link Integer#MAX_VALUE} without a rollout. */
    int currentRate() {
        return rate;
    }

    /** When the next minute starts (when more may be released once this minute's budget is spent). */
    Instant nextMinute() {
        return start.plus(MINUTE.multipliedBy(Math.max(0, minute) + 1));
    }
}
