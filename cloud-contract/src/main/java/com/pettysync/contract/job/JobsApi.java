package com.pettysync.contract.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON messages of the AWS IoT Jobs MQTT API that a collar sends and receives
 * (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-mqtt-api.html; field names and rules as in
 * https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html and
 * https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_StartNextPendingJobExecution.html).
 *
 * <pre>
 * collar → $aws/things/{thing}/jobs/start-next        {@link StartNextRequest}
 * collar → $aws/things/{thing}/jobs/{jobId}/update    {@link UpdateRequest}
 * collar → $aws/things/{thing}/jobs/{jobId}/get       {@link DescribeRequest}
 * cloud  → …/jobs/notify-next                         {@link NotifyNext}
 * cloud  → …/jobs/start-next/accepted, …/{jobId}/get/accepted   {@link ExecutionResponse}
 * cloud  → …/jobs/{jobId}/update/accepted             {@link UpdateAccepted}
 * cloud  → …/rejected                                 {@link Rejected}
 * </pre>
 *
 * Requests omit absent ({@code null}) fields; responses ignore fields they do not know, as AWS may add some.
 * {@link #read(String, Class)} throws only {@link IllegalArgumentException}.
 */
public final class JobsApi {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern STATUS_DETAIL_KEY = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    private JobsApi() {}

    /** Job execution statuses. A device may set only IN_PROGRESS, SUCCEEDED, FAILED and REJECTED. */
    public enum Status {
        QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED;

        /** Whether a device may report this status in an update. */
        public boolean settableByDevice() {
            return this == IN_PROGRESS || this == SUCCEEDED || this == FAILED || this == REJECTED;
        }
    }

    /**
     * UpdateJobExecution request.
     *
     * @param status new status, one a device may set
     * @param statusDetails up to 10 name/value pairs (keys {@code [a-zA-Z0-9:_-]{1,128}}, values ≤ 1024 chars)
     * @param expectedVersion the execution version the device last saw (optimistic locking), or null
     * @param executionNumber the execution number, or null
     * @param includeJobExecutionState ask for the execution state in the reply, or null
     * @param includeJobDocument ask for the job document in the reply, or null
     * @param stepTimeoutInMinutes new step timeout 1 … 10080 minutes, or null
     * @param clientToken echoed in the reply (≤ 64 bytes), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UpdateRequest(Status status, Map<String, String> statusDetails, Long expectedVersion,
            Long executionNumber, Boolean includeJobExecutionState, Boolean includeJobDocument,
            Integer stepTimeoutInMinutes, String clientToken) {
        /** @throws IllegalArgumentException if a field breaks an AWS rule */
        public UpdateRequest {
            if (status == null || !status.settableByDevice()) {
                throw new IllegalArgumentException("status must be IN_PROGRESS, SUCCEEDED, FAILED or REJECTED");
            }
            statusDetails = checkStatusDetails(statusDetails);
            checkStepTimeout(stepTimeoutInMinutes);
            checkClientToken(clientToken);
        }

        /** A status update with details and the expected version; no other options. */
        public static UpdateRequest of(Status status, Map<String, String> statusDetails, Long expectedVersion) {
            return new UpdateRequest(status, statusDetails, expectedVersion, null, null, null, null, null);
        }
    }

    /**
     * StartNextPendingJobExecution request.
     *
     * @param statusDetails name/value pairs, as in {@link UpdateRequest}, or null
     * @param stepTimeoutInMinutes step timeout 1 … 10080 minutes, or null
     * @param clientToken echoed in the reply, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StartNextRequest(Map<String, String> statusDetails, Integer stepTimeoutInMinutes,
            String clientToken) {
        /** @throws IllegalArgumentException if a field breaks an AWS rule */
        public StartNextRequest {
            statusDetails = checkStatusDetails(statusDetails);
            checkStepTimeout(stepTimeoutInMinutes);
            checkClientToken(clientToken);
        }
    }

    /**
     * DescribeJobExecution request.
     *
     * @param executionNumber the execution number, or null for the latest
     * @param includeJobDocument whether to include the job document, or null (AWS default true)
     * @param clientToken echoed in the reply, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DescribeRequest(Long executionNumber, Boolean includeJobDocument, String clientToken) {
        public DescribeRequest {
            checkClientToken(clientToken);
        }
    }

    /**
     * A job execution as AWS sends it.
     *
     * @param jobId the job
     * @param thingName the thing
     * @param status current status
     * @param statusDetails current details, or null
     * @param queuedAt Unix seconds
     * @param startedAt Unix seconds, or null
     * @param lastUpdatedAt Unix seconds
     * @param versionNumber execution version (for {@link UpdateRequest#expectedVersion()})
     * @param executionNumber execution number
     * @param jobDocument the job document (validate it with {@link JobDocument#fromJson(JsonNode)})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Execution(String jobId, String thingName, Status status, Map<String, String> statusDetails,
            Long queuedAt, Long startedAt, Long lastUpdatedAt, Long versionNumber, Long executionNumber,
            JsonNode jobDocument) {}

    /**
     * The state part of an execution in update replies.
     *
     * @param status current status
     * @param statusDetails current details, or null
     * @param versionNumber execution version
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExecutionState(Status status, Map<String, String> statusDetails, Long versionNumber) {}

    /**
     * Message on {@code notify-next}: the next pending execution changed; {@code execution} is null when none is
     * pending.
     *
     * @param timestamp Unix seconds
     * @param execution the next pending execution, or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NotifyNext(Long timestamp, Execution execution) {}

    /**
     * Reply on {@code start-next/accepted} and {@code {jobId}/get/accepted}; {@code execution} is null when there is
     * no pending job.
     *
     * @param timestamp Unix seconds
     * @param clientToken the request's token, or null
     * @param execution the execution, or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExecutionResponse(Long timestamp, String clientToken, Execution execution) {}

    /**
     * Reply on {@code {jobId}/update/accepted}.
     *
     * @param executionState the state, when asked for
     * @param jobDocument the job document, when asked for
     * @param timestamp Unix seconds
     * @param clientToken the request's token, or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpdateAccepted(ExecutionState executionState, JsonNode jobDocument, Long timestamp,
            String clientToken) {}

    /**
     * Reply on any {@code …/rejected} topic.
     *
     * @param code e.g. {@code InvalidRequest}, {@code ResourceNotFound}, {@code InvalidStateTransition},
     *     {@code VersionMismatch}, {@code InvalidJson}, {@code Throttled}
     * @param message explanation
     * @param clientToken the request's token, or null
     * @param timestamp Unix seconds
     * @param executionState the current state, with {@code VersionMismatch}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rejected(String code, String message, String clientToken, Long timestamp,
            ExecutionState executionState) {}

    /** One-line JSON of a request or response record. */
    public static String toJson(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a Jobs message.
     *
     * @throws IllegalArgumentException if {@code json} is not JSON of this shape (e.g. an unknown status)
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new IllegalArgumentException("not a " + type.getSimpleName() + ": null");
            }
            return value;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, String> checkStatusDetails(Map<String, String> details) {
        if (details == null) {
            return null;
        }
        if (details.size() > 10) {
            throw new IllegalArgumentException("statusDetails holds at most 10 entries");
        }
        for (Map.Entry<String, String> e : details.entrySet()) {
            if (e.getKey() == null || !STATUS_DETAIL_KEY.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("statusDetails key must be 1–128 of [a-zA-Z0-9:_-]");
            }
            if (e.getValue() == null || e.getValue().isEmpty() || e.getValue().length() > 1024) {
                throw new IllegalArgumentException("statusDetails value must be 1–1024 characters");
            }
        }
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(details));
    }

    static void checkStepTimeout(Integer minutes) {
        if (minutes != null && (minutes < 1 || minutes > 10080)) {
            throw new IllegalArgumentException("stepTimeoutInMinutes must be 1 … 10080");
        }
    }

    static void checkClientToken(String token) {
        if (token != null && (token.isEmpty() || token.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > 64)) {
            throw new IllegalArgumentException("clientToken must be 1–64 bytes");
        }
    }
}
