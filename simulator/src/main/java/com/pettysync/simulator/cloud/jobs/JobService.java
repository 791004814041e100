package com.pettysync.simulator.cloud.jobs;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.Outbound;
import java.time.Clock;
import java.time.Duration;
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
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Clock clock;
    private final PresignedPlaceholders placeholders;
    /** thing → executions in queue order. */
    private final Map<String, List<Execution>> executions = new LinkedHashMap<>();
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
    }

    private static final class Job {
        String jobId;
        JsonNode document;
        boolean presigned;
        JobConfig config;
        List<String> targets;
        int released;
        JobStatus status = JobStatus.IN_PROGRESS;
        boolean forceCanceled;
        String reasonCode;
        String comment;
        long createdAt;
        long lastUpdatedAt;
        Long completedAt;
        RolloutRate rate;
        final List<Execution> executions = new ArrayList<>();
    }

    private static final class Execution {
        String jobId;
        String thing;
        Job job;
        Status status = Status.QUEUED;
        Map<String, String> statusDetails = new LinkedHashMap<>();
        long queuedAt;
        Long startedAt;
        long lastUpdatedAt;
        long versionNumber = 1;
        long executionNumber = 1;
        Instant stepDeadline;
        Instant inProgressDeadline;
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
            if (find(thing, jobId) != null) {
                throw new IllegalArgumentException("job " + jobId + " already exists for " + thing);
            }
        }
        boolean presigned = placeholders.check(documentJson, config.presignedUrlExpiry());
        Job job = new Job();
        job.jobId = jobId;
        job.document = doc;
        job.presigned = presigned;
        job.config = config;
        job.targets = List.copyOf(new java.util.LinkedHashSet<>(things));
        job.createdAt = now();
        job.lastUpdatedAt = job.createdAt;
        job.rate = new RolloutRate(config.rollout(), clock.instant());
        jobsById.put(jobId, job);
        List<Outbound> out = new ArrayList<>();
        release(job, out);
        complete(job);
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
        int budget = job.rate.releasable(clock.instant(), job.released, count(job, Status.SUCCEEDED));
        int n = (int) Math.min(budget, job.targets.size() - job.released);
        long now = now();
        for (int i = 0; i < n; i++) {
            String thing = job.targets.get(job.released++);
            Execution before = nextPending(thing);
            Execution e = new Execution();
            e.jobId = job.jobId;
            e.thing = thing;
            e.job = job;
            e.queuedAt = now;
            e.lastUpdatedAt = now;
            executions.computeIfAbsent(thing, k -> new ArrayList<>()).add(e);
            job.executions.add(e);
            out.addAll(notifications(thing, before));
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
                Execution before = nextPending(e.thing);
                change(e, Status.CANCELED, null);
                out.addAll(notifications(e.thing, before));
            }
        }
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
                if (e.status == Status.IN_PROGRESS && ((e.stepDeadline != null && !now.isBefore(e.stepDeadline))
                        || (e.inProgressDeadline != null && !now.isBefore(e.inProgressDeadline)))) {
                    Execution before = nextPending(e.thing);
                    change(e, Status.TIMED_OUT, null);
                    out.addAll(notifications(e.thing, before));
                }
            }
            checkAbort(job, out);
            release(job, out);
            complete(job);
        }
        return out;
    }

    private void checkAbort(Job job, List<Outbound> out) {
        if (job.status != JobStatus.IN_PROGRESS || job.config.abort().isEmpty()) {
            return;
        }
        int executed = 0;
        for (Execution e : job.executions) {
            if (e.status.terminal()) {
                executed++;
            }
        }
        for (JobConfig.AbortCriterion c : job.config.abort()) {
            int failures = 0;
            for (Execution e : job.executions) {
                if (c.failureType().counts(e.status)) {
                    failures++;
                }
            }
            if (c.met(failures, executed)) {
                cancel(job, false, ABORTED, String.format(java.util.Locale.ROOT,
                        "abort criterion %s >= %.2f%% of >= %d executed met: %d of %d", c.failureType(),
                        c.thresholdPercentage(), c.minNumberOfExecutedThings(), failures, executed), out);
                return;
            }
        }
    }

    private void complete(Job job) {
        if (job.status == JobStatus.COMPLETED || job.released < job.targets.size() && job.status == JobStatus.IN_PROGRESS) {
            return;
        }
        for (Execution e : job.executions) {
            if (!e.status.terminal()) {
                return;
            }
        }
        if (job.status == JobStatus.IN_PROGRESS) {
            job.status = JobStatus.COMPLETED;
        }
        if (job.completedAt == null) {
            job.completedAt = now();
        }
    }

    /** The job {@code jobId}, if it exists. */
    public synchronized Optional<JobView> job(String jobId) {
        Job job = jobsById.get(jobId);
        if (job == null) {
            return Optional.empty();
        }
        Map<Status, Integer> counts = new java.util.EnumMap<>(Status.class);
        for (Status st : Status.values()) {
            counts.put(st, count(job, st));
        }
        long last = job.lastUpdatedAt;
        for (Execution e : job.executions) {
            last = Math.max(last, e.lastUpdatedAt);
        }
        return Optional.of(new JobView(job.jobId, job.status, job.forceCanceled, job.reasonCode, job.comment,
                job.config, counts, job.targets.size(), job.targets.size() - job.released, job.rate.currentRate(),
                job.createdAt, last, job.completedAt));
    }

    private static int count(Job job, Status status) {
        int n = 0;
        for (Execution e : job.executions) {
            if (e.status == status) {
                n++;
            }
        }
        return n;
    }

    /** The execution of {@code jobId} on {@code thing}, if any. */
    public synchronized Optional<ExecutionView> execution(String thing, String jobId) {
        Execution e = find(thing, jobId);
        return e == null ? Optional.empty() : Optional.of(view(e));
    }

    /** Every execution of {@code jobId}, one per targeted thing (empty for an unknown job). */
    public synchronized List<ExecutionView> executions(String jobId) {
        List<ExecutionView> out = new ArrayList<>();
        Job job = jobsById.get(jobId);
        if (job != null) {
            for (Execution e : job.executions) {
                out.add(view(e));
            }
        }
        return out;
    }

    private static ExecutionView view(Execution e) {
        return new ExecutionView(e.jobId, e.thing, e.status, Map.copyOf(e.statusDetails), e.versionNumber,
                e.executionNumber, e.queuedAt, e.startedAt, e.lastUpdatedAt);
    }

    /**
     * Handles a request that {@code thing} published on {@code $aws/things/{thing}/jobs/{rest}}; returns the
     * replies and notifications to publish (none for topics that are not requests).
     */
    public synchronized List<Outbound> handle(String thing, String rest, byte[] payload) {
        String base = "$aws/things/" + thing + "/jobs/";
        JsonNode req;
        try {
            req = payload.length == 0 ? nodes.objectNode() : json.readTree(payload);
        } catch (java.io.IOException e) {
            req = null;
        }
        String token = req != null && req.isObject() && req.path("clientToken").isTextual()
                ? req.get("clientToken").asText() : null;
        String[] parts = rest.split("/");
        if (rest.equals("get")) {
            return req == null || !req.isObject() ? List.of(rejected(base + "get/rejected", "InvalidRequest",
                    "Invalid JSON", token, null)) : List.of(Outbound.json(base + "get/accepted", write(list(thing, token))));
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
            return List.of(rejected(rejectedTopic, "InvalidRequest", "Invalid JSON", token, null));
        }
        Map<String, String> details;
        Integer stepTimeout;
        try {
            details = details(req.get("statusDetails"));
            stepTimeout = stepTimeout(req.get("stepTimeoutInMinutes"));
        } catch (IllegalArgumentException e) {
            return List.of(rejected(rejectedTopic, "InvalidRequest", e.getMessage(), token, null));
        }
        Execution before = nextPending(thing);
        Execution e = before;
        ObjectNode reply = nodes.objectNode();
        reply.put("timestamp", now());
        if (token != null) {
            reply.put("clientToken", token);
        }
        List<Outbound> out = new ArrayList<>();
        if (e != null) {
            if (e.status == Status.QUEUED) {
                if (details != null) {
                    e.statusDetails = new LinkedHashMap<>(details);
                }
                change(e, Status.IN_PROGRESS, stepTimeout);
            }
            reply.set("execution", executionNode(e, true));
        }
        out.add(Outbound.json(base + "start-next/accepted", write(reply)));
        out.addAll(notifications(thing, before));
        return out;
    }

    private List<Outbound> describe(String thing, String base, String jobId, JsonNode req, String token) {
        String prefix = base + jobId + "/get/";
        if (req == null || !req.isObject()) {
            return List.of(rejected(prefix + "rejected", "InvalidRequest", "Invalid JSON", token, null));
        }
        Execution e = jobId.equals("$next") ? nextPending(thing) : find(thing, jobId);
        if (e == null && !jobId.equals("$next")) {
            return List.of(rejected(prefix + "rejected", "ResourceNotFound",
                    "Job Execution " + jobId + " not found for thing " + thing, token, null));
        }
        boolean withDoc = !req.has("includeJobDocument") || req.get("includeJobDocument").asBoolean(true);
        ObjectNode reply = nodes.objectNode();
        if (e != null) {
            reply.set("execution", executionNode(e, withDoc));
        }
        reply.put("timestamp", now());
        if (token != null) {
            reply.put("clientToken", token);
        }
        return List.of(Outbound.json(prefix + "accepted", write(reply)));
    }

    private List<Outbound> update(String thing, String base, String jobId, JsonNode req, String token) {
        String rejectedTopic = base + jobId + "/update/rejected";
        if (req == null || !req.isObject()) {
            return List.of(rejected(rejectedTopic, "InvalidRequest", "Invalid JSON", token, null));
        }
        Execution e = find(thing, jobId);
        if (e == null) {
            return List.of(rejected(rejectedTopic, "ResourceNotFound",
                    "Job Execution " + jobId + " not found for thing " + thing, token, null));
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
            details = details(req.get("statusDetails"));
            stepTimeout = stepTimeout(req.get("stepTimeoutInMinutes"));
            JsonNode exec = req.get("executionNumber");
            if (exec != null && !(exec.isIntegralNumber() && exec.asLong() == e.executionNumber)) {
                throw new IllegalArgumentException("Invalid executionNumber");
            }
        } catch (IllegalArgumentException x) {
            return List.of(rejected(rejectedTopic, "InvalidRequest", x.getMessage(), token, null));
        }
        JsonNode expected = req.get("expectedVersion");
        if (expected != null && !expected.isNull()
                && !(expected.canConvertToLong() && expected.asLong() == e.versionNumber)) {
            return List.of(rejected(rejectedTopic, "VersionMismatch",
                    "Job execution version mismatch: expected " + expected.asText() + ", current "
                            + e.versionNumber, token, stateNode(e)));
        }
        if (e.status.terminal()) {
            return List.of(rejected(rejectedTopic, "InvalidStateTransition",
                    "Job execution " + jobId + " is in terminal state " + e.status, token, stateNode(e)));
        }
        Execution before = nextPending(thing);
        if (details != null) {
            e.statusDetails = new LinkedHashMap<>(details);
        }
        change(e, status, stepTimeout);
        ObjectNode reply = nodes.objectNode();
        if (req.path("includeJobExecutionState").asBoolean(false)) {
            reply.set("executionState", stateNode(e));
        }
        if (req.path("includeJobDocument").asBoolean(false)) {
            reply.set("jobDocument", document(e));
        }
        reply.put("timestamp", now());
        if (token != null) {
            reply.put("clientToken", token);
        }
        List<Outbound> out = new ArrayList<>();
        out.add(Outbound.json(base + jobId + "/update/accepted", write(reply)));
        out.addAll(notifications(thing, before));
        if (status.terminal()) {
            checkAbort(e.job, out);
            complete(e.job);
        }
        return out;
    }

    private void change(Execution e, Status status, Integer stepTimeoutMinutes) {
        long now = now();
        if (status == Status.IN_PROGRESS && e.startedAt == null) {
            e.startedAt = now;
            e.job.config.inProgressTimeout().ifPresent(t -> e.inProgressDeadline = clock.instant().plus(t));
        }
        e.status = status;
        e.versionNumber++;
        e.lastUpdatedAt = now;
        e.job.lastUpdatedAt = now;
        if (status == Status.IN_PROGRESS && stepTimeoutMinutes != null) {
            e.stepDeadline = clock.instant().plus(Duration.ofMinutes(stepTimeoutMinutes));
        } else if (status != Status.IN_PROGRESS) {
            e.stepDeadline = null;
        }
    }

    /** notify-next when the next pending execution is no longer {@code before} (or changed), plus notify. */
    private List<Outbound> notifications(String thing, Execution before) {
        String base = "$aws/things/" + thing + "/jobs/";
        List<Outbound> out = new ArrayList<>();
        Execution next = nextPending(thing);
        if (next != before) {
            ObjectNode msg = nodes.objectNode();
            msg.put("timestamp", now());
            if (next != null) {
                msg.set("execution", executionNode(next, true));
            }
            out.add(Outbound.json(base + "notify-next", write(msg)));
        }
        ObjectNode notify = nodes.objectNode();
        notify.put("timestamp", now());
        ObjectNode jobs = notify.putObject("jobs");
        ObjectNode listing = list(thing, null);
        if (!listing.get("queuedJobs").isEmpty()) {
            jobs.set("QUEUED", listing.get("queuedJobs"));
        }
        if (!listing.get("inProgressJobs").isEmpty()) {
            jobs.set("IN_PROGRESS", listing.get("inProgressJobs"));
        }
        out.add(Outbound.json(base + "notify", write(notify)));
        return out;
    }

    private ObjectNode list(String thing, String token) {
        ObjectNode reply = nodes.objectNode();
        ArrayNode inProgress = reply.putArray("inProgressJobs");
        ArrayNode queued = reply.putArray("queuedJobs");
        for (Execution e : executions.getOrDefault(thing, List.of())) {
            if (e.status == Status.IN_PROGRESS) {
                inProgress.add(summary(e));
            } else if (e.status == Status.QUEUED) {
                queued.add(summary(e));
            }
        }
        reply.put("timestamp", now());
        if (token != null) {
            reply.put("clientToken", token);
        }
        return reply;
    }

    private ObjectNode summary(Execution e) {
        ObjectNode s = nodes.objectNode();
        s.put("jobId", e.jobId);
        s.put("queuedAt", e.queuedAt);
        if (e.startedAt != null) {
            s.put("startedAt", e.startedAt);
        }
        s.put("lastUpdatedAt", e.lastUpdatedAt);
        s.put("versionNumber", e.versionNumber);
        s.put("executionNumber", e.executionNumber);
        return s;
    }

    private ObjectNode executionNode(Execution e, boolean withDocument) {
        ObjectNode x = nodes.objectNode();
        x.put("jobId", e.jobId);
        x.put("thingName", e.thing);
        x.put("status", e.status.name());
        if (!e.statusDetails.isEmpty()) {
            ObjectNode d = x.putObject("statusDetails");
            e.statusDetails.forEach(d::put);
        }
        x.put("queuedAt", e.queuedAt);
        if (e.startedAt != null) {
            x.put("startedAt", e.startedAt);
        }
        x.put("lastUpdatedAt", e.lastUpdatedAt);
        x.put("versionNumber", e.versionNumber);
        x.put("executionNumber", e.executionNumber);
        if (withDocument) {
            x.set("jobDocument", document(e));
        }
        return x;
    }

    /** The execution's document as handed to its device: presigned-URL placeholders replaced by fresh URLs. */
    private JsonNode document(Execution e) {
        Job job = e.job;
        if (!job.presigned) {
            return job.document.deepCopy();
        }
        return placeholders.substitute(job.document, job.config.presignedUrlExpiry().orElseThrow());
    }

    private ObjectNode stateNode(Execution e) {
        ObjectNode s = nodes.objectNode();
        s.put("status", e.status.name());
        ObjectNode d = s.putObject("statusDetails");
        e.statusDetails.forEach(d::put);
        s.put("versionNumber", e.versionNumber);
        return s;
    }

    private Outbound rejected(String topic, String code, String message, String token, ObjectNode state) {
        ObjectNode r = nodes.objectNode();
        r.put("code", code);
        r.put("message", message);
        if (token != null) {
            r.put("clientToken", token);
        }
        r.put("timestamp", now());
        if (state != null) {
            r.set("executionState", state);
        }
        return Outbound.json(topic, write(r));
    }

    private Execution nextPending(String thing) {
        Execution queued = null;
        for (Execution e : executions.getOrDefault(thing, List.of())) {
            if (e.status == Status.IN_PROGRESS) {
                return e;
            }
            if (e.status == Status.QUEUED && queued == null) {
                queued = e;
            }
        }
        return queued;
    }

    private Execution find(String thing, String jobId) {
        for (Execution e : executions.getOrDefault(thing, List.of())) {
            if (e.jobId.equals(jobId)) {
                return e;
            }
        }
        return null;
    }

    private static Map<String, String> details(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.size() > 10) {
            throw new IllegalArgumentException("statusDetails must be an object of at most 10 string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            if (!f.getValue().isTextual() || !f.getKey().matches("[a-zA-Z0-9:_-]{1,128}")
                    || f.getValue().asText().isEmpty() || f.getValue().asText().length() > 1024) {
                throw new IllegalArgumentException("Invalid statusDetails entry " + f.getKey());
            }
            out.put(f.getKey(), f.getValue().asText());
        });
        return out;
    }

    private static Integer stepTimeout(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > 10080) {
            throw new IllegalArgumentException("stepTimeoutInMinutes must be 1 to 10080");
        }
        return node.asInt();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }
}
