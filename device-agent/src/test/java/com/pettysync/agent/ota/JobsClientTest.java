package com.pettysync.agent.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.contract.job.JobsApi.Status;
import com.pettysync.contract.topic.ThingName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobsClientTest {
    record Sent(String topic, JsonNode body) {}

    final List<Sent> sent = new ArrayList<>();
    final JobsClient client = new JobsClient(ThingName.of("collar-1"), (t, p) -> {
        try {
            sent.add(new Sent(t, OtaFixture.JSON.readTree(p)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    });
    static final String JOBS = "$aws/things/collar-1/jobs/";

    private void receive(String suffix, String json) {
        client.message(JOBS + suffix, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void updatesCarryTheExpectedVersionGoOneAtATimeAndCoalesceProgress() {
        client.connected();
        receive("j1/get/accepted", "{\"execution\":{\"jobId\":\"j1\",\"status\":\"IN_PROGRESS\",\"versionNumber\":4}}");
        sent.clear();
        client.update("j1", Status.IN_PROGRESS, Map.of("step", "downloading", "progress", "10 %"));
        client.update("j1", Status.IN_PROGRESS, Map.of("step", "downloading", "progress", "20 %"));
        client.update("j1", Status.IN_PROGRESS, Map.of("step", "downloading", "progress", "30 %"));
        assertEquals(1, sent.size(), "one update waits for its reply");
        assertEquals(JOBS + "j1/update", sent.get(0).topic());
        assertEquals(4, sent.get(0).body().get("expectedVersion").asLong());
        assertEquals("10 %", sent.get(0).body().at("/statusDetails/progress").asText());
        receive("j1/update/accepted", "{\"executionState\":{\"status\":\"IN_PROGRESS\",\"versionNumber\":5}}");
        assertEquals(2, sent.size());
        assertEquals("30 %", sent.get(1).body().at("/statusDetails/progress").asText(), "20 % was coalesced away");
        assertEquals(5, sent.get(1).body().get("expectedVersion").asLong());
    }

    @Test
    void aVersionMismatchIsResentWithTheServicesVersion() {
        client.connected();
        sent.clear();
        client.update("j1", Status.SUCCEEDED, Map.of());
        receive("j1/update/rejected", "{\"code\":\"VersionMismatch\",\"message\":\"x\","
                + "\"executionState\":{\"status\":\"IN_PROGRESS\",\"versionNumber\":9}}");
        assertEquals(2, sent.size());
        assertEquals("SUCCEEDED", sent.get(1).body().get("status").asText());
        assertEquals(9, sent.get(1).body().get("expectedVersion").asLong());
    }

    @Test
    void anUnansweredFinalStatusIsResentOnTheNextConnect() {
        client.connected();
        client.update("j1", Status.FAILED, Map.of("reason", "health check failed"));
        sent.clear();
        client.connected();
        assertTrue(sent.stream().anyMatch(s -> s.topic().equals(JOBS + "j1/update")
                && s.body().get("status").asText().equals("FAILED")));
    }

    @Test
    void reportsTheVersionsInTheConfigShadowsReportedSection() {
        client.versionsChanged(7, 3);
        client.connected();
        Sent shadow = sent.stream().filter(s -> s.topic().equals("$aws/things/collar-1/shadow/name/config/update"))
                .findFirst().orElseThrow();
        assertEquals(7, shadow.body().at("/state/reported/firmwareBuild").asLong());
        assertEquals(3, shadow.body().at("/state/reported/modelVersion").asLong());
    }

    @Test
    void describeAndStartNextUseTheJobsTopics() {
        client.connected();
        sent.clear();
        client.describe("$next");
        client.startNext(Map.of("step", "downloading"));
        assertEquals(JOBS + "$next/get", sent.get(0).topic());
        assertTrue(sent.get(0).body().get("includeJobDocument").asBoolean());
        assertEquals(JOBS + "start-next", sent.get(1).topic());
        assertEquals("downloading", sent.get(1).body().at("/statusDetails/step").asText());
    }

    @Test
    void garbledMessagesAreIgnored() {
        client.connected();
        receive("notify-next", "{not json");
        receive("j1/update/accepted", "[]");
        receive("start-next/accepted", "{\"execution\":{\"status\":\"NOPE\"}}");
    }
}
