package com.pettysync.simulator.cloud.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobServiceTest {
    private static final String BASE = "$aws/things/collar-1/jobs/";
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final JobService jobs = new JobService(clock);

    private JsonNode reply(List<Outbound> out, String suffix) throws Exception {
        for (Outbound o : out) {
            if (o.topic().equals(BASE + suffix)) {
                return json.readTree(o.text());
            }
        }
        throw new AssertionError("no " + suffix + " in " + out);
    }

    private List<Outbound> send(String rest, String payload) {
        return jobs.handle("collar-1", rest, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void executionsRunOldestFirstAndNotifyNextFollows() throws Exception {
        JsonNode first = reply(jobs.createJob("a", List.of("collar-1"), "{\"v\":1}"), "notify-next");
        assertEquals("a", first.at("/execution/jobId").asText());
        List<Outbound> second = jobs.createJob("b", List.of("collar-1"), "{\"v\":2}");
        assertTrue(second.stream().noneMatch(o -> o.topic().endsWith("notify-next")), "next is still a");
        JsonNode listing = reply(send("get", "{\"clientToken\":\"l\"}"), "get/accepted");
        assertEquals(2, listing.get("queuedJobs").size());
        assertEquals("l", listing.get("clientToken").asText());

        var started = send("start-next", "{}");
        assertEquals("a", reply(started, "start-next/accepted").at("/execution/jobId").asText());
        var done = send("a/update", "{\"status\":\"SUCCEEDED\"}");
        assertEquals("b", reply(done, "notify-next").at("/execution/jobId").asText());
        assertEquals("b", reply(send("$next/get", "{}"), "$next/get/accepted").at("/execution/jobId").asText());
    }

    @Test
    void rejectsBadRequestsWithAwsCodes() throws Exception {
        jobs.createJob("a", List.of("collar-1"), "{}");
        assertEquals("InvalidRequest", reply(send("a/update", "{\"status\":\"QUEUED\"}"), "a/update/rejected")
                .get("code").asText());
        assertEquals("InvalidRequest", reply(send("a/update", "nope"), "a/update/rejected").get("code").asText());
        assertEquals("ResourceNotFound", reply(send("zz/update", "{\"status\":\"FAILED\"}"), "zz/update/rejected")
                .get("code").asText());
        assertEquals("ResourceNotFound", reply(send("zz/get", "{}"), "zz/get/rejected").get("code").asText());
        JsonNode mismatch = reply(send("a/update", "{\"status\":\"IN_PROGRESS\",\"expectedVersion\":5,"
                + "\"clientToken\":\"k\"}"), "a/update/rejected");
        assertEquals("VersionMismatch", mismatch.get("code").asText());
        assertEquals("k", mismatch.get("clientToken").asText());
        assertEquals(1, mismatch.at("/executionState/versionNumber").asLong());
        assertThrows(IllegalArgumentException.class, () -> jobs.createJob("a", List.of("collar-1"), "{}"));
        assertThrows(IllegalArgumentException.class, () -> jobs.createJob("bad id", List.of("collar-1"), "{}"));
        assertThrows(IllegalArgumentException.class, () -> jobs.createJob("c", List.of("collar-1"), "[1]"));
    }

    @Test
    void stepTimeoutMovesAnInProgressExecutionToTimedOut() throws Exception {
        jobs.createJob("a", List.of("collar-1"), "{}");
        send("start-next", "{\"stepTimeoutInMinutes\":5}");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(jobs.advance().isEmpty());
        clock.advance(Duration.ofMinutes(1));
        List<Outbound> out = jobs.advance();
        assertTrue(reply(out, "notify-next").get("execution") == null);
        assertEquals(JobService.Status.TIMED_OUT, jobs.execution("collar-1", "a").orElseThrow().status());
        assertEquals("InvalidStateTransition", reply(send("a/update", "{\"status\":\"SUCCEEDED\"}"),
                "a/update/rejected").get("code").asText());
    }

    @Test
    void cancelledJobsAreNoLongerPending() throws Exception {
        jobs.createJob("a", List.of("collar-1", "collar-2"), "{}");
        jobs.cancelJob("a", false, null, null);
        assertEquals(JobService.Status.CANCELED, jobs.execution("collar-2", "a").orElseThrow().status());
        assertTrue(reply(send("start-next", "{}"), "start-next/accepted").get("execution") == null);
    }
}
