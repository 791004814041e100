package com.pettysync.simulator.cloud.jobs;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.Outbound;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The AWS IoT Jobs service of the local cloud, device side over MQTT
 * (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-mqtt-api.html,
 * https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html,
 * https://docs.aws.amazon.com/iot/latest/developerguide/iot-jobs-lifecycle.html).
 *
 * <pre>
 * device → jobs/get                 → jobs/get/accepted        {inProgressJobs, queuedJobs, timestamp, clientToken}
 * device → jobs/start-next          → jobs/start-next/accepted {execution?, timestamp, clientToken}
 * device → jobs/{id|$next}/get      → jobs/{id}/get/accepted   {execution?, timestamp, clientToken}
 * device → jobs/{id}/update         → jobs/{id}/update/accepted {executionState?, jobDocument?, timestamp, clientToken}
 *                                     …/rejected {code, message, timestamp, clientToken, executionState?}
 * service → jobs/notify-next  {timestamp, execution?}  whenever the next pending execution changes
 * service → jobs/notify       {timestamp, jobs:{QUEUED:[…], IN_PROGRESS:[…]}}
 * </pre>
 *
 * Rules as AWS: executions are taken oldest queued first; a device may set IN_PROGRESS, SUCCEEDED, FAILED or
 * REJECTED; terminal executions (SUCCEEDED, FAILED, REJECTED, TIMED_OUT, CANCELED, REMOVED) refuse updates with
 * {@code InvalidStateTransition}; {@code expectedVersion} must equal the current {@code versionNumber}
 * ({@code VersionMismatch} otherwise); each accepted change increments {@code versionNumber}; an in-progress
 * execution whose step timeout passes becomes TIMED_OUT at the next {@link #advance()}.
 * Timestamps are epoch seconds of the injected clock.
 *
 * <p>Jobs as AWS IoT runs them (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html),
 * by each job's {@link JobConfig}: executions are released to their things at the rollout rate
 * ({@link RolloutRate}), things not yet released have no execution; an execution IN_PROGRESS longer than the
 * in-progress timeout becomes TIMED_OUT; when an abort criterion is met the job is canceled (its QUEUED executions
 * CANCELED, its unreleased things never notified, its IN_PROGRESS ones left to finish); a canceled job
 * ({@link #cancelJob}) does the same, and with {@code force} cancels IN_PROGRESS executions too. Time-driven changes
 * (releases, timeouts) happen in {@link #advance()}, which the owner calls on its clock (every second in the local
 * cloud, at each simulated step in the fleet simulator); abort criteria are also checked on every terminal update.
 * The {@code ${aws:iot:s3-presigned-url:URL}} placeholder is replaced, in every document handed to a device, by a
 * fresh presigned URL from {@link ArtifactUrls}.
 *
 * <p>Thread-safe (one lock), no I/O; no request payload throws — malformed ones get {@code InvalidRequest}.
 */
public final class JobService {
    /** Execution statuses (AWS JobExecutionStatus). */
    public enum Status {
        QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED;

        boolean terminal() {
            return this != QUEUED && this != IN_PROGRESS;
        }

        boolean settableByDevice() {
            return this == IN_PROGRESS || this == SUCCEEDED || this == FAILED || this == REJECTED;
        }
    }

    /**
     * A read-only view of one execution; times are epoch seconds of the clock ({@code startedAt} null until it
     * started).
     */
    public record ExecutionView(String jobId, String thing, Status status, Map<String, String> statusDetails,
            long versionNumber, long executionNumber, long queuedAt, Long startedAt, long lastUpdatedAt) {}

    /** Job statuses (AWS JobStatus; SCHEDULED and DELETION_IN_PROGRESS are not used locally). */
    public enum JobStatus { IN_PROGRESS, CANCELED, COMPLETED }

    /**
     * A read-only view of one job: its status, why it was canceled (reason code and comment: {@code ABORTED} and the
     * criterion that was met, or the operator's), execution counts by status, things not yet released, the rollout
     * rate of the current minute, times in epoch seconds.
     */
    public record JobView(String jobId, JobStatus status, boolean forceCanceled, String reasonCode, String comment,
            JobConfig config, Map<Status, Integer> counts, int targets, int notReleased, int currentRatePerMinute,
            long createdAt, long lastUpdatedAt, Long completedAt) {}

    /** The reason code of a job canceled by its abort criteria. */
    public static final String ABORTED = "ABORTED";

    private static final Pattern JOB_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final PresignedPlaceholders placeholders;
    private final ThingQueues queues = new ThingQueues();
    private final JobsTopicReplies replies;
    /** job id → job, in creation order. */
    private final Map<String, Job> jobsById = new LinkedHashMap<>();

    /** A job service whose documents may not carry presigned-URL placeholders. */
    public JobService(Clock clock) {
        this(clock, ArtifactUrls.NONE);
    }

    /** A job service that presigns artifact URLs with {@code artifactUrls}. */
    public JobService(Clock clock, ArtifactUrls artifactUrls) {
        this.clock = clock;
        this.placeholders = new PresignedPlaceholders(artifactUrls);
        this.replies = new JobsTopicReplies(clock, placeholders, queues);
    }

    /**
     * Creates job {@code jobId} with {@code documentJson} for {@code things}, configured by {@code config}; releases
     * the executions its rollout allows now (all without a rollout) and returns the notifications to publish.
     *
     * @throws IllegalArgumentException for a bad job id, a document that is not a JSON object, a job id already
     *     used, a presigned-URL placeholder without {@code presignedUrlExpiry} or naming an object that cannot be
     *     presigned
     */
    public synchronized List<Outbound> createJob(String jobId, List<String> things, String documentJson,
            JobConfig config) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("job id must be 1-64 of [a-zA-Z0-9_-], got \"" + jobId + "\"");
        }
        JsonNode doc;
        try {
            doc = json.readTree(documentJson);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("job document is not JSON: " + e.getOriginalMessage(), e);
        }
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("job document must be a JSON object");
        }
        if (jobsById.containsKey(jobId)) {
            throw new IllegalArgumentException("job " + jobId + " already exists");
        }
        for (String thing : things) {
            if (queues.find(thing, jobId) != null) {
                throw new IllegalArgumentException("job " + jobId + " already exists for " + thing);
            }
        }
        boolean presigned = placeholders.check(documentJson, config.presignedUrlExpiry());
        Job job = new Job(jobId, doc, presigned, config, things, clock.instant());
        jobsById.put(jobId, job);
        List<Outbound> out = new ArrayList<>();
        release(job, out);
        job.completeIfDone(now());
        return out;
    }

    /** {@link #createJob(String, List, String, JobConfig)} with {@link JobConfig#DEFAULT}. */
    public List<Outbound> createJob(String jobId, List<String> things, String documentJson) {
        return createJob(jobId, things, documentJson, JobConfig.DEFAULT);
    }

    private void release(Job job, List<Outbound> out) {
        if (job.status != JobStatus.IN_PROGRESS || job.released >= job.targets.size()) {
            return;
        }
        int budget = job.rate.releasable(clock.instant(), job.released, job.count(Status.SUCCEEDED));
        int n = (int) Math.min(budget, job.targets.size() - job.released);
        long now = now();
        for (int i = 0; i < n; i++) {
            String thing = job.targets.get(job.released++);
            Execution before = queues.nextPending(thing);
            Execution e = new Execution(job, thing, now);
            queues.add(e);
            job.executions.add(e);
            out.addAll(replies.notifications(thing, before));
        }
        job.rate.released(n);
        if (n > 0) {
            job.lastUpdatedAt = now;
        }
    }

    /**
     * Cancels job {@code jobId} (CancelJob): its QUEUED executions become CANCELED, things not yet released are never
     * notified, and with {@code force} its IN_PROGRESS executions are CANCELED too (else they may finish). Returns the
     * notifications.
     *
     * @throws java.util.NoSuchElementException for an unknown job
     * @throws IllegalStateException for a job already COMPLETED, or CANCELED when {@code force} is not newly asked
     */
    public synchronized List<Outbound> cancelJob(String jobId, boolean force, String reasonCode, String comment) {
        Job job = jobsById.get(jobId);
        if (job == null) {
            throw new java.util.NoSuchElementException("job " + jobId + " does not exist");
        }
        if (job.status == JobStatus.COMPLETED) {
            throw new IllegalStateException("job " + jobId + " is already COMPLETED");
        }
        if (job.status == JobStatus.CANCELED && (!force || job.forceCanceled)) {
            throw new IllegalStateException("job " + jobId + " is already CANCELED");
        }
        List<Outbound> out = new ArrayList<>();
        cancel(job, force, reasonCode, comment, out);
        return out;
    }

    private void cancel(Job job, boolean force, String reasonCode, String comment, List<Outbound> out) {
        job.status = JobStatus.CANCELED;
        job.forceCanceled |= force;
        job.reasonCode = reasonCode;
        job.comment = comment;
        job.lastUpdatedAt = now();
        for (Execution e : job.executions) {
            if (e.status == Status.QUEUED || (force && e.status == Status.IN_PROGRESS)) {
                changeAndNotify(e, Status.CANCELED, null, out);
            }
        }
    }

    /** Changes {@code e} and adds the notifications of its thing. */
    private void changeAndNotify(Execution e, Status status, Integer stepTimeoutMinutes, List<Outbound> out) {
        Execution before = queues.nextPending(e.thing);
        e.change(status, stepTimeoutMinutes, clock);
        out.addAll(replies.notifications(e.thing, before));
    }

    /**
     * Runs what the clock makes due: in-progress and step timeouts (TIMED_OUT), abort criteria, rollout releases,
     * job completion. Returns the notifications to publish.
     */
    public synchronized List<Outbound> advance() {
        Instant now = clock.instant();
        List<Outbound> out = new ArrayList<>();
        for (Job job : jobsById.values()) {
            for (Execution e : job.executions) {
                if (e.timedOut(now)) {
                    changeAndNotify(e, Status.TIMED_OUT, null, out);
                }
            }
            checkAbort(job, out);
            release(job, out);
            job.completeIfDone(now());
        }
        return out;
    }

    private void checkAbort(Job job, List<Outbound> out) {
        job.abortCriterionMet().ifPresent(comment -> cancel(job, false, ABORTED, comment, out));
    }

    /** The job {@code jobId}, if it exists. */
    public synchronized Optional<JobView> job(String jobId) {
        return Optional.ofNullable(jobsById.get(jobId)).map(Job::view);
    }

    /** The execution of {@code jobId} on {@code thing}, if any. */
    public synchronized Optional<ExecutionView> execution(String thing, String jobId) {
        return Optional.ofNullable(queues.find(thing, jobId)).map(Execution::view);
    }

    /** Every execution of {@code jobId}, one per targeted thing (empty for an unknown job). */
    public synchronized List<ExecutionView> executions(String jobId) {
        List<ExecutionView> out = new ArrayList<>();
        Job job = jobsById.get(jobId);
        if (job != null) {
            for (Execution e : job.executions) {
                out.add(e.view());
            }
        }
        return out;
    }

    /**
     * Handles a request that {@code thing} published on {@code $aws/things/{thing}/jobs/{rest}}; returns the
     * replies and notifications to publish (none for topics that are not requests).
     */
    public synchronized List<Outbound> handle(String thing, String rest, byte[] payload) {
        String base = JobsTopicReplies.base(thing);
        JsonNode req;
        try {
            req = payload.length == 0 ? replies.object() : json.readTree(payload);
        } catch (java.io.IOException e) {
            req = null;
        }
        String token = req != null && req.isObject() && req.path("clientToken").isTextual()
                ? req.get("clientToken").asText() : null;
        String[] parts = rest.split("/");
        if (rest.equals("get")) {
            return req == null || !req.isObject() ? List.of(replies.invalidJson(base + "get/rejected", token))
                    : List.of(replies.accepted(base + "get/accepted", replies.listing(thing), token));
        }
        if (rest.equals("start-next")) {
            return startNext(thing, base, req, token);
        }
        if (parts.length == 2 && parts[1].equals("get")) {
            return describe(thing, base, parts[0], req, token);
        }
        if (parts.length == 2 && parts[1].equals("update")) {
            return update(thing, base, parts[0], req, token);
        }
        return List.of();
    }

    private List<Outbound> startNext(String thing, String base, JsonNode req, String token) {
        String rejectedTopic = base + "start-next/rejected";
        if (req == null || !req.isObject()) {
            return List.of(replies.invalidJson(rejectedTopic, token));
        }
        Map<String, String> details;
        Integer stepTimeout;
        try {
            details = Execution.statusDetails(req.get("statusDetails"));
            stepTimeout = Execution.stepTimeoutMinutes(req.get("stepTimeoutInMinutes"));
        } catch (IllegalArgumentException e) {
            return List.of(replies.rejected(rejectedTopic, "InvalidRequest", e.getMessage(), token, null));
        }
        Execution before = queues.nextPending(thing);
        Execution e = before;
        ObjectNode reply = replies.stamped(replies.object(), token);
        List<Outbound> out = new ArrayList<>();
        if (e != null) {
            if (e.status == Status.QUEUED) {
                if (details != null) {
                    e.statusDetails = new LinkedHashMap<>(details);
                }
                e.change(Status.IN_PROGRESS, stepTimeout, clock);
            }
            reply.set("execution", replies.executionNode(e, true));
        }
        out.add(replies.message(base + "start-next/accepted", reply));
        out.addAll(replies.notifications(thing, before));
        return out;
    }

    private List<Outbound> describe(String thing, String base, String jobId, JsonNode req, String token) {
        String prefix = base + jobId + "/get/";
        if (req == null || !req.isObject()) {
            return List.of(replies.invalidJson(prefix + "rejected", token));
        }
        Execution e = jobId.equals("$next") ? queues.nextPending(thing) : queues.find(thing, jobId);
        if (e == null && !jobId.equals("$next")) {
            return List.of(replies.notFound(prefix + "rejected", thing, jobId, token));
        }
        boolean withDoc = !req.has("includeJobDocument") || req.get("includeJobDocument").asBoolean(true);
        ObjectNode reply = replies.object();
        if (e != null) {
            reply.set("execution", replies.executionNode(e, withDoc));
        }
        return List.of(replies.accepted(prefix + "accepted", reply, token));
    }

    private List<Outbound> update(String thing, String base, String jobId, JsonNode req, String token) {
        String rejectedTopic = base + jobId + "/update/rejected";
        if (req == null || !req.isObject()) {
            return List.of(replies.invalidJson(rejectedTopic, token));
        }
        Execution e = queues.find(thing, jobId);
        if (e == null) {
            return List.of(replies.notFound(rejectedTopic, thing, jobId, token));
        }
        Status status;
        Map<String, String> details;
        Integer stepTimeout;
        try {
            JsonNode s = req.get("status");
            if (s == null || !s.isTextual()) {
                throw new IllegalArgumentException("Missing required field: status");
            }
            try {
                status = Status.valueOf(s.asText());
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("Invalid status: " + s.asText());
            }
            if (!status.settableByDevice()) {
                throw new IllegalArgumentException("A device cannot set status " + status);
            }
            details = Execution.statusDetails(req.get("statusDetails"));
            stepTimeout = Execution.stepTimeoutMinutes(req.get("stepTimeoutInMinutes"));
            JsonNode exec = req.get("executionNumber");
            if (exec != null && !(exec.isIntegralNumber() && exec.asLong() == e.executionNumber)) {
                throw new IllegalArgumentException("Invalid executionNumber");
            }
        } catch (IllegalArgumentException x) {
            return List.of(replies.rejected(rejectedTopic, "InvalidRequest", x.getMessage(), token, null));
        }
        JsonNode expected = req.get("expectedVersion");
        if (expected != null && !expected.isNull()
                && !(expected.canConvertToLong() && expected.asLong() == e.versionNumber)) {
            return List.of(replies.rejected(rejectedTopic, "VersionMismatch",
                    "Job execution version mismatch: expected " + expected.asText() + ", current "
                            + e.versionNumber, token, e));
        }
        if (e.status.terminal()) {
            return List.of(replies.rejected(rejectedTopic, "InvalidStateTransition",
                    "Job execution " + jobId + " is in terminal state " + e.status, token, e));
        }
        Execution before = queues.nextPending(thing);
        if (details != null) {
            e.statusDetails = new LinkedHashMap<>(details);
        }
        e.change(status, stepTimeout, clock);
        ObjectNode reply = replies.object();
        if (req.path("includeJobExecutionState").asBoolean(false)) {
            reply.set("executionState", replies.stateNode(e));
        }
        if (req.path("includeJobDocument").asBoolean(false)) {
            reply.set("jobDocument", replies.document(e));
        }
        List<Outbound> out = new ArrayList<>();
        out.add(replies.accepted(base + jobId + "/update/accepted", reply, token));
        out.addAll(replies.notifications(thing, before));
        if (status.terminal()) {
            checkAbort(e.job, out);
            e.job.completeIfDone(now());
        }
        return out;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
