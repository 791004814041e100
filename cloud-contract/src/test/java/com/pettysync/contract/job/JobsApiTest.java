package com.pettysync.contract.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobsApiTest {

    @Test
    void writesAnUpdateRequestInTheAwsShape() {
        JobsApi.UpdateRequest r = new JobsApi.UpdateRequest(JobsApi.Status.REJECTED,
                Map.of("reason", "version: 1042 is not newer", "build", "1042"), 3L, null, null, null, 15, "c-1");
        assertEquals("{\"status\":\"REJECTED\",\"statusDetails\":{\"build\":\"1042\",\"reason\":\"version: 1042 is not newer\"},"
                + "\"expectedVersion\":3,\"stepTimeoutInMinutes\":15,\"clientToken\":\"c-1\"}", JobsApi.toJson(r));
        assertEquals("{\"status\":\"SUCCEEDED\"}",
                JobsApi.toJson(JobsApi.UpdateRequest.of(JobsApi.Status.SUCCEEDED, null, null)));
        assertEquals("{\"statusDetails\":{\"step\":\"download\"},\"stepTimeoutInMinutes\":30}",
                JobsApi.toJson(new JobsApi.StartNextRequest(Map.of("step", "download"), 30, null)));
        assertEquals("{\"includeJobDocument\":true}", JobsApi.toJson(new JobsApi.DescribeRequest(null, true, null)));
    }

    @Test
    void refusesWhatAwsWouldRefuse() {
        assertThrows(IllegalArgumentException.class,
                () -> JobsApi.UpdateRequest.of(JobsApi.Status.QUEUED, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> JobsApi.UpdateRequest.of(JobsApi.Status.CANCELED, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> JobsApi.UpdateRequest.of(JobsApi.Status.FAILED, Map.of("bad key", "v"), null));
        assertThrows(IllegalArgumentException.class,
                () -> JobsApi.UpdateRequest.of(JobsApi.Status.FAILED, Map.of("k", "v".repeat(1025)), null));
        Map<String, String> eleven = new HashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("k" + i, "v");
        }
        assertThrows(IllegalArgumentException.class,
                () -> JobsApi.UpdateRequest.of(JobsApi.Status.FAILED, eleven, null));
        assertThrows(IllegalArgumentException.class, () -> new JobsApi.StartNextRequest(null, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new JobsApi.StartNextRequest(null, 10081, null));
        assertThrows(IllegalArgumentException.class, () -> new JobsApi.DescribeRequest(null, null, "x".repeat(65)));
        assertTrue(JobsApi.Status.IN_PROGRESS.settableByDevice());
        assertTrue(!JobsApi.Status.TIMED_OUT.settableByDevice());
    }

    @Test
    void readsNotifyNextWithTheJobDocument() throws Exception {
        String msg = """
                {"timestamp":1767225600,"execution":{"jobId":"fw-1043","thingName":"collar-7","status":"QUEUED",
                 "queuedAt":1767225500,"lastUpdatedAt":1767225500,"versionNumber":1,"executionNumber":1,
                 "jobDocument":{"operation":"model-update","version":4,"url":"https://u.example.com/m4.tflite",
                  "size":100,"sha256":"%s","signature":"%s"},"someFutureField":true}}"""
                .formatted(JobDocumentTest.SHA, JobDocumentTest.SIG);
        JobsApi.NotifyNext n = JobsApi.read(msg, JobsApi.NotifyNext.class);
        assertEquals("fw-1043", n.execution().jobId());
        assertEquals(JobsApi.Status.QUEUED, n.execution().status());
        assertEquals(1L, n.execution().versionNumber());
        JobDocument d = JobDocument.fromJson(n.execution().jobDocument());
        assertEquals(JobOperation.MODEL_UPDATE, d.operation());
        assertNull(JobsApi.read("{\"timestamp\":1}", JobsApi.NotifyNext.class).execution());
    }

    @Test
    void readsRepliesAndRejections() {
        JobsApi.ExecutionResponse started = JobsApi.read("{\"timestamp\":5,\"clientToken\":\"c\",\"execution\":"
                + "{\"jobId\":\"j\",\"status\":\"IN_PROGRESS\",\"versionNumber\":2}}", JobsApi.ExecutionResponse.class);
        assertEquals(JobsApi.Status.IN_PROGRESS, started.execution().status());
        JobsApi.UpdateAccepted acc = JobsApi.read("{\"executionState\":{\"status\":\"SUCCEEDED\",\"versionNumber\":3},"
                + "\"timestamp\":6}", JobsApi.UpdateAccepted.class);
        assertEquals(3L, acc.executionState().versionNumber());
        JobsApi.Rejected rej = JobsApi.read("{\"code\":\"VersionMismatch\",\"message\":\"m\",\"timestamp\":7,"
                + "\"executionState\":{\"status\":\"IN_PROGRESS\",\"versionNumber\":4}}", JobsApi.Rejected.class);
        assertEquals("VersionMismatch", rej.code());
        assertEquals(4L, rej.executionState().versionNumber());
        assertThrows(IllegalArgumentException.class, () -> JobsApi.read("{\"execution\":{\"status\":\"DONE\"}}",
                JobsApi.ExecutionResponse.class));
        assertThrows(IllegalArgumentException.class, () -> JobsApi.read("nope", JobsApi.Rejected.class));
        assertThrows(IllegalArgumentException.class, () -> JobsApi.read("null", JobsApi.Rejected.class));
    }
}
