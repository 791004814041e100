package com.pettysync.simulator.cloud.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.simulator.cloud.jobs.JobService.JobStatus;
import com.pettysync.simulator.cloud.jobs.JobService.JobView;
import com.pettysync.simulator.cloud.jobs.JobService.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One job and its job-level rules: its targets and how many are released, its executions, the evaluation of its
 * abort criteria and when it is complete (every target released, or the job canceled, and every execution
 * terminal). Mutable; called under JobService's lock.
 */
final class Job {
    final String jobId;
    final JsonNode document;
    /** Whether {@link #document} has presigned-URL placeholders. */
    final boolean presigned;
    final JobConfig config;
    final List<String> targets;
    final RolloutRate rate;
    final long createdAt;
    final List<Execution> executions = new ArrayList<>();
    int released;
    JobStatus status = JobStatus.IN_PROGRESS;
    boolean forceCanceled;
    String reasonCode;
    String comment;
    long lastUpdatedAt;
    Long completedAt;

    /** An IN_PROGRESS job of {@code targets} (duplicates dropped, order kept), none released, created at {@code now}. */
    Job(String jobId, JsonNode document, boolean presigned, JobConfig config, List<String> targets, Instant now) {
        this.jobId = jobId;
        this.document = document;
        this.presigned = presigned;
        this.config = config;
        this.targets = List.copyOf(new java.util.LinkedHashSet<>(targets));
        this.rate = new RolloutRate(config.rollout(), now);
        this.createdAt = now.getEpochSecond();
        this.lastUpdatedAt = createdAt;
    }

    int count(Status status) {
        int n = 0;
        for (Execution e : executions) {
            if (e.status == status) {
                n++;
            }
        }
        return n;
    }

    /** The comment of the first abort criterion met, if the job is IN_PROGRESS and one is. */
    Optional<String> abortCriterionMet() {
        if (status != JobStatus.IN_PROGRESS || config.abort().isEmpty()) {
            return Optional.empty();
        }
        int executed = 0;
        for (Execution e : executions) {
            if (e.status.terminal()) {
                executed++;
            }
        }
        for (JobConfig.AbortCriterion c : config.abort()) {
            int failures = 0;
            for (Execution e : executions) {
                if (c.failureType().counts(e.status)) {
                    failures++;
                }
            }
            if (c.met(failures, executed)) {
                return Optional.of(String.format(Locale.ROOT,
                        "abort criterion %s >= %.2f%% of >= %d executed met: %d of %d", c.failureType(),
                        c.thresholdPercentage(), c.minNumberOfExecutedThings(), failures, executed));
            }
        }
        return Optional.empty();
    }

    /** Marks the job COMPLETED (if IN_PROGRESS) and stamps {@code completedAt} once nothing is left to run. */
    void completeIfDone(long now) {
        if (status == JobStatus.COMPLETED || released < targets.size() && status == JobStatus.IN_PROGRESS) {
            return;
        }
        for (Execution e : executions) {
            if (!e.status.terminal()) {
                return;
            }
        }
        if (status == JobStatus.IN_PROGRESS) {
            status = JobStatus.COMPLETED;
        }
        if (completedAt == null) {
            completedAt = now;
        }
    }

    JobView view() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status st : Status.values()) {
            counts.put(st, count(st));
        }
        long last = lastUpdatedAt;
        for (Execution e : executions) {
            last = Math.max(last, e.lastUpdatedAt);
        }
        return new JobView(jobId, status, forceCanceled, reasonCode, comment, config, counts, targets.size(),
                targets.size() - released, rate.currentRate(), createdAt, last, completedAt);
    }
}
