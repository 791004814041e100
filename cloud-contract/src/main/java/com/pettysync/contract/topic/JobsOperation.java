package com.pettysync.contract.topic;

/**
 * The MQTT topics of AWS IoT Jobs for one thing, by what follows {@code $aws/things/{thing}/jobs/}
 * (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-mqtt-api.html and
 * https://docs.aws.amazon.com/iot/latest/developerguide/reserved-topics.html#reserved-topics-job). The
 * {@code JOB_*} operations carry a job id level ({@code {jobId}/get}, {@code {jobId}/update}).
 */
public enum JobsOperation {
    NOTIFY("notify", false, false),
    NOTIFY_NEXT("notify-next", false, false),
    GET("get", false, true),
    GET_ACCEPTED("get/accepted", false, false),
    GET_REJECTED("get/rejected", false, false),
    START_NEXT("start-next", false, true),
    START_NEXT_ACCEPTED("start-next/accepted", false, false),
    START_NEXT_REJECTED("start-next/rejected", false, false),
    JOB_GET("get", true, true),
    JOB_GET_ACCEPTED("get/accepted", true, false),
    JOB_GET_REJECTED("get/rejected", true, false),
    JOB_UPDATE("update", true, true),
    JOB_UPDATE_ACCEPTED("update/accepted", true, false),
    JOB_UPDATE_REJECTED("update/rejected", true, false);

    private final String suffix;
    private final boolean perJob;
    private final boolean request;

    JobsOperation(String suffix, boolean perJob, boolean request) {
        this.suffix = suffix;
        this.perJob = perJob;
        this.request = request;
    }

    /** The topic levels after {@code jobs/} (or after {@code jobs/{jobId}/} when {@link #perJob()}). */
    public String suffix() {
        return suffix;
    }

    /** Whether the topic has a job id level. */
    public boolean perJob() {
        return perJob;
    }

    /** True for the topics a device publishes to; false for the service's messages. */
    public boolean isRequest() {
        return request;
    }

    static JobsOperation of(String suffix, boolean perJob) {
        for (JobsOperation op : values()) {
            if (op.perJob == perJob && op.suffix.equals(suffix)) {
                return op;
            }
        }
        return null;
    }
}
