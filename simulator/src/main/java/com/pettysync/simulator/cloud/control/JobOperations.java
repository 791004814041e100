package com.pettysync.simulator.cloud.control;

import static com.pettysync.simulator.cloud.control.ApiRequest.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.jobs.JobConfig;
import com.pettysync.simulator.cloud.jobs.JobService;
import com.pettysync.simulator.cloud.jobs.JobService.ExecutionView;
import com.pettysync.simulator.cloud.jobs.JobService.JobView;
import com.pettysync.simulator.cloud.registry.Registry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Jobs over AWS IoT's REST bindings, on the local {@link JobService} (which serves the devices over MQTT): CreateJob
 * (targets are thing or thing-group ARNs; a group is expanded to its things and its descendants' things at
 * creation, i.e. SNAPSHOT selection; {@code jobExecutionsRolloutConfig}, {@code abortConfig}, {@code timeoutConfig}
 * and {@code presignedUrlConfig} as {@link JobConfigJson} reads them), DescribeJob (the job service's status —
 * IN_PROGRESS, CANCELED with reason code and comment, COMPLETED —, its configuration, counts per execution
 * status), ListJobExecutionsForJob (released executions only), CancelJob (with {@code force}). Job definitions are kept in memory, like the
 * job service's executions: neither survives a restart of the process.
 */
final class JobOperations {
    private record JobDefinition(String jobId, String description, List<String> targets, String targetSelection,
            Instant createdAt) {}

    private static final Pattern JOB_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final int MAX_DOCUMENT_BYTES = 32 * 1024;

    private final Registry registry;
    private final JobService jobs;
    private final ControlPlaneServer.JobDispatch dispatch;
    private final Clock clock;
    private final Map<String, JobDefinition> definitions = new ConcurrentHashMap<>();

    JobOperations(Registry registry, JobService jobs, ControlPlaneServer.JobDispatch dispatch, Clock clock) {
        this.registry = registry;
        this.jobs = jobs;
        this.dispatch = dispatch;
        this.clock = clock;
    }

    void register(Router r) {
        r.add("CreateJob", "PUT", "/jobs/{jobId}", this::createJob);
        r.add("DescribeJob", "GET", "/jobs/{jobId}", this::describeJob);
        r.add("ListJobExecutionsForJob", "GET", "/jobs/{jobId}/things", this::listExecutions);
        r.add("CancelJob", "PUT", "/jobs/{jobId}/cancel", this::cancelJob);
    }

    private synchronized JsonNode createJob(ApiRequest q) {
        String jobId = q.path("jobId");
        if (!JOB_ID.matcher(jobId).matches()) {
            throw ApiError.invalidRequest("jobId must be 1-64 characters of [a-zA-Z0-9_-], got \"" + jobId + "\"");
        }
        if (definitions.containsKey(jobId)) {
            throw ApiError.alreadyExists("job " + jobId + " already exists", jobId, registry.arns().job(jobId));
        }
        if (q.text("documentSource") != null) {
            throw ApiError.invalidRequest("documentSource: job documents from S3 are not served locally; pass "
                    + "document");
        }
        String document = required("document", q.text("document"));
        if (document.getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
            throw ApiError.invalidRequest("document is over AWS's 32 KB limit");
        }
        String selection = q.text("targetSelection") == null ? "SNAPSHOT" : q.text("targetSelection");
        if (!selection.equals("SNAPSHOT") && !selection.equals("CONTINUOUS")) {
            throw ApiError.invalidRequest("targetSelection must be SNAPSHOT or CONTINUOUS");
        }
        List<String> targets = ApiRequest.strings(q.body(), "targets", "targets");
        if (targets.isEmpty()) {
            throw ApiError.invalidRequest("targets must name at least one thing or thing group ARN");
        }
        Set<String> things = new LinkedHashSet<>();
        for (String target : targets) {
            String thing = registry.arns().nameIn(target, "thing");
            String group = registry.arns().nameIn(target, "thinggroup");
            if (thing != null) {
                if (registry.things().find(thing).isEmpty()) {
                    throw ApiError.notFound("thing " + thing + " does not exist");
                }
                things.add(thing);
            } else if (group != null) {
                things.addAll(registry.thingGroups().thingsIn(group));
            } else {
                throw ApiError.invalidRequest("targets: " + target + " is not a thing or thing group ARN of this "
                        + "account");
            }
        }
        JobConfig config = JobConfigJson.read(q.body());
        try {
            dispatch.createJob(jobId, List.copyOf(things), document, config);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
        String description = q.text("description");
        definitions.put(jobId, new JobDefinition(jobId, description, List.copyOf(targets), selection,
                clock.instant()));
        ObjectNode o = ApiJson.object().put("jobArn", registry.arns().job(jobId)).put("jobId", jobId);
        if (description != null) {
            o.put("description", description);
        }
        return o;
    }

    private JsonNode describeJob(ApiRequest q) {
        JobDefinition d = definition(q.path("jobId"));
        List<ExecutionView> executions = jobs.executions(d.jobId());
        JobView view = jobs.job(d.jobId()).orElseThrow(() -> ApiError.notFound("job " + d.jobId()
                + " does not exist"));
        ObjectNode o = ApiJson.object();
        ObjectNode job = o.putObject("job").put("jobArn", registry.arns().job(d.jobId())).put("jobId", d.jobId())
                .put("targetSelection", d.targetSelection());
        job.put("status", view.status().name());
        if (view.status() == JobService.JobStatus.CANCELED) {
            job.put("forceCanceled", view.forceCanceled());
        }
        if (view.reasonCode() != null) {
            job.put("reasonCode", view.reasonCode());
        }
        if (view.comment() != null) {
            job.put("comment", view.comment());
        }
        ArrayNode targets = job.putArray("targets");
        d.targets().forEach(targets::add);
        if (d.description() != null) {
            job.put("description", d.description());
        }
        job.put("createdAt", ApiJson.time(d.createdAt()));
        job.put("lastUpdatedAt", BigDecimal.valueOf(Math.max(view.lastUpdatedAt(), d.createdAt().getEpochSecond())));
        if (view.completedAt() != null) {
            job.put("completedAt", BigDecimal.valueOf(view.completedAt()));
        }
        JobConfigJson.write(view.config(), job);
        ObjectNode counts = job.putObject("jobProcessDetails");
        ArrayNode processing = counts.putArray("processingTargets");
        if (view.status() == JobService.JobStatus.IN_PROGRESS) {
            d.targets().forEach(processing::add);
        }
        counts.put("numberOfCanceledThings", count(executions, JobService.Status.CANCELED))
                .put("numberOfSucceededThings", count(executions, JobService.Status.SUCCEEDED))
                .put("numberOfFailedThings", count(executions, JobService.Status.FAILED))
                .put("numberOfRejectedThings", count(executions, JobService.Status.REJECTED))
                .put("numberOfQueuedThings", count(executions, JobService.Status.QUEUED))
                .put("numberOfInProgressThings", count(executions, JobService.Status.IN_PROGRESS))
                .put("numberOfRemovedThings", count(executions, JobService.Status.REMOVED))
                .put("numberOfTimedOutThings", count(executions, JobService.Status.TIMED_OUT));
        job.put("isConcurrent", false);
        return o;
    }

    private JsonNode cancelJob(ApiRequest q) {
        JobDefinition d = definition(q.path("jobId"));
        String reasonCode = q.text("reasonCode");
        String comment = q.text("comment");
        if (reasonCode != null && !reasonCode.matches("[\\p{Upper}\\p{Digit}_]{1,128}")) {
            throw ApiError.invalidRequest("reasonCode must be 1-128 of [A-Z0-9_], got \"" + reasonCode + "\"");
        }
        if (comment != null && comment.length() > 2028) {
            throw ApiError.invalidRequest("comment is over 2028 characters");
        }
        try {
            dispatch.cancelJob(d.jobId(), q.queryBool("force"), reasonCode, comment);
        } catch (IllegalStateException e) {
            throw new ApiError(409, "InvalidStateTransitionException", e.getMessage());
        }
        ObjectNode o = ApiJson.object().put("jobArn", registry.arns().job(d.jobId())).put("jobId", d.jobId());
        if (d.description() != null) {
            o.put("description", d.description());
        }
        return o;
    }

    private JsonNode listExecutions(ApiRequest q) {
        JobDefinition d = definition(q.path("jobId"));
        String status = q.query("status");
        if (status != null) {
            try {
                JobService.Status.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest("status must be a job execution status (QUEUED, IN_PROGRESS, "
                        + "SUCCEEDED, …), got \"" + status + "\"");
            }
        }
        Integer maxResults = q.queryInt("maxResults");
        int max = maxResults == null ? 100 : maxResults;
        if (max < 1 || max > 250) {
            throw ApiError.invalidRequest("maxResults must be 1-250, got " + max);
        }
        int from = offset(q.query("nextToken"));
        List<ExecutionView> all = new ArrayList<>();
        for (ExecutionView e : jobs.executions(d.jobId())) {
            if (status == null || e.status().name().equals(status)) {
                all.add(e);
            }
        }
        ObjectNode o = ApiJson.object();
        ArrayNode a = o.putArray("executionSummaries");
        for (ExecutionView e : all.subList(Math.min(from, all.size()), Math.min(from + max, all.size()))) {
            ObjectNode s = a.addObject().put("thingArn", registry.arns().thing(e.thing()))
                    .putObject("jobExecutionSummary").put("status", e.status().name())
                    .put("queuedAt", BigDecimal.valueOf(e.queuedAt()))
                    .put("lastUpdatedAt", BigDecimal.valueOf(e.lastUpdatedAt()))
                    .put("executionNumber", e.executionNumber()).put("retryAttempt", 0);
            if (e.startedAt() != null) {
                s.put("startedAt", BigDecimal.valueOf(e.startedAt()));
            }
        }
        if (from + max < all.size()) {
            o.put("nextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    Integer.toString(from + max).getBytes(StandardCharsets.US_ASCII)));
        }
        return o;
    }

    private static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest("nextToken is not a token this service returned");
        }
    }

    private JobDefinition definition(String jobId) {
        JobDefinition d = definitions.get(jobId);
        if (d == null) {
            throw ApiError.notFound("job " + jobId + " does not exist");
        }
        return d;
    }

    private static int count(List<ExecutionView> executions, JobService.Status status) {
        return (int) executions.stream().filter(e -> e.status() == status).count();
    }
}
