package com.pettysync.simulator.cloud.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.jobs.JobConfig;
import com.pettysync.simulator.cloud.jobs.JobConfig.AbortCriterion;
import com.pettysync.simulator.cloud.jobs.JobConfig.FailureType;
import com.pettysync.simulator.cloud.jobs.JobConfig.IncreaseCriterion;
import com.pettysync.simulator.cloud.jobs.JobConfig.Rollout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's {@link JobConfig} in AWS IoT's REST JSON, both ways: CreateJob's {@code jobExecutionsRolloutConfig},
 * {@code abortConfig}, {@code timeoutConfig}, {@code presignedUrlConfig} members read (InvalidRequestException naming
 * the member for a wrong type or range), and the same members written into DescribeJob's answer.
 */
final class JobConfigJson {
    private JobConfigJson() {}

    static JobConfig read(JsonNode body) {
        try {
            return new JobConfig(rollout(body.get("jobExecutionsRolloutConfig")), abort(body.get("abortConfig")),
                    timeout(body.get("timeoutConfig")), presigned(body.get("presignedUrlConfig")));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
    }

    static void write(JobConfig c, ObjectNode job) {
        c.rollout().ifPresent(r -> {
            ObjectNode o = job.putObject("jobExecutionsRolloutConfig").put("maximumPerMinute", r.maximumPerMinute());
            if (r.baseRatePerMinute() != 0) {
                ObjectNode e = o.putObject("exponentialRate").put("baseRatePerMinute", r.baseRatePerMinute())
                        .put("incrementFactor", r.incrementFactor());
                e.putObject("rateIncreaseCriteria").put(r.criterion() == IncreaseCriterion.NOTIFIED
                        ? "numberOfNotifiedThings" : "numberOfSucceededThings", r.criterionCount());
            }
        });
        if (!c.abort().isEmpty()) {
            var list = job.putObject("abortConfig").putArray("criteriaList");
            for (AbortCriterion a : c.abort()) {
                list.addObject().put("failureType", a.failureType().name()).put("action", "CANCEL")
                        .put("thresholdPercentage", a.thresholdPercentage())
                        .put("minNumberOfExecutedThings", a.minNumberOfExecutedThings());
            }
        }
        c.inProgressTimeout().ifPresent(t -> job.putObject("timeoutConfig").put("inProgressTimeoutInMinutes",
                t.toMinutes()));
        c.presignedUrlExpiry().ifPresent(t -> job.putObject("presignedUrlConfig").put("expiresInSec",
                t.toSeconds()));
    }

    private static Optional<Rollout> rollout(JsonNode n) {
        if (absent(n)) {
            return Optional.empty();
        }
        object(n, "jobExecutionsRolloutConfig");
        int max = n.has("maximumPerMinute") ? integer(n.get("maximumPerMinute"),
                "jobExecutionsRolloutConfig.maximumPerMinute") : 1000;
        JsonNode e = n.get("exponentialRate");
        if (absent(e)) {
            return Optional.of(Rollout.constant(max));
        }
        object(e, "exponentialRate");
        int base = integer(e.get("baseRatePerMinute"), "exponentialRate.baseRatePerMinute");
        JsonNode f = e.get("incrementFactor");
        if (f == null || !f.isNumber()) {
            throw ApiError.invalidRequest("exponentialRate.incrementFactor must be a number");
        }
        JsonNode crit = e.get("rateIncreaseCriteria");
        if (absent(crit)) {
            throw ApiError.invalidRequest("exponentialRate.rateIncreaseCriteria is required");
        }
        object(crit, "rateIncreaseCriteria");
        boolean notified = crit.has("numberOfNotifiedThings");
        boolean succeeded = crit.has("numberOfSucceededThings");
        if (notified == succeeded) {
            throw ApiError.invalidRequest("rateIncreaseCriteria must have exactly one of numberOfNotifiedThings and "
                    + "numberOfSucceededThings");
        }
        int count = notified ? integer(crit.get("numberOfNotifiedThings"), "numberOfNotifiedThings")
                : integer(crit.get("numberOfSucceededThings"), "numberOfSucceededThings");
        return Optional.of(new Rollout(max, base, f.doubleValue(),
                notified ? IncreaseCriterion.NOTIFIED : IncreaseCriterion.SUCCEEDED, count));
    }

    private static List<AbortCriterion> abort(JsonNode n) {
        List<AbortCriterion> out = new ArrayList<>();
        if (absent(n)) {
            return out;
        }
        object(n, "abortConfig");
        JsonNode list = n.get("criteriaList");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiError.invalidRequest("abortConfig.criteriaList must be a non-empty list");
        }
        for (JsonNode c : list) {
            object(c, "abortConfig.criteriaList[]");
            String type = ApiRequest.text(c, "failureType", "failureType");
            String action = ApiRequest.text(c, "action", "action");
            if (!"CANCEL".equals(action)) {
                throw ApiError.invalidRequest("abortConfig action must be CANCEL, got " + action);
            }
            FailureType failureType;
            try {
                failureType = FailureType.valueOf(ApiRequest.required("failureType", type));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest("failureType must be FAILED, REJECTED, TIMED_OUT or ALL, got " + type);
            }
            JsonNode pct = c.get("thresholdPercentage");
            if (pct == null || !pct.isNumber()) {
                throw ApiError.invalidRequest("thresholdPercentage must be a number");
            }
            out.add(new AbortCriterion(failureType, pct.doubleValue(),
                    integer(c.get("minNumberOfExecutedThings"), "minNumberOfExecutedThings")));
        }
        return out;
    }

    private static Optional<Duration> timeout(JsonNode n) {
        if (absent(n) || absent(n.get("inProgressTimeoutInMinutes"))) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMinutes(integer(n.get("inProgressTimeoutInMinutes"),
                "timeoutConfig.inProgressTimeoutInMinutes")));
    }

    private static Optional<Duration> presigned(JsonNode n) {
        if (absent(n)) {
            return Optional.empty();
        }
        object(n, "presignedUrlConfig");
        return Optional.of(Duration.ofSeconds(absent(n.get("expiresInSec")) ? 3600
                : integer(n.get("expiresInSec"), "presignedUrlConfig.expiresInSec")));
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull();
    }

    private static void object(JsonNode n, String path) {
        if (!n.isObject()) {
            throw ApiError.invalidRequest(path + " must be an object");
        }
    }

    private static int integer(JsonNode n, String path) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiError.invalidRequest(path + " must be an integer");
        }
        return n.intValue();
    }
}
