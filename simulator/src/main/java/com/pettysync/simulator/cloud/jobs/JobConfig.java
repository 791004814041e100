package com.pettysync.simulator.cloud.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a job is configured with beyond its document and targets, as AWS IoT's CreateJob takes it
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateJob.html): the rollout rate
 * ({@code jobExecutionsRolloutConfig}), the abort criteria ({@code abortConfig}), the in-progress timeout
 * ({@code timeoutConfig}) and how long presigned artifact URLs live ({@code presignedUrlConfig.expiresInSec}).
 * Values are range-checked here, with AWS's ranges, so that the control plane and tests refuse the same things.
 *
 * @param rollout             how fast executions are released; empty = all at once
 * @param abort               criteria that cancel the job; empty = never aborted
 * @param inProgressTimeout   an execution still IN_PROGRESS this long after it started becomes TIMED_OUT; empty = none
 * @param presignedUrlExpiry  lifetime of each presigned URL put into the document; empty = the document has none
 */
public record JobConfig(Optional<Rollout> rollout, List<AbortCriterion> abort, Optional<Duration> inProgressTimeout,
        Optional<Duration> presignedUrlExpiry) {
    /** No rollout limit, no abort, no timeout, no presigned URLs. */
    public static final JobConfig DEFAULT = new JobConfig(Optional.empty(), List.of(), Optional.empty(),
            Optional.empty());

    public JobConfig {
        Objects.requireNonNull(rollout, "rollout");
        abort = List.copyOf(abort);
        Objects.requireNonNull(inProgressTimeout, "inProgressTimeout");
        Objects.requireNonNull(presignedUrlExpiry, "presignedUrlExpiry");
        inProgressTimeout.ifPresent(t -> {
            if (t.toMinutes() < 1 || t.toMinutes() > 10080 || t.toSecondsPart() != 0) {
                throw new IllegalArgumentException("inProgressTimeoutInMinutes must be 1 to 10080 whole minutes, got "
                        + t);
            }
        });
        presignedUrlExpiry.ifPresent(t -> {
            if (t.toSeconds() < 60 || t.toSeconds() > 3600) {
                throw new IllegalArgumentException("presignedUrlConfig.expiresInSec must be 60 to 3600, got "
                        + t.toSeconds());
            }
        });
        if (abort.size() > 1 && abort.stream().map(AbortCriterion::failureType).distinct().count() != abort.size()) {
            throw new IllegalArgumentException("abortConfig: at most one criterion per failure type");
        }
    }

    /** Which count makes the rollout rate grow (AWS {@code rateIncreaseCriteria}). */
    public enum IncreaseCriterion { NOTIFIED, SUCCEEDED }

    /**
     * The rollout rate (AWS {@code jobExecutionsRolloutConfig}): at most {@code maximumPerMinute} executions released
     * per minute; with an exponential rate, the first minutes release {@code baseRatePerMinute}, and each time
     * {@code criterionCount} more things were notified (or succeeded) the rate is multiplied by
     * {@code incrementFactor}, up to {@code maximumPerMinute}.
     *
     * @param maximumPerMinute  1 … 1000
     * @param baseRatePerMinute 1 … 1000, or 0 for a constant rate of {@code maximumPerMinute}
     * @param incrementFactor   1.1 … 5 (ignored for a constant rate)
     * @param criterion         what {@code criterionCount} counts
     * @param criterionCount    1 … 2^31−1 things per increase
     */
    public record Rollout(int maximumPerMinute, int baseRatePerMinute, double incrementFactor,
            IncreaseCriterion criterion, int criterionCount) {
        public Rollout {
            if (maximumPerMinute < 1 || maximumPerMinute > 1000) {
                throw new IllegalArgumentException("maximumPerMinute must be 1 to 1000, got " + maximumPerMinute);
            }
            if (baseRatePerMinute != 0) {
                if (baseRatePerMinute < 1 || baseRatePerMinute > 1000) {
                    throw new IllegalArgumentException("exponentialRate.baseRatePerMinute must be 1 to 1000, got "
                            + baseRatePerMinute);
                }
                if (!(incrementFactor >= 1.1 && incrementFactor <= 5)) {
                    throw new IllegalArgumentException("exponentialRate.incrementFactor must be 1.1 to 5, got "
                            + incrementFactor);
                }
                Objects.requireNonNull(criterion, "criterion");
                if (criterionCount < 1) {
                    throw new IllegalArgumentException("rateIncreaseCriteria must count at least 1 thing, got "
                            + criterionCount);
                }
            }
        }

        /** A constant rate. */
        public static Rollout constant(int perMinute) {
            return new Rollout(perMinute, 0, 1, IncreaseCriterion.NOTIFIED, 1);
        }

        boolean exponential() {
            return baseRatePerMinute != 0;
        }
    }

    /** Which terminal statuses an abort criterion counts (AWS {@code JobExecutionFailureType}). */
    public enum FailureType {
        FAILED, REJECTED, TIMED_OUT, ALL;

        boolean counts(JobService.Status s) {
            return switch (this) {
                case FAILED -> s == JobService.Status.FAILED;
                case REJECTED -> s == JobService.Status.REJECTED;
                case TIMED_OUT -> s == JobService.Status.TIMED_OUT;
                case ALL -> s == JobService.Status.FAILED || s == JobService.Status.REJECTED
                        || s == JobService.Status.TIMED_OUT;
            };
        }
    }

    /**
     * One abort criterion (AWS {@code AbortCriteria}, action CANCEL): the job is canceled once at least
     * {@code minNumberOfExecutedThings} executions have ended (reached a terminal status) and the share of them that
     * ended in {@code failureType} is at least {@code thresholdPercentage}.
     *
     * @param thresholdPercentage 0 … 100 (AWS keeps two decimals)
     * @param minNumberOfExecutedThings at least 1
     */
    public record AbortCriterion(FailureType failureType, double thresholdPercentage, int minNumberOfExecutedThings) {
        public AbortCriterion {
            Objects.requireNonNull(failureType, "failureType");
            if (!(thresholdPercentage >= 0 && thresholdPercentage <= 100)) {
                throw new IllegalArgumentException("thresholdPercentage must be 0 to 100, got " + thresholdPercentage);
            }
            if (minNumberOfExecutedThings < 1) {
                throw new IllegalArgumentException("minNumberOfExecutedThings must be at least 1, got "
                        + minNumberOfExecutedThings);
            }
        }

        /** Whether {@code failures} of {@code executed} ended executions meet this criterion. */
        public boolean met(int failures, int executed) {
            return executed >= minNumberOfExecutedThings && executed > 0
                    && failures * 100.0 >= thresholdPercentage * executed;
        }
    }
}
