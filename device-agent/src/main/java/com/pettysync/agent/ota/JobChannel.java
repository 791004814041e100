package com.pettysync.agent.ota;

import com.pettysync.contract.job.JobsApi;
import java.util.Map;

/**
 * What the update engine asks of AWS IoT Jobs; {@link JobsClient} sends it over MQTT (and adds
 * {@code expectedVersion}), the simulator may answer in-process.
 */
public interface JobChannel {
    /** StartNextPendingJobExecution with these status details. */
    void startNext(Map<String, String> statusDetails);

    /** UpdateJobExecution of {@code jobId}; terminal statuses are re-sent until the service accepted them. */
    void update(String jobId, JobsApi.Status status, Map<String, String> statusDetails);

    /**
     * DescribeJobExecution of {@code jobId} (or {@code $next}) with its job document: the answer comes back through
     * {@link UpdateEngine#offer}; AWS replaces the presigned-URL placeholder afresh on each describe, which is how
     * an expired URL is renewed.
     */
    void describe(String jobId);
}
