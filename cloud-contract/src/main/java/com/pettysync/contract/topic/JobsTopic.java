package com.pettysync.contract.topic;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code $aws/things/{thing}/jobs/…}: a topic of AWS IoT Jobs for one collar (wire contract §2, §7).
 *
 * <p>Job ids: 1–64 characters of {@code [a-zA-Z0-9_-]}
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html, "jobId … Pattern:
 * [a-zA-Z0-9_-]+"); {@code $next} stands for the next pending execution and is allowed with {@code get} only
 * (DescribeJobExecution).
 *
 * @param thing the collar
 * @param operation which topic
 * @param jobId the job id for a {@link JobsOperation#perJob() per-job} operation, else {@code null}
 */
public record JobsTopic(ThingName thing, JobsOperation operation, String jobId) implements CollarTopic {
    /** The job id that means "the next pending job execution" (get only). */
    public static final String NEXT = "$next";

    private static final Pattern JOB_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** @throws TopicException if the job id is missing, invalid, or given for an operation without one */
    public JobsTopic {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(operation, "operation");
        if (operation.perJob()) {
            boolean next = NEXT.equals(jobId) && (operation == JobsOperation.JOB_GET
                    || operation == JobsOperation.JOB_GET_ACCEPTED || operation == JobsOperation.JOB_GET_REJECTED);
            if (jobId == null || !(next || JOB_ID.matcher(jobId).matches())) {
                throw new TopicException("job id " + ThingName.quote(jobId)
                        + ": must be 1–64 characters of [a-zA-Z0-9_-] ($next with get only)");
            }
        } else if (jobId != null) {
            throw new TopicException("jobs topic " + operation.suffix() + " has no job id, got "
                    + ThingName.quote(jobId));
        }
    }

    /** A topic without a job id ({@code notify-next}, {@code start-next}, …). */
    public static JobsTopic of(ThingName thing, JobsOperation operation) {
        return new JobsTopic(thing, operation, null);
    }

    /** A per-job topic ({@code {jobId}/update}, …). */
    public static JobsTopic of(ThingName thing, JobsOperation operation, String jobId) {
        return new JobsTopic(thing, operation, jobId);
    }

    /** The job id, for per-job operations. */
    public Optional<String> job() {
        return Optional.ofNullable(jobId);
    }

    @Override
    public String name() {
        return TopicScheme.jobsPrefix(thing) + (jobId == null ? "" : jobId + "/") + operation.suffix();
    }
}
