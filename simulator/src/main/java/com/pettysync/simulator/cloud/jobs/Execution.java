package com.pettysync.simulator.cloud.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.simulator.cloud.jobs.JobService.ExecutionView;
import com.pettysync.simulator.cloud.jobs.JobService.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing's execution of one job and its state machine: each accepted change increments {@code versionNumber},
 * the first IN_PROGRESS stamps {@code startedAt} and arms the job's in-progress timeout, a step timeout is armed by
 * each IN_PROGRESS change that names one and dropped by any other status. Also the limits AWS puts on the fields a
 * device sends ({@code statusDetails}, {@code stepTimeoutInMinutes}). Mutable; called under JobService's lock.
 */
final class Execution {
    private static final int MAX_STATUS_DETAILS = 10;
    private static final String STATUS_DETAIL_KEY = "[a-zA-Z0-9:_-]{1,128}";
    private static final int MAX_STATUS_DETAIL_LENGTH = 1024;
    private static final int MAX_STEP_TIMEOUT_MINUTES = 10080;

    final String jobId;
    final String thing;
    final Job job;
    Status status = Status.QUEUED;
    Map<String, String> statusDetails = new LinkedHashMap<>();
    final long queuedAt;
    Long startedAt;
    long lastUpdatedAt;
    long versionNumber = 1;
    final long executionNumber = 1;
    private Instant stepDeadline;
    private Instant inProgressDeadline;

    /** A QUEUED execution of {@code job} on {@code thing}, queued at {@code now} (epoch seconds). */
    Execution(Job job, String thing, long now) {
        this.jobId = job.jobId;
        this.thing = thing;
        this.job = job;
        this.queuedAt = now;
        this.lastUpdatedAt = now;
    }

    /** Moves to {@code next} (any status; the caller checks what a device may set) and stamps it and its job. */
    void change(Status next, Integer stepTimeoutMinutes, Clock clock) {
        long now = clock.instant().getEpochSecond();
        if (next == Status.IN_PROGRESS && startedAt == null) {
            startedAt = now;
            job.config.inProgressTimeout().ifPresent(t -> inProgressDeadline = clock.instant().plus(t));
        }
        status = next;
        versionNumber++;
        lastUpdatedAt = now;
        job.lastUpdatedAt = now;
        if (next == Status.IN_PROGRESS && stepTimeoutMinutes != null) {
            stepDeadline = clock.instant().plus(Duration.ofMinutes(stepTimeoutMinutes));
        } else if (next != Status.IN_PROGRESS) {
            stepDeadline = null;
        }
    }

    /** Whether this execution is IN_PROGRESS past its step or in-progress timeout at {@code now}. */
    boolean timedOut(Instant now) {
        return status == Status.IN_PROGRESS && ((stepDeadline != null && !now.isBefore(stepDeadline))
                || (inProgressDeadline != null && !now.isBefore(inProgressDeadline)));
    }

    ExecutionView view() {
        return new ExecutionView(jobId, thing, status, Map.copyOf(statusDetails), versionNumber, executionNumber,
                queuedAt, startedAt, lastUpdatedAt);
    }

    /**
     * A request's {@code statusDetails}: null when absent.
     *
     * @throws IllegalArgumentException beyond AWS's limits (at most 10 non-empty string values of at most 1024
     *     characters, keys of 1-128 of [a-zA-Z0-9:_-])
     */
    static Map<String, String> statusDetails(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.size() > MAX_STATUS_DETAILS) {
            throw new IllegalArgumentException("statusDetails must be an object of at most " + MAX_STATUS_DETAILS
                    + " string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            if (!f.getValue().isTextual() || !f.getKey().matches(STATUS_DETAIL_KEY)
                    || f.getValue().asText().isEmpty() || f.getValue().asText().length() > MAX_STATUS_DETAIL_LENGTH) {
                throw new IllegalArgumentException("Invalid statusDetails entry " + f.getKey());
            }
            out.put(f.getKey(), f.getValue().asText());
        });
        return out;
    }

    /**
     * A request's {@code stepTimeoutInMinutes}: null when absent.
     *
     * @throws IllegalArgumentException outside 1 to 10080
     */
    static Integer stepTimeoutMinutes(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > MAX_STEP_TIMEOUT_MINUTES) {
            throw new IllegalArgumentException("stepTimeoutInMinutes must be 1 to " + MAX_STEP_TIMEOUT_MINUTES);
        }
        return node.asInt();
    }
}
